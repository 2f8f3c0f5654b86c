"""Sign in, sign out, wrong passwords and the lockout after 10 failures within 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.accounts.tables import AttemptCount
from tests.accounts.tools import dutch, page_text
from tests.helpers import PASSWORD, make_account, post_form

WRONG = "The email address or password is incorrect."
LOCKED = "Too many failed attempts for this email address. Try again in %(minutes)s minutes or reset your password."


async def attempt(client, email: str, password: str):
    return await post_form(client, "/login", {"email": email, "password": password})


async def test_sign_in_and_sign_out(client, settings):
    await make_account(settings, email="anna@example.org", name="Anna")

    response = await post_form(client, "/login", {"email": "Anna@Example.org ", "password": PASSWORD})
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/account"
    account_page = await client.get("/account")
    assert account_page.status_code == 200
    assert "Anna" in account_page.text

    logout = await post_form(client, "/logout", {}, form_page="/account")
    assert logout.status_code in (302, 303) and logout.headers["location"] == "/"
    after = await client.get("/account")
    assert after.status_code in (302, 303)
    assert after.headers["location"].startswith("/login")


async def test_sign_in_returns_to_the_page_asked_for_but_not_off_site(client, settings):
    await make_account(settings, email="anna@example.org")
    back = await post_form(client, "/login", {"email": "anna@example.org", "password": PASSWORD, "next": "/privacy"})
    assert back.headers["location"] == "/privacy"
    await post_form(client, "/logout", {}, form_page="/")
    away = await post_form(
        client, "/login", {"email": "anna@example.org", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert away.headers["location"] == "/account"


async def test_wrong_password_and_unknown_email_get_the_same_message(client, settings):
    await make_account(settings, email="anna@example.org")

    wrong = await attempt(client, "anna@example.org", "not the right password")
    unknown = await attempt(client, "nobody@example.org", PASSWORD)

    for response in (wrong, unknown):
        assert response.status_code == 401
        assert dutch(WRONG) in page_text(response)
        assert 'name="password"' in response.text, "the form is shown again"
        assert "not the right password" not in response.text
    assert (await client.get("/account")).status_code in (302, 303), "not signed in"


async def test_lockout_after_ten_failures_refuses_even_the_right_password(client, settings):
    await make_account(settings, email="anna@example.org")
    for i in range(10):
        response = await attempt(client, "ANNA@example.org" if i % 2 else "anna@example.org", f"wrong password {i}")
        assert response.status_code == 401, f"attempt {i + 1}"

    locked = await attempt(client, "anna@example.org", PASSWORD)

    assert locked.status_code == 429
    assert dutch(LOCKED, minutes=15) in page_text(locked)
    assert (await client.get("/account")).status_code in (302, 303), "the right password did not sign in"
    # The API's token endpoint shares the lockout.
    api = await client.post("/api/v1/auth/token", json={"email": "anna@example.org", "password": PASSWORD})
    assert api.status_code == 429
    assert api.json()["detail"] == LOCKED % {"minutes": 15}


async def test_nine_failures_do_not_lock_and_success_clears_them(client, settings):
    await make_account(settings, email="anna@example.org")
    for i in range(9):
        assert (await attempt(client, "anna@example.org", f"wrong password {i}")).status_code == 401

    assert (await attempt(client, "anna@example.org", PASSWORD)).status_code in (302, 303)
    assert await AttemptCount.count() == 0


async def test_the_lock_ends_with_its_window(client, settings):
    await make_account(settings, email="anna@example.org")
    for i in range(10):
        await attempt(client, "anna@example.org", f"wrong password {i}")
    assert (await attempt(client, "anna@example.org", PASSWORD)).status_code == 429
    # The window (15 minutes from the first failure) has passed.
    await AttemptCount.update({AttemptCount.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True)

    response = await attempt(client, "anna@example.org", PASSWORD)

    assert response.status_code in (302, 303)


async def test_lockout_is_per_email(client, settings):
    await make_account(settings, email="anna@example.org")
    await make_account(settings, email="bob@example.org")
    for i in range(10):
        await attempt(client, "anna@example.org", f"wrong password {i}")

    assert (await attempt(client, "anna@example.org", PASSWORD)).status_code == 429
    assert (await attempt(client, "bob@example.org", PASSWORD)).status_code in (302, 303)
