"""The stored trending score (DESIGN.md section 6): recent activity divided by age with a gravity.

The score is kept on the idea and refreshed on activity and periodically, never computed over
all ideas per request. Comments are this domain's; supports are counted by the voting domain,
which passes the figure in (`voting.trending`).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from piccolo.query.functions.aggregate import Count

from ideas.tables import Comment, CommentStatus, Idea, IdeaStatus
from participation.database import write_transaction

TRENDING_WINDOW = timedelta(days=30)
TRENDING_GRAVITY = 1.4


def trending_score(supports_30d: int, comments_30d: int, age_hours: float) -> float:
    """Fider's shape: `(5*supports + 3*comments - 1) / (age_hours + 2)^1.4` over the last 30 days."""
    return (5 * supports_30d + 3 * comments_30d - 1) / math.pow(max(age_hours, 0.0) + 2, TRENDING_GRAVITY)


def window_start(now: datetime) -> datetime:
    return now - TRENDING_WINDOW


async def store_score(idea_id: int, recent_supports: int, now: datetime) -> float | None:
    """Recompute and store one idea's score from its supports in the window; None if it does not exist."""
    idea = await Idea.objects().get(Idea.id == idea_id)
    if idea is None:
        return None
    comments = await Comment.count().where(
        (Comment.idea == idea_id)
        & (Comment.status == CommentStatus.visible.value)
        & (Comment.created_at >= window_start(now))
    )
    age_hours = (now - (idea.published_at or idea.created_at)).total_seconds() / 3600
    score = trending_score(recent_supports, comments, age_hours)
    await Idea.update({Idea.trending_score: score}).where(Idea.id == idea_id)
    return score


async def store_scores(recent_supports: dict[int, int], now: datetime) -> int:
    """Many ideas' scores at once (the periodic refresh): two reads, then one UPDATE per 250 ideas.

    One score per idea read and written separately cost four queries, each its own SQLite
    connection and commit: 500 ideas took 11 s at city scale. Returns how many were stored.
    """
    ids = list(recent_supports)
    if not ids:
        return 0
    ideas = await Idea.select(Idea.id, Idea.published_at, Idea.created_at).where(Idea.id.is_in(ids))
    comments = {
        row["idea"]: row["count"]
        for row in await Comment.select(Comment.idea, Count())
        .where(
            Comment.idea.is_in(ids)
            & (Comment.status == CommentStatus.visible.value)
            & (Comment.created_at >= window_start(now))
        )
        .group_by(Comment.idea)
    }
    scores = []
    for idea in ideas:
        age_hours = (now - (idea["published_at"] or idea["created_at"])).total_seconds() / 3600
        scores.append((idea["id"], trending_score(recent_supports[idea["id"]], comments.get(idea["id"], 0), age_hours)))
    async with write_transaction():
        for start in range(0, len(scores), _UPDATE_CHUNK):
            await _update_scores(scores[start : start + _UPDATE_CHUNK])
    return len(scores)


# Ideas per UPDATE statement: three parameters each, far below either engine's parameter limit.
_UPDATE_CHUNK = 250


async def _update_scores(scores: list[tuple[int, float]]) -> None:
    """One UPDATE for many ideas (a CASE over the ids): the write lock is held for milliseconds."""
    cases = " ".join("WHEN {} THEN CAST({} AS DOUBLE PRECISION)" for _ in scores)
    ids = ", ".join("{}" for _ in scores)
    await Idea.raw(
        f"UPDATE idea SET trending_score = CASE id {cases} END WHERE id IN ({ids})",
        *(value for pair in scores for value in pair),
        *(idea_id for idea_id, _ in scores),
    )


async def busiest_published(limit: int) -> list[int]:
    """The published ideas with the highest stored scores: the ones a periodic refresh must age."""
    return (
        await Idea.select(Idea.id)
        .where(Idea.status == IdeaStatus.published.value)
        .order_by(Idea.trending_score, ascending=False)
        .limit(limit)
        .output(as_list=True)
    )
