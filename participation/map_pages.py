"""The map: published ideas and pilots, register projects and their sensors, as markers and always as a list.

Root layer: it reads the ideas' and the register's own "what may the public see" queries
(`ideas.places`, `participation.register.places`) and nothing else. The page lists every item
(the map is an enhancement, never the only way); `static/map.js` draws the markers from the
GeoJSON endpoint with the same filters. `/places/neighbourhood` lets the place picker suggest
the neighbourhood of a point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from ideas.places import IdeaPlaceFilters, mapped_ideas
from ideas.search import LISTED_STATUSES
from ideas.tables import IdeaKind
from participation.geo.places import suggest_neighbourhood
from participation.geo.points import clean_point
from participation.i18n import get_locale
from participation.register.places import EntryPlaceFilters, mapped_entries, mapped_sensors
from participation.register.tables import Status
from participation.settings import Settings
from participation.validation import Errors

# What the map shows, one layer each; empty: all of them.
LAYERS = ("ideas", "pilots", "projects", "sensors")
IDEA_STATUSES = tuple(LISTED_STATUSES)
ENTRY_STATUSES = tuple(s.value for s in Status)


@dataclass(frozen=True)
class MapFilters:
    theme: str | None = None
    neighbourhood: str | None = None
    layer: str | None = None
    status: str | None = None

    def query_string(self) -> str:
        return urlencode(
            [(name, value) for name in ("theme", "neighbourhood", "layer", "status") if (value := getattr(self, name))]
        )

    @property
    def active(self) -> bool:
        return bool(self.query_string())

    def shows(self, layer: str) -> bool:
        """A status belongs to ideas or to projects: choosing one leaves the other layers out."""
        if self.layer and self.layer != layer:
            return False
        if self.status in IDEA_STATUSES:
            return layer in ("ideas", "pilots")
        if self.status in ENTRY_STATUSES:
            return layer == "projects"
        return True


def parse_filters(settings: Settings, params: Mapping[str, Any]) -> MapFilters:
    """Lenient, like the idea list: an unknown value is ignored."""
    city = settings.city

    def pick(name: str, allowed: set[str]) -> str | None:
        value = str(params.get(name) or "").strip()
        return value if value in allowed else None

    return MapFilters(
        theme=pick("theme", {t.slug for t in city.themes}),
        neighbourhood=pick("neighbourhood", {n.slug for n in city.neighbourhoods}),
        layer=pick("layer", set(LAYERS)),
        status=pick("status", {*IDEA_STATUSES, *ENTRY_STATUSES}),
    )


@dataclass
class MapContents:
    ideas: list[Any] = field(default_factory=list)
    pilots: list[Any] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    sensors: list[dict[str, Any]] = field(default_factory=list)
    # A layer had more items than the map shows.
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.ideas) + len(self.pilots) + len(self.projects) + len(self.sensors)


async def map_contents(filters: MapFilters) -> MapContents:
    out = MapContents()
    if filters.shows("ideas") or filters.shows("pilots"):
        kind = {"ideas": IdeaKind.idea.value, "pilots": IdeaKind.pilot.value}.get(filters.layer or "")
        status = filters.status if filters.status in IDEA_STATUSES else None
        ideas, more = await mapped_ideas(IdeaPlaceFilters(filters.theme, filters.neighbourhood, kind, status))
        out.ideas = [i for i in ideas if i.kind == IdeaKind.idea.value]
        out.pilots = [i for i in ideas if i.kind == IdeaKind.pilot.value]
        out.truncated |= more
    entry_filters = EntryPlaceFilters(
        filters.theme, filters.neighbourhood, filters.status if filters.status in ENTRY_STATUSES else None
    )
    if filters.shows("projects"):
        out.projects, more = await mapped_entries(entry_filters)
        out.truncated |= more
    if filters.shows("sensors"):
        out.sensors, more = await mapped_sensors(entry_filters)
        out.truncated |= more
    return out


def _feature(latitude: float, longitude: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": properties,
    }


def as_geojson(contents: MapContents) -> dict[str, Any]:
    """Codes, not words: the page's own filter labels name layers and statuses in the reader's language."""
    features = []
    for layer, ideas in (("ideas", contents.ideas), ("pilots", contents.pilots)):
        for idea in ideas:
            features.append(
                _feature(
                    idea.latitude,
                    idea.longitude,
                    {
                        "id": f"idea-{idea.id}",
                        "layer": layer,
                        "title": idea.title,
                        "summary": idea.summary,
                        "status": idea.status,
                        "url": f"/ideas/{idea.id}",
                    },
                )
            )
    for entry in contents.projects:
        features.append(
            _feature(
                entry["latitude"],
                entry["longitude"],
                {
                    "id": f"project-{entry['slug']}",
                    "layer": "projects",
                    "title": entry["title"],
                    "summary": entry["summary"],
                    "status": entry["status"],
                    "url": f"/register/{entry['slug']}",
                },
            )
        )
    for i, sensor in enumerate(contents.sensors):
        features.append(
            _feature(
                sensor["latitude"],
                sensor["longitude"],
                {
                    "id": f"sensor-{i}",
                    "layer": "sensors",
                    "title": sensor["kind"],
                    "summary": sensor["measures"],
                    "mobile": sensor["mobile"],
                    "location": sensor["location"],
                    "entry_title": sensor["entry_title"],
                    "url": f"/register/{sensor['entry_slug']}",
                },
            )
        )
    return {"type": "FeatureCollection", "features": features, "truncated": contents.truncated}


class MapPages(Controller):
    include_in_schema = False

    @get("/map", name="map")
    async def index(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        filters = parse_filters(settings, request.query_params)
        contents = await map_contents(filters)
        return Template(
            "geo/map.html",
            context={
                "filters": filters,
                "contents": contents,
                "layers": LAYERS,
                "idea_statuses": IDEA_STATUSES,
                "entry_statuses": ENTRY_STATUSES,
            },
        )

    @get("/map/features.geojson", name="map_features", media_type="application/geo+json")
    async def features(self, request: Request, settings: NamedDependency[Settings]) -> dict[str, Any]:
        return as_geojson(await map_contents(parse_filters(settings, request.query_params)))

    @get("/places/neighbourhood", name="place_neighbourhood")
    async def neighbourhood(
        self, settings: NamedDependency[Settings], latitude: FromQuery[str] = "", longitude: FromQuery[str] = ""
    ) -> dict[str, Any]:
        """The neighbourhood a point lies in (for the place picker); null outside the boundaries."""
        errors = Errors()
        lat, lon = clean_point(errors, latitude, longitude, settings.city.map.area if settings.city.map else None)
        choice = settings.city.neighbourhood(suggest_neighbourhood(settings.city, lat, lon))
        return {
            "neighbourhood": choice.slug if choice else None,
            "name": choice.name(get_locale()) if choice else None,
        }
