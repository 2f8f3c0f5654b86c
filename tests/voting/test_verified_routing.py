"""Where the city counts only verified supports, routing follows that figure: at its threshold,
exactly once, under concurrent supports and under a concurrent change of verification."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from ideas.tables import Idea
from participation.accounts.verification import set_verification
from participation.lib.clock import utcnow
from participation.register.tables import RegisterEntry
from tests.voting.conftest import make_supporters, publish_idea
from tests.voting.test_verified_supports import counts, true_counts
from voting import services
from voting.tables import Routing, Support


@pytest.fixture
def settings(settings):
    return replace(settings, city=replace(settings.city, support_counts="verified"))


async def routed_once(idea_id: int, verified: int) -> None:
    status = (await Idea.select(Idea.status).where(Idea.id == idea_id).first())["status"]
    assert status == "routed"
    routings = await Routing.objects().where(Routing.idea == idea_id)
    assert len(routings) == 1 and routings[0].method == "threshold" and routings[0].support_count == verified
    assert await RegisterEntry.count().where(RegisterEntry.idea_id == idea_id) == 1


async def test_unverified_supports_do_not_route_verified_ones_do(settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=2)
    supporters = [a for a, _ in await make_supporters(settings, 4)]
    for account in supporters[:2]:
        await set_verification(account.id, resident=True, events=events)
        account.verified_resident = True
    for account in supporters[2:]:  # two supports, neither verified: below the threshold of 2 verified
        assert (await services.support_idea(settings, account, idea.id, events=events)).routed_entry_slug is None
    first = await services.support_idea(settings, supporters[0], idea.id, events=events)
    assert first.routed_entry_slug is None and (first.support_count, first.verified_support_count) == (3, 1)
    second = await services.support_idea(settings, supporters[1], idea.id, events=events)
    assert second.routed_entry_slug is not None
    await routed_once(idea.id, 2)


async def test_concurrent_supports_route_at_the_verified_threshold_exactly_once(client, settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=20)
    supporters = await make_supporters(settings, 60)
    for account, _ in supporters[::2]:  # every other supporter is a verified resident: 30 of them
        await set_verification(account.id, resident=True, events=events)
    responses = await asyncio.gather(
        *(client.put(f"/api/v1/ideas/{idea.id}/support", headers=h) for _, h in supporters)
    )
    assert {r.status_code for r in responses} <= {200, 409}
    accepted = [r.json() for r in responses if r.status_code == 200]
    assert sum(1 for r in accepted if r["register_entry"]) == 1  # the support that reached 20 verified said so
    await routed_once(idea.id, 20)
    total, verified = await counts(idea.id)
    assert (total, verified) == await true_counts(idea.id) and verified == 20 and total == len(accepted)


async def test_a_verification_that_brings_an_idea_to_its_threshold_routes_it(settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=3)
    supporters = [a for a, _ in await make_supporters(settings, 3)]
    for account in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    for account in supporters[:2]:
        await set_verification(account.id, resident=True, events=events)
    assert (await Idea.objects().get(Idea.id == idea.id)).status == "published"
    await set_verification(supporters[2].id, organisation=True, events=events)
    await routed_once(idea.id, 3)
    # Taking the verification away afterwards changes the figure, not the routing.
    await set_verification(supporters[2].id, organisation=False, events=events)
    assert await counts(idea.id) == (3, 2)
    await routed_once(idea.id, 3)


async def test_a_verification_after_the_window_closed_expires_the_idea_instead(settings, author, events):
    idea = await publish_idea(
        settings,
        author,
        threshold_override=1,
        published_at=utcnow() - timedelta(days=settings.city.support_window_days + 1),
    )
    [(account, _)] = await make_supporters(settings, 1)
    await Idea.update({Idea.support_count: 1}).where(Idea.id == idea.id)  # supported while it was open
    await Support(account=account.id, idea=idea.id).save()
    await set_verification(account.id, resident=True, events=events)
    assert (await Idea.objects().get(Idea.id == idea.id)).status == "expired"
    assert not await Routing.exists().where(Routing.idea == idea.id)


async def test_concurrent_supports_and_verifications_route_exactly_once(client, settings, author, events):
    """Supports through the app while their supporters are being verified: one routing, counts true."""
    idea = await publish_idea(settings, author, threshold_override=15)
    supporters = await make_supporters(settings, 40)
    for account, _ in supporters[:10]:  # ten verified supports already
        await set_verification(account.id, resident=True, events=events)
        account.verified_resident = True
        await services.support_idea(settings, account, idea.id, events=events)

    async def verify(account) -> None:
        await set_verification(account.id, resident=True, events=events)

    calls = []
    for account, headers in supporters[10:]:
        calls.append(client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers))
        calls.append(verify(account))
    results = await asyncio.gather(*calls)
    responses = [r for r in results if r is not None]
    assert {r.status_code for r in responses} <= {200, 409}
    # It routed when the verified figure reached 15, by a support or by a verification, once.
    await routed_once(idea.id, 15)
    total, verified = await counts(idea.id)
    assert (total, verified) == await true_counts(idea.id)
    assert verified >= 15  # verifications after the routing still count


async def test_the_page_shows_progress_in_verified_supports(client, settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=10)
    supporters = [a for a, _ in await make_supporters(settings, 3)]
    await set_verification(supporters[0].id, resident=True, events=events)
    supporters[0].verified_resident = True
    for account in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    page = (await client.get(f"/ideas/{idea.id}?lang=en")).text
    assert "1 verified support of the 10 needed" in page
    assert "3 supports, 1 from verified residents and organisations" in page
    assert '<progress class="support-progress__bar" max="10" value="1"' in page
    assert (await client.get(f"/api/v1/ideas/{idea.id}")).json()["threshold_counts"] == "verified"
