"""The [map] table of a city configuration: where the map opens, the municipality's box,
the neighbourhood boundaries and the local address list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from participation.geo.boundaries import Boundaries, BoundariesError, load_boundaries
from participation.geo.points import Area

BUNDLED = Path(__file__).resolve().parent.parent / "cities"


@dataclass(frozen=True)
class CityMap:
    centre: tuple[float, float]  # latitude, longitude
    zoom: int
    area: Area  # points outside are refused
    boundaries: Boundaries | None
    addresses: Path | None  # the local geocoder's list


def read_city_map(
    table: dict[str, Any], base: Path, slugs: Sequence[str], fail: Callable[[str, str], Exception]
) -> CityMap:
    """`fail(key, message)` builds the configuration error that names the file, line and key."""

    def number_pair(key: str) -> tuple[float, float]:
        value = table.get(key)
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise fail(f"map.{key}", "must be [latitude, longitude]")
        return float(value[0]), float(value[1])

    centre = number_pair("centre")
    south, west = number_pair("south_west")
    north, east = number_pair("north_east")
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise fail("map.north_east", "must lie north-east of south_west, in degrees")
    area = Area(south, west, north, east)
    if not area.contains(*centre):
        raise fail("map.centre", "must lie between south_west and north_east")
    zoom = table.get("zoom", 13)
    if not isinstance(zoom, int) or isinstance(zoom, bool) or not 1 <= zoom <= 19:
        raise fail("map.zoom", "must be a whole number from 1 to 19")

    def file(key: str) -> Path | None:
        """Next to the configuration file, or else among the bundled cities' files (so a copied
        configuration keeps Zoetermeer's demo boundaries until it names its own)."""
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(f"map.{key}", "must be a file name")
        for folder in (base, BUNDLED):
            if (folder / value).is_file():
                return folder / value
        raise fail(f"map.{key}", f"no file {value!r} (a path relative to the configuration file)")

    boundaries_path = file("boundaries")
    boundaries = None
    if boundaries_path is not None:
        try:
            boundaries = load_boundaries(boundaries_path, slugs)
        except BoundariesError as exc:
            raise fail("map.boundaries", str(exc)) from exc
    return CityMap(centre=centre, zoom=zoom, area=area, boundaries=boundaries, addresses=file("addresses"))
