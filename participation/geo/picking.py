"""Picking a place without JavaScript: a form's "Find address" button posts the whole form here
first; the form comes back with the point, the address as text and the suggested neighbourhood
filled in (or with a message on the postcode), and the person submits it as usual."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from participation.geo.geocoder import (
    Geocoder,
    GeocoderUnavailable,
    LocalGeocoder,
    PdokGeocoder,
    find_error,
    parse_address,
)
from participation.geo.places import suggest_neighbourhood
from participation.i18n import N_, get_locale
from participation.settings import Settings
from participation.validation import FormErrors, Message

FIND_ADDRESS = "find_address"


@dataclass
class PlaceSearch:
    values: dict[str, Any]
    errors: dict[str, Message] = field(default_factory=dict)
    notice: Message | None = None

    @property
    def status_code(self) -> int:
        return 422 if self.errors else 200


def wants_address_search(values: dict[str, Any]) -> bool:
    """The "Find address" button, with something to find. It is the form's first button, so Enter in
    any field presses it: with the address fields empty that is an ordinary submit."""
    return values.get("action") == FIND_ADDRESS and any(
        str(values.get(name) or "").strip() for name in ("postcode", "house_number")
    )


def geocoder_for(settings: Settings) -> Geocoder:
    addresses = settings.city.map.addresses if settings.city.map else None
    return _geocoder(settings.geo.geocoder, settings.geo.geocoder_url, addresses)


@lru_cache(maxsize=4)
def _geocoder(kind: str, url: str, addresses: Path | None) -> Geocoder:
    if kind == "local":
        if addresses is None:
            raise RuntimeError("GEOCODER=local needs [map] addresses in the city configuration")
        return LocalGeocoder(addresses)
    return PdokGeocoder(url)


async def find_place(settings: Settings, values: dict[str, Any]) -> PlaceSearch:
    """The form's values with the found point; the neighbourhood (one `neighbourhood`, or a list of
    `neighbourhoods`) and the place's text (`location`) are filled only when still empty."""
    values = dict(values)
    try:
        query = parse_address(values.get("postcode"), values.get("house_number"))
        found = await geocoder_for(settings).find(query)
    except FormErrors as exc:
        return PlaceSearch(values, exc.errors)
    except GeocoderUnavailable:
        message = N_("The address search is not available right now. Describe the place in words, or try again later.")
        return PlaceSearch(values, {"postcode": Message(message)})
    if found is None:
        return PlaceSearch(values, find_error().errors)
    values["latitude"], values["longitude"] = str(found.latitude), str(found.longitude)
    if "location" in values and not str(values.get("location") or "").strip():
        values["location"] = found.label
    slug = suggest_neighbourhood(settings.city, found.latitude, found.longitude)
    choice = settings.city.neighbourhood(slug)
    chosen = False
    if choice is not None and "neighbourhoods" in values and not values["neighbourhoods"]:
        values["neighbourhoods"], chosen = [choice.slug], True
    elif choice is not None and "neighbourhoods" not in values and not values.get("neighbourhood"):
        values["neighbourhood"], chosen = choice.slug, True
    if chosen:
        notice = Message(
            N_("Found: %(address)s. The point is set, and %(neighbourhood)s is chosen as the neighbourhood."),
            address=found.label,
            neighbourhood=_NeighbourhoodName(choice),
        )
    else:
        notice = Message(N_("Found: %(address)s. The point is set."), address=found.label)
    return PlaceSearch(values, notice=notice)


class _NeighbourhoodName:
    """A neighbourhood's name in the language current when the message is shown."""

    def __init__(self, choice: Any) -> None:
        self.choice = choice

    def __str__(self) -> str:
        return self.choice.name(get_locale())
