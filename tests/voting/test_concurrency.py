"""Concurrent supports through the real app, on both databases: nothing lost, nothing doubled, routed once."""

from __future__ import annotations

import asyncio

from ideas.tables import Idea
from participation.register.tables import RegisterEntry
from tests.voting.conftest import make_supporters, publish_idea
from voting.tables import Routing, Support


async def _state(idea_id: int) -> tuple[int, int, str]:
    idea = await Idea.objects().where(Idea.id == idea_id).first()
    return await Support.count().where(Support.idea == idea_id), idea.support_count, idea.status


async def test_100_accounts_support_one_idea_concurrently(client, settings, author):
    idea = await publish_idea(settings, author, threshold_override=1000)
    supporters = await make_supporters(settings, 100)
    responses = await asyncio.gather(
        *(client.put(f"/api/v1/ideas/{idea.id}/support", headers=h) for _, h in supporters)
    )
    assert [r.status_code for r in responses] == [200] * 100
    assert await _state(idea.id) == (100, 100, "published")
    assert sorted(r.json()["support_count"] for r in responses) == list(range(1, 101))


async def test_one_account_sends_50_concurrent_supports(client, settings, idea):
    [(_, headers)] = await make_supporters(settings, 1)
    responses = await asyncio.gather(
        *(client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers) for _ in range(50))
    )
    assert {r.status_code for r in responses} == {200}
    assert await _state(idea.id) == (1, 1, "published")


async def test_120_concurrent_supporters_with_threshold_50_route_exactly_once(client, settings, author):
    idea = await publish_idea(settings, author, threshold_override=50)
    supporters = await make_supporters(settings, 120)
    responses = await asyncio.gather(
        *(client.put(f"/api/v1/ideas/{idea.id}/support", headers=h) for _, h in supporters)
    )
    # The 50th support routes the idea; a routed idea takes no further supports (the rest are refused, not lost).
    assert sorted(r.status_code for r in responses) == [200] * 50 + [409] * 70
    assert await _state(idea.id) == (50, 50, "routed")
    assert await RegisterEntry.count().where(RegisterEntry.idea_id == idea.id) == 1
    routing = await Routing.objects().where(Routing.idea == idea.id)
    assert len(routing) == 1 and routing[0].support_count == 50 and routing[0].method == "threshold"
    # Exactly one response reports the routing: the support that reached the threshold.
    assert sum(1 for r in responses if r.status_code == 200 and r.json()["register_entry"]) == 1


async def test_concurrent_support_and_withdraw_by_one_account_stay_consistent(client, settings, idea):
    [(_, headers)] = await make_supporters(settings, 1)
    calls = [
        client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
        if i % 2 == 0
        else client.delete(f"/api/v1/ideas/{idea.id}/support", headers=headers)
        for i in range(40)
    ]
    responses = await asyncio.gather(*calls)
    assert {r.status_code for r in responses} == {200}
    rows, count, _ = await _state(idea.id)
    assert rows in (0, 1)
    assert count == rows
