"""Trending, the supports' part: voting counts an idea's recent supports and passes the figure in.

Called after a support or withdrawal commits, on `ideas.events.IdeaActivity` (publication, a
comment) and by the periodic task, which ages the busiest scores so last month's hit drops.
"""

from __future__ import annotations

from datetime import datetime

from piccolo.query.functions.aggregate import Count

from ideas import trending
from ideas.events import IdeaActivity
from participation.lib.clock import utcnow
from voting.tables import Support

REFRESH_BATCH = 500


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
