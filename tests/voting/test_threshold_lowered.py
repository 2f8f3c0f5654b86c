"""Threshold changes apply (issue 11): after the city lowers its threshold in the configuration, the periodic
task routes every published idea already at or over it, exactly once, with the same rules as a support,
also when two runs of the task overlap (on both databases)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from ideas.tables import Idea
from participation import tasks
from participation.composition import build_parts
from participation.register.tables import RegisterEntry
from tests.helpers import make_account
from tests.voting.conftest import publish_idea, utcnow
from voting.tables import Routing


def lowered(settings, threshold: int):
    """The app's wiring after the city's configuration set a lower threshold."""
    return build_parts(replace(settings, city=replace(settings.city, support_threshold=threshold)))


@pytest.fixture
async def ideas(settings, author) -> dict[str, Idea]:
    """Published ideas at 12, 5 and 3 supports under the default threshold (100), one with its own of 50."""
    made = {}
    for name, count, override in (("over", 12, None), ("at", 5, None), ("below", 3, None), ("own", 12, 50)):
        idea = await publish_idea(settings, author, threshold_override=override, title=f"Idee {name} de drempel nu")
        await Idea.update({Idea.support_count: count}).where(Idea.id == idea.id)
        made[name] = idea
    return made


async def statuses(ideas: dict[str, Idea]) -> dict[str, str]:
    rows = await Idea.select(Idea.id, Idea.status).where(Idea.id.is_in([i.id for i in ideas.values()]))
    by_id = {row["id"]: row["status"] for row in rows}
    return {name: by_id[idea.id] for name, idea in ideas.items()}


async def test_the_task_routes_ideas_at_or_over_the_lowered_threshold_once(settings, ideas, parts):
    unchanged = await tasks.run_once(build_parts(settings))
    assert unchanged["ideas_routed"] == 0
    parts = lowered(settings, 5)
    assert (await tasks.run_once(parts))["ideas_routed"] == 2
    assert await statuses(ideas) == {"over": "routed", "at": "routed", "below": "published", "own": "published"}
    routings = await Routing.objects().order_by(Routing.idea)
    assert [(r.idea, r.method, r.support_count, r.threshold) for r in routings] == [
        (ideas["over"].id, "threshold", 12, 5),
        (ideas["at"].id, "threshold", 5, 5),
    ]
    entries = await RegisterEntry.objects().order_by(RegisterEntry.idea_id)
    assert [(e.idea_id, e.status) for e in entries] == [(ideas["over"].id, "received"), (ideas["at"].id, "received")]
    assert all(e.response_due_at is not None for e in entries)
    # Again: nothing left to route.
    assert (await tasks.run_once(parts))["ideas_routed"] == 0
    assert await Routing.count() == 2 and await RegisterEntry.count() == 2


async def test_a_closed_window_expires_rather_than_routes_as_for_a_support(settings, author):
    closed = await publish_idea(
        settings,
        author,
        published_at=utcnow().replace(year=utcnow().year - 1),
        title="Een idee waarvan de steunperiode voorbij is",
    )
    await Idea.update({Idea.support_count: 40}).where(Idea.id == closed.id)
    result = await tasks.run_once(lowered(settings, 10))
    assert result["ideas_routed"] == 0
    assert (await Idea.objects().where(Idea.id == closed.id).first()).status == "expired"
    assert await Routing.count() == 0


async def test_two_runs_at_once_route_each_idea_exactly_once(settings, author, parts):
    ideas = []
    for n in range(6):
        idea = await publish_idea(settings, author, title=f"Gelijktijdig doorgestuurd idee {n}")
        await Idea.update({Idea.support_count: 20 + n}).where(Idea.id == idea.id)
        ideas.append(idea)
    parts = lowered(settings, 20)
    results = await asyncio.gather(tasks.run_once(parts), tasks.run_once(parts), tasks.run_once(parts))
    assert sum(r["ideas_routed"] for r in results) == 6
    assert await Routing.count() == 6
    assert await RegisterEntry.count() == 6
    for idea in ideas:
        assert await Routing.count().where(Routing.idea == idea.id) == 1
        assert await RegisterEntry.count().where(RegisterEntry.idea_id == idea.id) == 1
    assert await Idea.count().where(Idea.status == "routed") == 6


async def test_routed_by_the_task_the_idea_page_shows_the_banner(client, settings, author):
    idea = await publish_idea(settings, author, title="Na de verlaging doorgestuurd idee")
    await Idea.update({Idea.support_count: 30}).where(Idea.id == idea.id)
    await make_account(settings, email="fan@example.org")
    before = await client.get(f"/ideas/{idea.id}?lang=en")
    assert "Sign in to support this idea" in before.text and "What happened with this idea" not in before.text
    await tasks.run_once(lowered(settings, 25))
    after = await client.get(f"/ideas/{idea.id}?lang=en")
    assert "What happened with this idea" in after.text
    assert "Sign in to support this idea" not in after.text and "days left" not in after.text
