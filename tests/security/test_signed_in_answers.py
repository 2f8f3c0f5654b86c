"""Answers to signed-in requests are never cached; refused access by an account is in the security log."""

from __future__ import annotations

import pytest

from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Role, SecurityEvent
from tests.accounts.tools import another_browser
from tests.flows.conftest import sign_in_with_form
from tests.helpers import api_token, make_account
from tests.ideas.factories import make_idea

pytestmark = pytest.mark.anyio


async def _denials() -> list[dict]:
    return await SecurityEvent.select(SecurityEvent.account, SecurityEvent.path, SecurityEvent.detail).where(
        SecurityEvent.kind == SecurityEventKind.access_denied.value
    )


async def test_anonymous_public_pages_keep_their_caching(client):
    for path in ("/", "/ideas", "/register", "/api/v1/ideas"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("cache-control", ""), path


async def test_every_answer_to_a_signed_in_browser_is_no_store(client, settings):
    await make_account(settings, email="anna@example.org")
    await sign_in_with_form(client, "anna@example.org")
    client.follow_redirects = False
    for path, status in (("/", 200), ("/ideas", 200), ("/account", 200), ("/ideas/999999", 404), ("/moderation", 403)):
        response = await client.get(path)
        assert response.status_code == status, path
        assert response.headers["cache-control"] == "no-store", path


async def test_every_answer_to_a_bearer_token_is_no_store(client, settings):
    await make_account(settings, email="anna@example.org")
    headers = await api_token(client, "anna@example.org")
    for path, status in (("/api/v1/me", 200), ("/api/v1/ideas", 200), ("/api/v1/moderation/queue", 403)):
        response = await client.get(path, headers=headers)
        assert response.status_code == status, path
        assert response.headers["cache-control"] == "no-store", path


async def test_a_member_refused_a_staff_page_is_logged(client, settings):
    member = await make_account(settings, email="anna@example.org")
    await sign_in_with_form(client, "anna@example.org")
    response = await client.get("/moderation/reports")
    assert response.status_code == 403
    assert await _denials() == [{"account": member.id, "path": "/moderation/reports", "detail": "GET 403"}]


async def test_a_token_refused_by_a_service_is_logged(client, settings):
    author = await make_account(settings, email="anna@example.org")
    idea = await make_idea(author)
    headers = await api_token(client, "anna@example.org")
    response = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert response.status_code == 403  # one's own idea
    assert await _denials() == [{"account": author.id, "path": f"/api/v1/ideas/{idea.id}/support", "detail": "PUT 403"}]


async def test_anonymous_refusals_are_not_logged(client, settings):
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    client.follow_redirects = False
    assert (await client.get("/moderation")).status_code == 302  # to sign-in
    assert (await client.get("/api/v1/moderation/queue")).status_code == 401
    assert (await client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})).status_code == 401
    assert await _denials() == []


async def test_allowed_requests_are_not_logged(client, settings):
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    staff = another_browser(client)
    await sign_in_with_form(staff, "mod@example.org")
    assert (await staff.get("/moderation")).status_code == 200
    assert await _denials() == []
