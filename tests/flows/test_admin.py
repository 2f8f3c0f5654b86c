"""Administrators: role changes and the per-idea support threshold, through their forms."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.register.tables import RegisterEntry
from tests.forms import follow, form_on, forms_on, open_form, page_problems
from tests.ideas.factories import make_idea
from voting.tables import Support


@pytest.fixture
async def admin(people, browser):
    return await browser("admin@example.org")


async def role_of(account: Account) -> str:
    return (await Account.objects().get(Account.id == account.id)).role


async def test_admin_gives_a_member_a_role_after_searching(people, admin):
    member = people["member"]
    search = await open_form(admin, "/moderation/roles", method="get", selector="[role=search]")
    search.fill(q="member@example.org")
    found = await search.submit(admin)
    assert found.status_code == 200

    form = form_on(found, action=f"/moderation/roles/{member.id}")
    form.fill(role="editor")
    page = await follow(admin, await form.submit(admin))
    assert await role_of(member) == "editor"
    # The new editor is listed with the staff, with a form to change the role again.
    form_on(page, action=f"/moderation/roles/{member.id}")


async def test_admin_changes_a_staff_role(people, admin, browser):
    moderator = people["moderator"]
    signed_in_moderator = await browser("mod@example.org")
    form = await open_form(admin, "/moderation/roles", action=f"/moderation/roles/{moderator.id}")
    form.fill(role="member")
    await follow(admin, await form.submit(admin))
    assert await role_of(moderator) == "member"
    # The role change signs the person out: the moderation page is closed to them now.
    assert (await signed_in_moderator.get("/moderation/")).status_code in (302, 303, 401, 403)


async def test_admin_offers_no_form_for_their_own_role(people, admin):
    page = await admin.get("/moderation/roles")
    assert not [f for f in forms_on(page) if f.action.endswith(f"/moderation/roles/{people['admin'].id}")]


async def test_admin_overrides_the_threshold_of_one_idea(people, admin):
    idea = await make_idea(people["author"], status="published", title="Slimme afvalbakken")
    form = await open_form(admin, f"/moderation/ideas/{idea.id}", action=f"/moderation/ideas/{idea.id}/threshold")
    form.fill(threshold="250")
    page = await follow(admin, await form.submit(admin))
    assert (await Idea.objects().get(Idea.id == idea.id)).threshold_override == 250
    again = form_on(page, action=f"/moderation/ideas/{idea.id}/threshold")
    assert dict(again.data())["threshold"] == "250"

    # Emptying the field goes back to the city's threshold.
    again.fill(threshold="")
    await follow(admin, await again.submit(admin))
    assert (await Idea.objects().get(Idea.id == idea.id)).threshold_override is None


async def test_a_threshold_at_the_support_count_routes_at_once(people, admin):
    idea = await make_idea(people["author"], status="published", title="Slimme afvalbakken", support_count=1)
    await Support(account=people["member"].id, idea=idea.id).save()
    form = await open_form(admin, f"/moderation/ideas/{idea.id}", action=f"/moderation/ideas/{idea.id}/threshold")
    form.fill(threshold="1")
    await follow(admin, await form.submit(admin))
    assert (await Idea.objects().get(Idea.id == idea.id)).status == "routed"
    assert await RegisterEntry.exists().where(RegisterEntry.idea_id == idea.id)


async def test_a_threshold_that_is_not_a_number_is_refused(people, admin):
    idea = await make_idea(people["author"], status="published", title="Slimme afvalbakken")
    form = await open_form(admin, f"/moderation/ideas/{idea.id}", action=f"/moderation/ideas/{idea.id}/threshold")
    form.fill(threshold="veel")
    response = await form.submit(admin)
    assert response.status_code == 422
    assert "threshold" in page_problems(response).fields


async def test_a_moderator_is_offered_no_threshold_form(people, browser):
    idea = await make_idea(people["author"], status="published", title="Slimme afvalbakken")
    moderator = await browser("mod@example.org")
    page = await moderator.get(f"/moderation/ideas/{idea.id}")
    assert not [f for f in forms_on(page) if f.action.endswith("/threshold")]
