"""Routing into the register, manual routing, expiry, merging duplicates, the support panel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ideas import lifecycle
from ideas.tables import Idea
from participation import tasks
from participation.accounts.tables import Role
from participation.moderation import decisions
from participation.register.tables import RegisterEntry, RegisterUpdate
from participation.validation import DomainError
from tests.helpers import make_account
from tests.voting.conftest import make_supporters, publish_idea, utcnow
from voting import services
from voting.panel import card_panel, days_left
from voting.tables import Routing, Support


async def test_the_support_reaching_the_threshold_routes_with_copied_fields(settings, events):
    org = await make_account(settings, email="lab@example.org", name="Eva", organisation="Lab", kvk="11112222")
    pilot = await publish_idea(
        settings,
        org,
        kind="pilot",
        threshold_override=3,
        theme="mobility",
        scope="broad",
        neighbourhood="rokkeveen",
        pilot_personal_data=True,
        pilot_personal_data_details="Camerabeelden van fietsers, geanonimiseerd",
    )
    supporters = await make_supporters(settings, 3)
    now = utcnow()
    outcomes = [
        await services.support_idea(settings, account, pilot.id, now=now, events=events) for account, _ in supporters
    ]
    assert [o.routed_entry_slug is not None for o in outcomes] == [False, False, True]
    entry = await RegisterEntry.objects().where(RegisterEntry.idea_id == pilot.id).first()
    assert entry.slug == outcomes[-1].routed_entry_slug
    assert (entry.origin, entry.status) == ("pilot", "received")
    assert (entry.title, entry.summary, entry.theme, entry.scope) == (pilot.title, pilot.summary, "mobility", "broad")
    assert entry.personal_data is True and "Camerabeelden" in entry.data_description
    assert abs(entry.response_due_at - (now + timedelta(weeks=settings.city.response_weeks))) < timedelta(seconds=1)
    assert await RegisterUpdate.count().where(RegisterUpdate.entry == entry.id) >= 1
    routing = await Routing.objects().where(Routing.idea == pilot.id).first()
    assert (routing.support_count, routing.threshold, routing.register_entry_id) == (3, 3, entry.id)
    assert (await Idea.objects().where(Idea.id == pilot.id).first()).status == "routed"


async def test_an_idea_below_the_threshold_is_not_routed(settings, idea, events):
    supporters = await make_supporters(settings, 5)
    for account, _ in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    assert (await Idea.objects().where(Idea.id == idea.id).first()).status == "published"
    assert await RegisterEntry.count() == 0


async def test_moderator_routes_by_hand_with_a_reason(settings, idea, events):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    entry = await services.route_manually(
        settings, moderator, idea.id, "Past in het programma slimme verlichting", events=events
    )
    routing = await Routing.objects().where(Routing.idea == idea.id).first()
    assert (routing.method, routing.moderator, routing.reason) == (
        "moderator",
        moderator.id,
        "Past in het programma slimme verlichting",
    )
    assert entry.idea_id == idea.id
    with pytest.raises(DomainError) as again:
        await services.route_manually(settings, moderator, idea.id, "nogmaals", events=events)
    assert again.value.status_code == 409


@pytest.mark.parametrize("role", [Role.member, Role.editor])
async def test_manual_routing_is_refused_for_non_moderators(settings, idea, role, events):
    someone = await make_account(settings, email="someone@example.org", role=role)
    with pytest.raises(DomainError) as refused:
        await decisions.route(settings, someone, idea.id, "reden", events=events)
    assert refused.value.status_code == 403
    assert await Routing.count() == 0


async def test_manual_routing_needs_a_reason(settings, idea, events):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    with pytest.raises(DomainError):
        await services.route_manually(settings, moderator, idea.id, "   ", events=events)
    assert await Routing.count() == 0


async def test_expiry_task_closes_ideas_whose_window_ended(settings, author, parts, events):
    long_ago = utcnow() - timedelta(days=settings.city.support_window_days, seconds=1)
    expired = await publish_idea(settings, author, published_at=long_ago, title="Een oud idee over de stad")
    running = await publish_idea(settings, author, title="Een nieuw idee over de stad")
    result = await tasks.run_once(parts)
    assert result["ideas_expired"] == 1
    statuses = {r["id"]: r["status"] for r in await Idea.select(Idea.id, Idea.status)}
    assert statuses == {expired.id: "expired", running.id: "published"}
    assert await lifecycle.expire_due_ideas(events=events) == 0


async def test_merge_moves_supports_once(settings, author, events):
    a_author = await make_account(settings, email="a@example.org", name="Auteur A")
    source = await publish_idea(settings, a_author, title="Dubbel idee A over lantaarns")
    target = await publish_idea(settings, author, title="Origineel idee B over lantaarns")
    (one, _), (two, _), (three, _) = await make_supporters(settings, 3)
    for account in (one, two):
        await services.support_idea(settings, account, source.id, events=events)
    for account in (two, three):
        await services.support_idea(settings, account, target.id, events=events)
    await services.support_idea(settings, author, source.id, events=events)  # B's author supported A: not counted on B
    outcome = await services.merge_ideas(settings, source.id, target.id, events=events)
    assert outcome.moved == 1 and outcome.target_support_count == 3
    merged = await Idea.objects().where(Idea.id == source.id).first()
    assert (merged.status, merged.merged_into, merged.support_count) == ("merged", target.id, 0)
    assert await Support.count().where(Support.idea == source.id) == 0
    assert await Support.count().where(Support.idea == target.id) == 3
    assert (await Idea.objects().where(Idea.id == target.id).first()).support_count == 3


async def test_merge_pushing_the_original_over_the_threshold_routes_it_once(settings, author, events):
    a_author = await make_account(settings, email="a@example.org", name="Auteur A")
    source = await publish_idea(settings, a_author, title="Dubbel idee A over lantaarns")
    target = await publish_idea(settings, author, threshold_override=4, title="Origineel idee B over lantaarns")
    supporters = [a for a, _ in await make_supporters(settings, 5)]
    for account in supporters[:3]:
        await services.support_idea(settings, account, target.id, events=events)
    for account in supporters[2:]:
        await services.support_idea(settings, account, source.id, events=events)
    outcome = await services.merge_ideas(settings, source.id, target.id, events=events)
    assert outcome.routed_entry_slug is not None
    assert outcome.target_support_count == 5
    assert await Routing.count().where(Routing.idea == target.id) == 1
    assert (await Routing.objects().where(Routing.idea == target.id).first()).method == "merge"
    assert await RegisterEntry.count().where(RegisterEntry.idea_id == target.id) == 1


@pytest.mark.parametrize("source_status", ["merged", "routed", "rejected"])
async def test_merge_refuses_sources_that_are_no_longer_open(settings, author, source_status, events):
    source = await publish_idea(settings, author, title="Dubbel idee A over lantaarns")
    target = await publish_idea(settings, author, title="Origineel idee B over lantaarns")
    await Idea.update({Idea.status: source_status}).where(Idea.id == source.id)
    with pytest.raises(DomainError):
        await services.merge_ideas(settings, source.id, target.id, events=events)


async def test_merge_into_itself_is_refused(settings, idea, events):
    with pytest.raises(DomainError):
        await services.merge_ideas(settings, idea.id, idea.id, events=events)


async def test_progress_bar_values(settings, author):
    idea = await publish_idea(settings, author, threshold_override=8)
    await Idea.update({Idea.support_count: 3}).where(Idea.id == idea.id)
    idea = await Idea.objects().where(Idea.id == idea.id).first()
    panel = card_panel(settings, idea, now=idea.published_at + timedelta(days=10, hours=1))
    assert (panel.support_count, panel.threshold, panel.percent, panel.remaining) == (3, 8, 37, 5)
    assert panel.days_left == settings.city.support_window_days - 10
    assert card_panel(settings, idea, now=idea.support_closes_at).days_left is None
    await Idea.update({Idea.support_count: 11}).where(Idea.id == idea.id)
    past_threshold = card_panel(settings, await Idea.objects().where(Idea.id == idea.id).first(), now=idea.published_at)
    assert (past_threshold.percent, past_threshold.remaining) == (100, 0)


def test_days_left_rounds_up_partial_days():
    now = utcnow()
    assert days_left(now + timedelta(hours=1), now) == 1
    assert days_left(now + timedelta(days=2, seconds=1), now) == 3
    assert days_left(now, now) is None
