"""Neighbourhood boundaries from GeoJSON, and which neighbourhood a point lies in.

The city configuration names a GeoJSON FeatureCollection whose features carry a `slug` property
(a configured neighbourhood) and a Polygon or MultiPolygon geometry in WGS84 ([longitude, latitude]).
Pure Python ray casting is plenty for a few dozen neighbourhoods.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) pairs, as GeoJSON writes them


class BoundariesError(ValueError):
    pass


@dataclass(frozen=True)
class Neighbourhood:
    slug: str
    # Polygons, each an outer ring followed by its holes.
    polygons: tuple[tuple[Ring, ...], ...]

    def contains(self, latitude: float, longitude: float) -> bool:
        for outer, *holes in self.polygons:
            if _in_ring(outer, longitude, latitude) and not any(_in_ring(h, longitude, latitude) for h in holes):
                return True
        return False


@dataclass(frozen=True)
class Boundaries:
    neighbourhoods: tuple[Neighbourhood, ...]

    def neighbourhood_at(self, latitude: float, longitude: float) -> str | None:
        """The slug of the neighbourhood the point lies in, or None outside all of them."""
        return next((n.slug for n in self.neighbourhoods if n.contains(latitude, longitude)), None)


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _ring(value: object) -> Ring:
    if not isinstance(value, list) or len(value) < 4:
        raise BoundariesError("a ring needs at least four positions")
    try:
        return tuple((float(p[0]), float(p[1])) for p in value)
    except (TypeError, ValueError, IndexError):
        raise BoundariesError("a position is [longitude, latitude]") from None


def parse_boundaries(data: object, known_slugs: Sequence[str]) -> Boundaries:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundariesError("expected a GeoJSON FeatureCollection")
    out = []
    for i, feature in enumerate(data.get("features") or []):
        slug = (feature.get("properties") or {}).get("slug") if isinstance(feature, dict) else None
        if slug not in known_slugs:
            raise BoundariesError(f"feature {i}: property 'slug' must be a configured neighbourhood (got {slug!r})")
        geometry = feature.get("geometry") or {}
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [coordinates]
        elif kind == "MultiPolygon":
            polygons = coordinates
        else:
            raise BoundariesError(f"feature {i} ({slug}): geometry must be a Polygon or MultiPolygon")
        try:
            parsed = tuple(tuple(_ring(r) for r in polygon) for polygon in polygons)
        except BoundariesError as exc:
            raise BoundariesError(f"feature {i} ({slug}): {exc}") from None
        out.append(Neighbourhood(slug, parsed))
    return Boundaries(tuple(out))


def load_boundaries(path: Path, known_slugs: Sequence[str]) -> Boundaries:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BoundariesError(f"cannot read {path} ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise BoundariesError(f"{path} is not JSON: {exc}") from exc
    return parse_boundaries(data, known_slugs)
