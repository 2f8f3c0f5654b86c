"""Regression (issue 9): outside the app, trending still counts supports.

The hooks that gave ideas the support count used to be installed only by `create_app`, so
`participation tasks run-once` and the demo loader scored an idea with 87 supports as if it
had none (1.8 instead of 157.7). The composition root now wires the CLI as it wires the app.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ideas import trending
from ideas.tables import Comment, Idea
from participation.demo import load_demo
from participation.lib.clock import utcnow
from tests.voting.conftest import make_supporters, publish_idea
from voting import services
from voting.tables import Support


async def _expected(idea_id: int) -> float:
    """The score from the rows as they are now: every support and comment here is recent."""
    idea = await Idea.objects().get(Idea.id == idea_id)
    now = utcnow()
    age_hours = (now - idea.published_at).total_seconds() / 3600
    supports = await Support.count().where(Support.idea == idea_id)
    comments = await Comment.count().where(Comment.idea == idea_id)
    return trending.trending_score(supports, comments, age_hours)


async def _stored(idea_id: int) -> float:
    return (await Idea.select(Idea.trending_score).where(Idea.id == idea_id).first())["trending_score"]


async def test_demo_loader_scores_ideas_with_their_supports(parts):
    await load_demo(parts)
    idea = await Idea.objects().get(Idea.title == "Slimme fietsenstalling bij station Oosterheem")
    assert idea.support_count == 87
    assert await _stored(idea.id) == pytest.approx(await _expected(idea.id), rel=0.01)
    assert await _stored(idea.id) > trending.trending_score(0, 0, 0) + 100  # 87 supports weigh in


async def test_tasks_run_once_from_the_command_line_keeps_supports_in_the_score(settings, database_url, author, events):
    idea = await publish_idea(settings, author)
    for account, _ in await make_supporters(settings, 12):
        await services.support_idea(settings, account, idea.id, events=events)
    await Idea.update({Idea.trending_score: 0.0}).where(Idea.id == idea.id)  # as if it had aged

    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "participation.cli", "tasks", "run-once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "trending_refreshed: 1" in result.stdout
    assert await _stored(idea.id) == pytest.approx(await _expected(idea.id), rel=0.01)
    assert await _stored(idea.id) > trending.trending_score(0, 0, 0) + 10


async def test_the_periodic_batch_scores_each_idea_as_one_refresh_would(settings, author, events):
    """The batch reads supports and comments for all its ideas at once; each score is still the idea's own."""
    from voting.trending import refresh_trending_batch

    busy = await publish_idea(settings, author, title="Een druk besproken idee over bankjes")
    quiet = await publish_idea(settings, author, title="Een rustig idee over lantaarns")
    for account, _ in await make_supporters(settings, 5):
        await services.support_idea(settings, account, busy.id, events=events)
    await Comment.insert(
        *(Comment(idea=busy.id, author=author.id, body=f"Reactie {n}", created_at=utcnow()) for n in range(3))
    )
    await Idea.update({Idea.trending_score: 0.0}, force=True)
    assert await refresh_trending_batch() == 2
    for idea in (busy, quiet):
        assert await _stored(idea.id) == pytest.approx(await _expected(idea.id), rel=0.01)
    assert await _stored(busy.id) > await _stored(quiet.id)
