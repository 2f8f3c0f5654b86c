"""Trending, the supports' part: the score moves with each support, and is recounted on activity.

A support or withdrawal adds or takes its own weight in the same UPDATE that changes the counter
(`support_weight`: what one recent support adds to the formula now), so the score follows the
supports at no extra query and without a second write to the row just unlocked. The exact recount
(the recent supports passed to `ideas.trending.store_score`) runs on `ideas.events.IdeaActivity`
(publication, a comment) and in the periodic task, which ages the busiest scores, drops supports
older than the window and so corrects what the increments leave out (the score's ageing in between).
"""

from __future__ import annotations

from datetime import datetime

from piccolo.query.functions.aggregate import Count

from ideas import trending
from ideas.events import IdeaActivity
from participation.lib.clock import utcnow
from voting.tables import Support

REFRESH_BATCH = 500


def support_weight(idea, now: datetime) -> float:
    """What one recent support adds to the idea's score at `now`: the formula's step for one more support."""
    age_hours = (now - (idea.published_at or idea.created_at)).total_seconds() / 3600
    return trending.trending_score(1, 0, age_hours) - trending.trending_score(0, 0, age_hours)


def is_recent(created_at: datetime, now: datetime) -> bool:
    """A support still counts towards the score (it came within the trending window)."""
    return created_at >= trending.window_start(now)


async def recent_supports(idea_id: int, now: datetime) -> int:
    return await Support.count().where((Support.idea == idea_id) & (Support.created_at >= trending.window_start(now)))


async def refresh_trending(idea_id: int, now: datetime | None = None) -> float | None:
    now = now or utcnow()
    return await trending.store_score(idea_id, await recent_supports(idea_id, now), now)


async def on_idea_activity(event: IdeaActivity) -> None:
    await refresh_trending(event.idea_id, event.at)


async def refresh_trending_batch(limit: int = REFRESH_BATCH, now: datetime | None = None) -> int:
    """Bounded by `limit` per run, in a fixed number of queries: the batch's recent supports in one."""
    now = now or utcnow()
    ids = await trending.busiest_published(limit)
    recent = dict.fromkeys(ids, 0)
    if ids:
        rows = (
            await Support.select(Support.idea, Count())
            .where(Support.idea.is_in(ids) & (Support.created_at >= trending.window_start(now)))
            .group_by(Support.idea)
        )
        recent.update({row["idea"]: row["count"] for row in rows})
    return await trending.store_scores(recent, now)
