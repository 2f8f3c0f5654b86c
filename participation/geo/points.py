"""A point (latitude, longitude in WGS84) as people send it: validated against the world and the city's area."""

from __future__ import annotations

import math
from dataclasses import dataclass

from participation.i18n import N_
from participation.validation import Errors, clean_text

# Seven decimals is about a centimetre: more is noise from a map click, and the same value
# then round-trips identically on both databases.
DECIMALS = 7


@dataclass(frozen=True)
class Area:
    """A box in WGS84 degrees: south-west and north-east corners."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    text = clean_text(value).replace(",", ".")
    if not text:
        return None
    try:
        return float(text) if len(text) <= 32 else math.nan
    except ValueError:
        return math.nan


def clean_point(
    errors: Errors, latitude: object, longitude: object, area: Area | None, field: str = "latitude"
) -> tuple[float | None, float | None]:
    """(latitude, longitude), both or neither; a message on `field` when the point is unusable.

    Outside the city's area is refused: a point in the sea or in another town is a slip of the
    mouse or a swapped pair, never a place in this municipality.
    """
    lat, lon = _number(latitude), _number(longitude)
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        errors.add(field, N_("Give both the latitude and the longitude, or neither."))
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.add(field, N_("Give the latitude and longitude as decimal degrees, such as 52.0601 and 4.4942."))
        return None, None
    if area is not None and not area.contains(lat, lon):
        errors.add(field, N_("This place is outside the municipality. Choose a place in the municipality."))
        return None, None
    return round(lat, DECIMALS), round(lon, DECIMALS)
