"""Confirming it is you, for an account with two-step sign-in: the password and a code, both."""

from __future__ import annotations

from participation.accounts.tables import Role, SecurityEvent
from tests.accounts.tools import field_error
from tests.forms import open_form
from tests.helpers import PASSWORD, make_account
from tests.privacy.test_export import goes_to, signed_in
from tests.sign_in_codes import sign_in_code


async def test_the_confirmation_asks_for_the_code_too(client, settings):
    await make_account(settings, email="mod@example.org", role=Role.moderator)  # enrolled by the factory
    browser = await signed_in(client, "mod@example.org")
    first = await browser.get("/account/data")
    assert goes_to(first) == "/account/confirm?next=/account/data"

    form = await open_form(browser, goes_to(first), action="/account/confirm")
    assert "code" in form.names, "the form asks for the code from the app"
    form.fill(password=PASSWORD, code="000000")
    wrong = await form.submit(browser)
    assert wrong.status_code == 422
    assert field_error(wrong, "code")
    assert (await browser.get("/account/data")).status_code == 303, "still not confirmed"
    kinds = await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.path).where(
        SecurityEvent.kind == "two_factor_failed"
    )
    assert kinds == [{"kind": "two_factor_failed", "path": "/account/confirm"}]

    form = await open_form(browser, "/account/confirm?next=/account/data", action="/account/confirm")
    form.fill(password=PASSWORD, code=await sign_in_code("mod@example.org"))
    confirmed = await form.submit(browser)
    assert goes_to(confirmed) == "/account/data"
    assert (await browser.get("/account/data")).status_code == 200


async def test_without_two_step_sign_in_the_password_is_enough(client, settings):
    await make_account(settings, email="anna@example.org")
    browser = await signed_in(client, "anna@example.org")
    form = await open_form(browser, "/account/confirm?next=/account/data", action="/account/confirm")
    assert "code" not in form.names
    form.fill(password=PASSWORD)
    assert goes_to(await form.submit(browser)) == "/account/data"
