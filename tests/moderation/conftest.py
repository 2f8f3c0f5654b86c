"""Fixtures for moderation: people in every role, ideas in every state, signed-in browsers and tokens."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account, Role
from tests.accounts.tools import another_browser
from tests.helpers import api_token, csrf_from, make_account, sign_in
from tests.ideas.factories import make_comment, make_idea

ROLES = ("member", "editor", "moderator", "admin")


@pytest.fixture
async def people(settings) -> dict[str, Account]:
    return {
        "author": await make_account(settings, email="author@example.org", name="Auteur"),
        "member": await make_account(settings, email="member@example.org", name="Lid"),
        "editor": await make_account(settings, email="editor@example.org", name="Redacteur", role=Role.editor),
        "moderator": await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator),
        "admin": await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin),
    }


@pytest.fixture
async def submitted(people) -> Idea:
    return await make_idea(people["author"], status="submitted", title="Slimme bankjes in het Stadshart")


@pytest.fixture
async def published(people) -> Idea:
    return await make_idea(people["author"], status="published", title="Deelfietsen bij elk station")


@pytest.fixture
async def comment(people, published):
    return await make_comment(published, people["author"], body="Een gewone reactie op dit idee.")


async def browser_as(client, email: str | None):
    """A browser of its own (cookie jar) signed in as `email`, or anonymous."""
    browser = another_browser(client)
    browser.follow_redirects = False
    if email:
        await sign_in(browser, email)
    return browser


async def csrf_token(browser, signed_in: bool) -> str:
    page = await browser.get("/account/password" if signed_in else "/login")
    return csrf_from(page.text)


async def post(browser, url: str, data: dict | None = None, signed_in: bool = True):
    return await browser.post(url, data={**(data or {}), "_csrf_token": await csrf_token(browser, signed_in)})


async def token_for(client, account: Account) -> dict[str, str]:
    return await api_token(client, account.email)
