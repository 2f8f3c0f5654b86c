"""Suspension (refused everywhere, session ended, the person sees why), lifting it, and roles (admins only)."""

from __future__ import annotations

import pytest

from participation.accounts.tables import Account
from participation.moderation import accounts
from participation.moderation.tables import ModerationDecision
from participation.validation import DomainError, FormErrors
from tests.accounts.tools import page_text
from tests.ideas.factories import idea_form, old_form_token
from tests.moderation.conftest import browser_as, post, token_for

pytestmark = pytest.mark.anyio
REASON = "Herhaaldelijk reclame geplaatst."


async def test_suspension_ends_the_session_and_refuses_everything(client, settings, people, published, comment):
    member = people["member"]
    browser = await browser_as(client, member.email)
    assert (await browser.get("/account")).status_code == 200
    token = await token_for(client, member)
    moderator = await browser_as(client, people["moderator"].email)
    assert (await post(moderator, f"/moderation/accounts/{member.id}/suspend", {"reason": REASON})).status_code == 302

    # The existing session has ended: the next request is anonymous.
    response = await browser.get("/account")
    assert response.status_code == 302 and response.headers["location"].startswith("/login")

    # Signing in again works, but the account can no longer act; the page says why.
    browser = await browser_as(client, member.email)
    assert REASON in page_text(await browser.get("/account"))
    assert (await browser.get("/ideas/new")).status_code == 403
    form = {**idea_form(), "form_token": old_form_token(settings)}
    assert (await post(browser, "/ideas/new", form)).status_code == 403
    assert (await post(browser, f"/ideas/{published.id}/comments", {"body": "Nog een reactie"})).status_code == 403
    await post(browser, f"/ideas/{published.id}/support")  # refused: a flash message, no support (counted below)
    assert (await post(browser, f"/report/idea/{published.id}", {"reason": "spam"})).status_code == 403

    # A token made before the suspension ended with it; one made since can do nothing either.
    assert (await client.get("/api/v1/me", headers=token)).status_code == 401
    token = await token_for(client, member)
    assert (
        await client.post("/api/v1/ideas", json={k: v for k, v in idea_form().items()}, headers=token)
    ).status_code == 403
    assert (
        await client.post(f"/api/v1/ideas/{published.id}/comments", json={"body": "Hallo"}, headers=token)
    ).status_code == 403
    assert (await client.put(f"/api/v1/ideas/{published.id}/support", headers=token)).status_code == 403
    report = await client.post(
        "/api/v1/reports", json={"target_type": "comment", "target_id": comment.id, "reason": "spam"}, headers=token
    )
    assert report.status_code == 403
    from ideas.tables import Comment, Idea
    from participation.moderation.tables import Report
    from voting.tables import Support

    assert await Idea.count().where(Idea.author == member.id) == 0
    assert await Comment.count().where(Comment.author == member.id) == 0
    assert await Support.count() == 0 and await Report.count() == 0
    assert [r["action"] for r in await ModerationDecision.select()] == ["suspend"]


async def test_lift_suspension(client, people):
    member = people["member"]
    await accounts.suspend(people["moderator"], member.id, REASON)
    await accounts.lift_suspension(people["moderator"], member.id)
    account = await Account.objects().get(Account.id == member.id)
    assert account.suspended_at is None and account.suspension_reason is None
    with pytest.raises(DomainError):
        await accounts.lift_suspension(people["moderator"], member.id)
    assert [r["action"] for r in await ModerationDecision.select()] == ["suspend", "lift_suspension"]


async def test_suspension_needs_a_reason_and_rights(people):
    with pytest.raises(FormErrors):
        await accounts.suspend(people["moderator"], people["member"].id, "  ")
    with pytest.raises(DomainError):
        await accounts.suspend(people["moderator"], people["moderator"].id, REASON)  # not yourself
    with pytest.raises(DomainError):
        await accounts.suspend(people["moderator"], people["editor"].id, REASON)  # staff: admins only
    with pytest.raises(DomainError):
        await accounts.suspend(people["editor"], people["member"].id, REASON)
    assert await ModerationDecision.count() == 0
    await accounts.suspend(people["admin"], people["editor"].id, REASON)
    assert await ModerationDecision.count() == 1


async def test_only_admins_change_roles(client, people):
    member = people["member"]
    with pytest.raises(DomainError):
        await accounts.change_role(people["moderator"], member.id, "moderator")
    admin = await browser_as(client, people["admin"].email)
    response = await post(admin, f"/moderation/roles/{member.id}", {"role": "moderator"})
    assert response.status_code == 302
    assert (await Account.objects().get(Account.id == member.id)).role == "moderator"
    with pytest.raises(DomainError):
        await accounts.change_role(people["admin"], people["admin"].id, "member")
    rows = await ModerationDecision.select()
    assert [(r["action"], r["category"], r["target_id"]) for r in rows] == [("set_role", "moderator", member.id)]


async def test_account_search(client, people):
    moderator = await browser_as(client, people["moderator"].email)
    page = page_text(await moderator.get("/moderation/accounts?q=LID"))
    assert "member@example.org" in page
