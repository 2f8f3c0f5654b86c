"""Form-true flows: people in every role, a browser each, and a clock that lets a person take their time.

Set-up data (accounts, ideas, entries) comes from the factories; the action under test
always goes through the rendered form (tests/forms.py).
"""

from __future__ import annotations

import time

import httpx
import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account, Role
from tests.accounts.tools import another_browser
from tests.forms import expect_status, follow, form_on, open_form
from tests.helpers import PASSWORD, make_account
from tests.ideas.factories import make_comment, make_idea
from tests.sign_in_codes import sign_in_code


class Clock:
    """Wall-clock time that moves on when a person would: reading, typing, coming back later."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._real = time.time

    def now(self) -> float:
        return self._real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Patch `time.time` everywhere: the new-idea form refuses posts faster than a person types."""
    clock = Clock()
    monkeypatch.setattr(time, "time", clock.now)
    return clock


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
async def published(people) -> Idea:
    return await make_idea(people["author"], status="published", title="Deelfietsen bij elk station")


@pytest.fixture
async def comment_by_author(people, published):
    return await make_comment(published, people["author"], body="Een gewone reactie op dit idee.")


async def sign_in_with_form(browser: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    """Sign in through the login page's form; returns the page shown after the redirect."""
    form = await open_form(browser, "/login", action="/login")
    form.fill(email=email, password=password)
    page = await follow(browser, await form.submit(browser))
    if page.url.path == "/login/code":  # two-step sign-in: the code the app shows
        form = form_on(page, action="/login/code")
        form.fill(code=await sign_in_code(email))
        page = await follow(browser, await form.submit(browser))
    return page


@pytest.fixture
def browser(client):
    """`await browser(email)`: a browser of its own (cookie jar), signed in through the form; None: anonymous."""

    async def open_browser(email: str | None = None) -> httpx.AsyncClient:
        new = another_browser(client)
        new.follow_redirects = False
        if email:
            await sign_in_with_form(new, email)
        return new

    return open_browser


async def outcome(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """The page a person sees after submitting: the redirect's target, or the page itself when it answers 200."""
    if response.is_redirect:
        return await follow(client, response)
    return expect_status(response, 200)
