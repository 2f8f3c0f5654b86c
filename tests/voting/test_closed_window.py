"""An idea whose support window has closed expires before anything could route it (found by the property test).

A support and a moderator's routing already expired it first; a merge and a lowered threshold routed it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from ideas.tables import Idea
from participation.validation import DomainError
from tests.helpers import make_account
from tests.voting.conftest import make_supporters, publish_idea, utcnow
from voting import services
from voting.tables import Routing


async def _close_window(idea: Idea) -> None:
    await Idea.update({Idea.support_closes_at: utcnow() - timedelta(minutes=1)}).where(Idea.id == idea.id)


async def _status(idea: Idea) -> str:
    return (await Idea.select(Idea.status).where(Idea.id == idea.id).first())["status"]


async def test_a_merge_into_an_idea_whose_window_closed_does_not_route_it(settings, author, events):
    duplicate = await publish_idea(settings, await make_account(settings, email="a@example.org"), title="Dubbel idee")
    original = await publish_idea(settings, author, threshold_override=2, title="Origineel idee over lantaarns")
    (one, _), (two, _) = await make_supporters(settings, 2)
    await services.support_idea(settings, one, original.id, events=events)
    await services.support_idea(settings, two, duplicate.id, events=events)
    await _close_window(original)
    outcome = await services.merge_ideas(settings, duplicate.id, original.id, events=events)
    assert outcome.routed_entry_slug is None and outcome.target_support_count == 2
    assert await _status(original) == "expired"
    assert await Routing.count() == 0


async def test_a_duplicate_whose_window_closed_expires_instead_of_merging(settings, author, events):
    duplicate = await publish_idea(settings, await make_account(settings, email="a@example.org"), title="Dubbel idee")
    original = await publish_idea(settings, author, title="Origineel idee over lantaarns")
    await _close_window(duplicate)
    with pytest.raises(DomainError) as refused:
        await services.merge_ideas(settings, duplicate.id, original.id, events=events)
    assert refused.value.status_code == 409


async def test_lowering_the_threshold_after_the_window_closed_does_not_route(settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=5)
    (one, _), (two, _) = await make_supporters(settings, 2)
    for account in (one, two):
        await services.support_idea(settings, account, idea.id, events=events)
    await _close_window(idea)
    with pytest.raises(DomainError) as refused:
        await services.set_threshold(settings, idea.id, 2, events=events)
    assert refused.value.status_code == 409
    assert await Routing.count() == 0
    assert await _status(idea) != "routed"


async def test_a_closed_window_reads_as_closed_at_once_and_the_task_expires_it_once(
    settings, author, parts, client, monkeypatch
):
    """Lists do not write: they read the closed window as expired; the periodic task makes it so, with one event."""
    from ideas.events import IdeaStatusChanged
    from participation import tasks

    closed = await publish_idea(settings, author, title="Een idee waarvan de termijn voorbij is")
    still_open = await publish_idea(settings, author, title="Een idee dat nog steun zoekt")
    await _close_window(closed)

    def listed(response) -> dict[int, str]:
        assert response.status_code == 200, response.text
        return {item["id"]: item["status"] for item in response.json()["items"]}

    assert listed(await client.get("/api/v1/ideas")) == {closed.id: "expired", still_open.id: "published"}
    assert listed(await client.get("/api/v1/ideas?status=published")) == {still_open.id: "published"}
    assert listed(await client.get("/api/v1/ideas?status=expired")) == {closed.id: "expired"}
    assert list(listed(await client.get("/api/v1/ideas?sort=closing"))) == [still_open.id, closed.id]
    page = (await client.get("/ideas?status=published")).text
    assert "Een idee dat nog steun zoekt" in page and "termijn voorbij" not in page
    assert await _status(closed) == "published", "reading wrote nothing"

    changes: list[IdeaStatusChanged] = []
    publish = parts.events.publish

    async def recording(event: object) -> None:
        if isinstance(event, IdeaStatusChanged):
            changes.append(event)
        await publish(event)

    monkeypatch.setattr(parts.events, "publish", recording)
    first, second = await tasks.run_once(parts), await tasks.run_once(parts)
    assert (first["ideas_expired"], second["ideas_expired"]) == (1, 0)
    assert [(e.idea_id, e.previous, e.status) for e in changes] == [(closed.id, "published", "expired")]
    assert await _status(closed) == "expired" and await _status(still_open) == "published"

    ((_supporter, headers),) = await make_supporters(settings, 1)
    refused = await client.put(f"/api/v1/ideas/{closed.id}/support", headers=headers)
    assert refused.status_code == 409
