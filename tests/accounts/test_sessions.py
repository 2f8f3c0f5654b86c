"""Server-side sessions: no fixation, logout ends them, password change ends the others, idle and absolute expiry."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from participation.accounts import auth
from tests.accounts.tools import another_browser
from tests.helpers import PASSWORD, make_account, post_form, sign_in

NEW_PASSWORD = "a brand new passphrase 2"


def session_cookie(client) -> str | None:
    return client.cookies.get("session")


async def signed_in(client) -> bool:
    response = await client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login"), (
        response.status_code
    )
    return False


async def test_a_session_id_chosen_by_the_client_is_not_kept_at_sign_in(client, settings):
    await make_account(settings, email="anna@example.org")
    client.cookies.set("session", "attacker-chosen-session-id", domain="testserver.local")

    await sign_in(client, "anna@example.org")

    assert session_cookie(client) not in (None, "attacker-chosen-session-id")
    assert await signed_in(client)


async def test_a_planted_stored_session_id_is_replaced_at_sign_in_and_stops_working(client, settings):
    """The attacker gets a real id from the store (an anonymous session) and plants it in the victim's browser."""
    await make_account(settings, email="anna@example.org")
    async with another_browser(client) as attacker:
        await attacker.get("/?lang=en")  # stores the language choice: an anonymous session exists
        planted = session_cookie(attacker)
        assert planted
        client.cookies.set("session", planted, domain="testserver.local")

        await sign_in(client, "anna@example.org")

        assert session_cookie(client) != planted
        assert await signed_in(client)
        assert not await signed_in(attacker), "the old id does not carry the victim's sign-in"
        assert await client._transport.app.stores.get("sessions").get(planted) is None, "the old id is deleted"


async def test_sign_out_ends_the_session_on_the_server(client, settings):
    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org")
    stolen = session_cookie(client)

    await post_form(client, "/logout", {}, form_page="/account")

    async with another_browser(client) as thief:
        thief.cookies.set("session", stolen, domain="testserver.local")
        assert not await signed_in(thief)
    assert not await signed_in(client)


async def test_changing_the_password_ends_other_sessions_but_keeps_this_one(client, settings):
    await make_account(settings, email="anna@example.org")
    async with another_browser(client) as laptop:
        await sign_in(client, "anna@example.org")
        await sign_in(laptop, "anna@example.org")
        before = session_cookie(client)

        response = await post_form(
            client, "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD}
        )

        assert response.status_code in (302, 303)
        assert await signed_in(client), "the session that changed the password continues"
        assert session_cookie(client) != before, "under a new id"
        assert not await signed_in(laptop)
    await post_form(client, "/logout", {}, form_page="/account")
    assert (await post_form(client, "/login", {"email": "anna@example.org", "password": PASSWORD})).status_code == 401
    await sign_in(client, "anna@example.org", NEW_PASSWORD)
    assert await signed_in(client)


async def test_change_password_checks_the_current_one(client, settings):
    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org")
    response = await post_form(
        client, "/account/password", {"current_password": "not it at all", "password": NEW_PASSWORD}
    )
    assert response.status_code == 422
    assert 'id="f-current_password-error"' in response.text
    assert await signed_in(client)


@pytest.fixture
def clock(monkeypatch):
    """Move the session clock of `participation.accounts.auth` forward."""
    state = SimpleNamespace(now=time.time())
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: state.now))

    def advance(minutes: float) -> None:
        state.now += minutes * 60

    return advance


async def test_idle_session_expires_after_thirty_minutes(client, settings, clock):
    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org")

    clock(29)
    assert await signed_in(client), "activity within 30 minutes keeps the session"
    clock(29)
    assert await signed_in(client), "idle time counts from the last request"
    clock(31)
    assert not await signed_in(client)
    clock(-31)
    assert not await signed_in(client), "an expired session is ended, not just hidden"


async def test_remember_me_outlasts_the_idle_timeout_but_not_twelve_hours(client, settings, clock):
    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org", remember=True)

    clock(3 * 60)
    assert await signed_in(client)
    clock(8 * 60)
    assert await signed_in(client)
    clock(61 + 1)
    assert not await signed_in(client), "the absolute limit of 12 hours holds even with activity"


async def test_session_cookie_is_http_only_and_same_site_lax(client, settings):
    await make_account(settings, email="anna@example.org")
    response = await sign_in(client, "anna@example.org")
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
    assert cookies, response.headers
    attributes = {part.strip().lower() for part in cookies[-1].split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes, "development runs on http"


async def test_anonymous_visit_sets_no_session_cookie(client):
    response = await client.get("/")
    assert not [c for c in response.headers.get_list("set-cookie") if c.startswith("session=")]
