"""Ideas and pilot proposals with a point, for the map: exactly what the public list may show."""

from __future__ import annotations

from dataclasses import dataclass

from ideas.lifecycle import as_read
from ideas.search import LISTED_STATUSES
from ideas.tables import Idea
from participation.lib.clock import utcnow

# More markers than this help nobody; the page says so and asks for a filter.
MAX_MAPPED = 1000


@dataclass(frozen=True)
class IdeaPlaceFilters:
    theme: str | None = None
    neighbourhood: str | None = None
    kind: str | None = None  # "idea" or "pilot"
    status: str | None = None  # one of LISTED_STATUSES


async def mapped_ideas(filters: IdeaPlaceFilters, limit: int = MAX_MAPPED) -> tuple[list[Idea], bool]:
    """Listed ideas with a point, newest first, as readers see them now; and whether there were more.

    Submitted, hidden, rejected, withdrawn and merged ideas never appear: they are not listed.
    """
    query = Idea.objects().where(
        Idea.status.is_in(list(LISTED_STATUSES)), Idea.latitude.is_not_null(), Idea.longitude.is_not_null()
    )
    for column, value in ((Idea.theme, filters.theme), (Idea.neighbourhood, filters.neighbourhood)):
        if value:
            query = query.where(column == value)
    if filters.kind:
        query = query.where(Idea.kind == filters.kind)
    now = utcnow()
    ideas = [as_read(idea, now) for idea in await query.order_by(Idea.published_at, ascending=False).limit(limit + 1)]
    # A closed window reads as expired before the task writes it: filter on what readers see.
    if filters.status:
        ideas = [idea for idea in ideas if idea.status == filters.status]
    return ideas[:limit], len(ideas) > limit
