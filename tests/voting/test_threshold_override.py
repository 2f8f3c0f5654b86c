"""An administrator's per-idea threshold override (issue 5), through the moderation idea page."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.moderation import decisions
from participation.moderation.tables import ModerationDecision
from participation.register.tables import RegisterEntry
from participation.validation import DomainError, FormErrors
from tests.helpers import csrf_from, make_account, sign_in
from tests.voting.conftest import make_supporters, publish_idea
from voting import services
from voting.permissions import threshold_for


async def test_admin_lowers_the_threshold_and_a_later_support_routes(settings, idea, events):
    assert await services.set_threshold(settings, idea.id, 2, events=events) is None
    idea = await Idea.objects().where(Idea.id == idea.id).first()
    assert threshold_for(idea, settings.city) == 2
    (one, _), (two, _) = await make_supporters(settings, 2)
    await services.support_idea(settings, one, idea.id, events=events)
    outcome = await services.support_idea(settings, two, idea.id, events=events)
    assert outcome.routed_entry_slug is not None


async def test_lowering_below_the_current_count_routes_at_once(settings, idea, events):
    for account, _ in await make_supporters(settings, 3):
        await services.support_idea(settings, account, idea.id, events=events)
    slug = await services.set_threshold(settings, idea.id, 3, events=events)
    assert slug is not None
    assert (await Idea.objects().where(Idea.id == idea.id).first()).status == "routed"
    assert await RegisterEntry.count().where(RegisterEntry.idea_id == idea.id) == 1


async def test_empty_override_restores_the_city_threshold(settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=5)
    await services.set_threshold(settings, idea.id, None, events=events)
    idea = await Idea.objects().where(Idea.id == idea.id).first()
    assert threshold_for(idea, settings.city) == settings.city.support_threshold


@pytest.mark.parametrize("role", [Role.member, Role.moderator, Role.editor])
async def test_only_admins_change_a_threshold(settings, idea, role, events):
    """Who may is moderation's rule, checked once in its decision (voting only checks the idea's status)."""
    someone = await make_account(settings, email="someone@example.org", role=role)
    with pytest.raises(DomainError) as refused:
        await decisions.set_threshold(settings, someone, idea.id, "10", events=events)
    assert refused.value.status_code == 403
    assert (await Idea.objects().where(Idea.id == idea.id).first()).threshold_override is None


@pytest.mark.parametrize("value", [0, -1, 100_001])
async def test_threshold_out_of_range_is_refused(settings, idea, value, events):
    with pytest.raises(FormErrors):
        await services.set_threshold(settings, idea.id, value, events=events)


async def test_no_override_after_routing(settings, idea, events):
    await Idea.update({Idea.status: "routed"}).where(Idea.id == idea.id)
    with pytest.raises(DomainError) as refused:
        await services.set_threshold(settings, idea.id, 10, events=events)
    assert refused.value.status_code == 409


@pytest.mark.parametrize("role, status", [(Role.moderator, 403), (Role.member, 403), (Role.admin, 302)])
async def test_threshold_form_is_for_admins_and_logged(client, settings, idea, role, status):
    await make_account(settings, email="staff@example.org", role=role)
    await sign_in(client, "staff@example.org")
    token = csrf_from((await client.get("/account/password")).text)
    response = await client.post(
        f"/moderation/ideas/{idea.id}/threshold", data={"_csrf_token": token, "threshold": "40"}
    )
    assert response.status_code == status
    stored = (await Idea.objects().where(Idea.id == idea.id).first()).threshold_override
    decisions = await ModerationDecision.count().where(ModerationDecision.action == "set_threshold")
    assert (stored, decisions) == ((40, 1) if role == Role.admin else (None, 0))


async def test_threshold_form_shows_only_for_admins(client, settings, idea):
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    await sign_in(client, "mod@example.org")
    page = await client.get(f"/moderation/ideas/{idea.id}")
    assert page.status_code == 200 and f"/moderation/ideas/{idea.id}/threshold" not in page.text
    await client.post("/logout", data={"_csrf_token": csrf_from(page.text)})
    await make_account(settings, email="admin@example.org", role=Role.admin)
    await sign_in(client, "admin@example.org")
    admin_page = await client.get(f"/moderation/ideas/{idea.id}")
    assert f'action="/moderation/ideas/{idea.id}/threshold"' in admin_page.text
