"""Public statistics: the page (`/stats`), its figures as CSV (`/stats.csv`) and JSON (`/api/v1/stats`).

The figures for one set of filters are computed once per `CACHE_SECONDS` into the "cache" store
(Redis when configured: shared by every worker), and the charts once per language on top of
them: a burst of visitors costs one computation, a cached request no SQL at all.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Response, Template

from participation.i18n import get_locale
from participation.lib.cache import cached
from participation.lib.clock import utcnow
from participation.settings import Settings
from participation.stats import csv_figures
from participation.stats.figures import compute
from participation.stats.filters import StatsFilters, parse_filters
from participation.stats.permissions import can_export
from participation.stats.presentation import build_charts, key_figures, number

CACHE_SECONDS = 60
CHARTS_SECONDS = 3600


async def figures_for(request: Request, settings: Settings, filters: StatsFilters) -> dict[str, Any]:
    now = utcnow()
    today = now.astimezone(ZoneInfo(settings.city.timezone)).date()

    async def fresh() -> bytes:
        figures = await compute(settings, filters, now, today)
        return msgspec.json.encode({"generated_at": now.isoformat(), **figures})

    key = f"stats:figures:{today.isoformat()}:{filters.cache_key()}"
    return msgspec.json.decode(await cached(request.app.stores.get("cache"), key, CACHE_SECONDS, fresh))


async def charts_for(request: Request, settings: Settings, figures: dict[str, Any]) -> list[dict[str, Any]]:
    async def fresh() -> bytes:
        return msgspec.json.encode(build_charts(settings.city, figures))

    # Keyed by the figures themselves: while nothing changes, the charts (about 40 ms each) are drawn once an hour.
    content = msgspec.json.encode({name: value for name, value in figures.items() if name != "generated_at"})
    key = f"stats:charts:{get_locale()}:{hashlib.sha256(content).hexdigest()}"
    return msgspec.json.decode(await cached(request.app.stores.get("cache"), key, CHARTS_SECONDS, fresh))


class StatsPages(Controller):
    include_in_schema = False

    @get("/stats", name="stats_index")
    async def index(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        filters = parse_filters(settings, request.query_params)
        figures = await figures_for(request, settings, filters)
        query = urlencode(filters.query_items())
        return Template(
            "stats/index.html",
            context={
                "filters": filters,
                "figures": figures,
                "generated_at": datetime.fromisoformat(figures["generated_at"]),
                "charts": await charts_for(request, settings, figures),
                "key_figures": key_figures(figures),
                "query": f"?{query}" if query else "",
                "can_export": can_export(request.user),
                "number": number,
            },
        )

    @get("/stats.csv", name="stats_csv")
    async def csv(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        filters = parse_filters(settings, request.query_params)
        figures = await figures_for(request, settings, filters)
        return Response(
            csv_figures.to_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="stats-{settings.city.slug}.csv"'},
        )


class StatsApi(Controller):
    path = "/api/v1/stats"
    tags = ["stats"]

    @get("/", summary="Public statistics")
    async def stats(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        start: FromQuery[str | None] = None,
        end: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        neighbourhood: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        """The figures of `/stats`: participation per month (24 months), per neighbourhood (also per 1,000
        residents), per theme and kind, narrow vs broad, the funnel from idea to register outcome, the register
        portfolio and the moderation turnaround. Filters: `start` and `end` (ISO dates, the city's days,
        both included), `theme`, `neighbourhood` (slugs); unknown values are ignored. Cached for a minute."""
        params = {"start": start, "end": end, "theme": theme, "neighbourhood": neighbourhood}
        return await figures_for(request, settings, parse_filters(settings, params))
