"""Register entries and their sensors with a point, for the map: never a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participation.register.tables import RegisterEntry, RegisterNeighbourhood, RegisterSensor

MAX_MAPPED = 1000


@dataclass(frozen=True)
class EntryPlaceFilters:
    theme: str | None = None
    neighbourhood: str | None = None
    status: str | None = None  # a register status (entries only; sensors follow their entry's filters)


def _in_neighbourhood(column: Any, slug: str) -> Any:
    return column.is_in(
        RegisterNeighbourhood.select(RegisterNeighbourhood.entry).where(RegisterNeighbourhood.neighbourhood == slug)
    )


async def mapped_entries(filters: EntryPlaceFilters, limit: int = MAX_MAPPED) -> tuple[list[dict[str, Any]], bool]:
    """Public entries with a point, most recently updated first; and whether there were more."""
    query = RegisterEntry.select(
        RegisterEntry.slug,
        RegisterEntry.title,
        RegisterEntry.summary,
        RegisterEntry.status,
        RegisterEntry.theme,
        RegisterEntry.latitude,
        RegisterEntry.longitude,
    ).where(
        RegisterEntry.draft == False,  # noqa: E712 (a column comparison, not a Python one)
        RegisterEntry.latitude.is_not_null(),
        RegisterEntry.longitude.is_not_null(),
    )
    if filters.theme:
        query = query.where(RegisterEntry.theme == filters.theme)
    if filters.status:
        query = query.where(RegisterEntry.status == filters.status)
    if filters.neighbourhood:
        query = query.where(_in_neighbourhood(RegisterEntry.id, filters.neighbourhood))
    rows = await query.order_by(RegisterEntry.updated_at, ascending=False).limit(limit + 1)
    return rows[:limit], len(rows) > limit


async def mapped_sensors(filters: EntryPlaceFilters, limit: int = MAX_MAPPED) -> tuple[list[dict[str, Any]], bool]:
    """Sensors with a point of public entries (the entry's theme and neighbourhoods filter them)."""
    query = RegisterSensor.select(
        RegisterSensor.kind,
        RegisterSensor.measures,
        RegisterSensor.mobile,
        RegisterSensor.location,
        RegisterSensor.latitude,
        RegisterSensor.longitude,
        RegisterSensor.entry.slug.as_alias("entry_slug"),
        RegisterSensor.entry.title.as_alias("entry_title"),
    ).where(
        RegisterSensor.entry.draft == False,  # noqa: E712
        RegisterSensor.latitude.is_not_null(),
        RegisterSensor.longitude.is_not_null(),
    )
    if filters.theme:
        query = query.where(RegisterSensor.entry.theme == filters.theme)
    if filters.neighbourhood:
        query = query.where(_in_neighbourhood(RegisterSensor.entry, filters.neighbourhood))
    rows = await query.order_by(RegisterSensor.entry, RegisterSensor.position, RegisterSensor.id).limit(limit + 1)
    return rows[:limit], len(rows) > limit
