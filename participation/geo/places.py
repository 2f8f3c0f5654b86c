"""What the domains ask of geo with a city configuration in hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from participation.geo.points import Area, clean_point

if TYPE_CHECKING:
    from participation.city import CityConfig

__all__ = ["city_area", "clean_point", "suggest_neighbourhood"]

# Without a [map] table only the world's ranges apply.
WORLD = Area(-90.0, -180.0, 90.0, 180.0)


def city_area(city: CityConfig) -> Area:
    return city.map.area if city.map is not None else WORLD


def suggest_neighbourhood(city: CityConfig, latitude: float | None, longitude: float | None) -> str | None:
    """The configured neighbourhood the point lies in (None without a point or boundaries, or outside them)."""
    if latitude is None or longitude is None or city.map is None or city.map.boundaries is None:
        return None
    return city.map.boundaries.neighbourhood_at(latitude, longitude)
