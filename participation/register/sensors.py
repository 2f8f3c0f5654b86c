"""The sensors of a register entry (its data-and-privacy block): checking the input, reading them back.

A sensor says what it is, what it measures, whether it is fixed or mobile (NULL: unknown) and
where: a described place and, when known, a point. The entry's form lists them in numbered rows
like partners; the API sends a list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from participation.geo.places import city_area, clean_point
from participation.i18n import N_
from participation.register.tables import RegisterSensor
from participation.settings import Settings
from participation.validation import Errors, Message, clean_text

MAX_SENSORS = 30
FIELDS = ("kind", "measures", "mobile", "location", "latitude", "longitude")


def _mobile(value: object, errors: Errors) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in ("", "unknown"):
        return None
    if text in ("mobile", "yes", "true"):
        return True
    if text in ("fixed", "no", "false"):
        return False
    errors.add("sensors", N_("Say whether each sensor is fixed or mobile, or unknown."))
    return None


def clean_sensors(settings: Settings, value: object, errors: Errors) -> list[dict[str, Any]]:
    """Blank rows are dropped; every problem is reported on the `sensors` field."""
    out = []
    for item in value or []:
        get = item.get if isinstance(item, Mapping) else (lambda key, _item=item: getattr(_item, key, None))
        kind, measures, location = clean_text(get("kind")), clean_text(get("measures")), clean_text(get("location"))
        latitude, longitude = get("latitude"), get("longitude")
        if not (kind or measures or location or clean_text(latitude) or clean_text(longitude)):
            continue
        if not 2 <= len(kind) <= 80:
            errors.add("sensors", N_("A sensor's type has 2 to 80 characters."))
        if len(measures) > 200 or len(location) > 200:
            errors.add("sensors", N_("What a sensor measures and where it is have at most 200 characters each."))
        mobile = _mobile(get("mobile"), errors)
        lat, lon = clean_point(errors, latitude, longitude, city_area(settings.city), field="sensors")
        out.append(
            {
                "kind": kind,
                "measures": measures,
                "mobile": mobile,
                "location": location,
                "latitude": lat,
                "longitude": lon,
            }
        )
    if len(out) > MAX_SENSORS:
        errors.add("sensors", Message(N_("List at most %(max)s sensors."), max=MAX_SENSORS))
    return out


async def sensors_by_entry(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The sensors of a page of entries, in their listed order: one query."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        columns = [getattr(RegisterSensor, name) for name in FIELDS]
        for row in (
            await RegisterSensor.select(RegisterSensor.entry, *columns)
            .where(RegisterSensor.entry.is_in(ids))
            .order_by(RegisterSensor.entry, RegisterSensor.position, RegisterSensor.id)
        ):
            found[row.pop("entry")].append(row)
    return found


async def replace_sensors(entry_id: int, sensors: list[dict[str, Any]]) -> None:
    await RegisterSensor.delete().where(RegisterSensor.entry == entry_id)
    if sensors:
        await RegisterSensor.insert(
            *[RegisterSensor(entry=entry_id, position=i, **sensor) for i, sensor in enumerate(sensors)]
        )
