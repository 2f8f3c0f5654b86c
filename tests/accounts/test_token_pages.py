"""API tokens on the account page: created with a name and shown once, listed, revoked; and the command line."""

from __future__ import annotations

import pytest

from participation.accounts.tables import ApiToken, Role, SecurityEvent
from participation.lib.clock import utcnow
from tests.accounts.test_token_lifecycle import browser_of, works
from tests.accounts.tools import dutch, page_text
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.helpers import api_token, make_account


@pytest.fixture
async def anna(settings):
    return await make_account(settings, email="anna@example.org", name="Anna")


async def test_a_token_made_on_the_account_page_is_shown_once_and_works(client, anna):
    browser = await browser_of(client, "anna@example.org")

    form = await open_form(browser, "/account", action="/account/tokens")
    form.fill(token_name="Wijkdashboard", token_days="30")
    shown = await form.submit(browser)

    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    secret = text_of(shown, "#api-token")
    assert secret.startswith("pp_")
    assert await works(client, {"Authorization": f"Bearer {secret}"})
    token = await ApiToken.objects().first()
    assert token.name == "Wijkdashboard" and (token.expires_at - utcnow()).days == 29
    account_page = await browser.get("/account")
    assert "Wijkdashboard" in text_of(account_page, "#api-tokens")
    assert secret not in account_page.text, "never shown again"


async def test_the_account_page_lists_name_created_last_used_and_expiry(client, anna):
    headers = await api_token(client, "anna@example.org")
    await client.get("/api/v1/me", headers=headers)
    browser = await browser_of(client, "anna@example.org")

    section = text_of(await browser.get("/account"), "#api-tokens")

    assert dutch("API tokens") in section
    for heading in ("Name", "Created", "Last used", "Expires"):
        assert dutch(heading) in section
    token = await ApiToken.objects().first()
    assert "api" in section and str(token.expires_at.year) in section
    assert dutch("never") not in section, "its use was recorded"


async def test_a_token_without_a_name_is_refused_on_the_form(client, anna):
    browser = await browser_of(client, "anna@example.org")

    form = await open_form(browser, "/account", action="/account/tokens")
    form.fill(token_name="   ")
    refused = await form.submit(browser)

    assert refused.status_code == 422
    assert page_problems(refused).fields == {"token_name": dutch("This field is required.")}
    again = form_on(refused, action="/account/tokens")
    again.fill(token_name="Script")
    assert (await again.submit(browser)).status_code == 200
    assert await ApiToken.count() == 1


async def test_revoking_on_the_account_page(client, anna):
    kept = await api_token(client, "anna@example.org")
    revoked = await api_token(client, "anna@example.org")
    browser = await browser_of(client, "anna@example.org")
    token_id = (await ApiToken.select(ApiToken.id).order_by(ApiToken.id).output(as_list=True))[-1]

    form = await open_form(browser, "/account", action=f"/account/tokens/{token_id}/revoke")
    page = await follow(browser, await form.submit(browser))

    assert dutch("The token is revoked: programs using it no longer have access.") in page_text(page)
    assert not await works(client, revoked)
    assert await works(client, kept)
    assert await SecurityEvent.exists().where(SecurityEvent.kind == "token_revoked")


async def test_another_accounts_token_cannot_be_revoked_from_the_page(client, settings, anna):
    await make_account(settings, email="bram@example.org", name="Bram")
    brams = await api_token(client, "bram@example.org")
    browser = await browser_of(client, "anna@example.org")
    own = form_on(await browser.get("/account"), action="/account/sign-out-everywhere")  # a CSRF token to send
    bram_token = await ApiToken.objects().first()

    response = await browser.post(
        f"/account/tokens/{bram_token.id}/revoke", data={"_csrf_token": dict(own.data())["_csrf_token"]}
    )

    assert response.status_code == 303
    assert await works(client, brams)
    assert dutch("This token does not exist or has already been revoked.") in (await follow(browser, response)).text


async def test_token_pages_need_a_signed_in_account(client):
    client.follow_redirects = False
    assert (await client.get("/account/tokens/new")).headers["location"].startswith("/login")


async def test_the_command_line_issues_a_token_printed_once(client, anna, cli):
    result = await cli("accounts", "token", "Anna@Example.org", "--name", "Koppeling", "--expires-days", "7")

    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("pp_")
    assert await works(client, {"Authorization": f"Bearer {secret}"})
    token = await ApiToken.objects().first()
    assert token.name == "Koppeling" and (token.expires_at - utcnow()).days == 6
    assert secret not in result.stderr and "Koppeling" in result.stderr
    assert await SecurityEvent.exists().where(SecurityEvent.kind == "token_created")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["nobody@example.org"], "No account"),
        (["anna@example.org", "--expires-days", "366"], "--expires-days"),
        (["anna@example.org", "--name", ""], "--name"),
    ],
)
async def test_the_command_line_refuses_what_it_cannot_issue(anna, cli, args, said):
    result = await cli("accounts", "token", *args)
    assert result.exit_code != 0
    assert said in result.output
    assert await ApiToken.count() == 0


async def test_the_command_line_issues_no_token_for_a_suspended_account(settings, cli):
    from participation.moderation.accounts import suspend

    admin = await make_account(settings, email="admin@example.org", name="Beheer", role=Role.admin)
    member = await make_account(settings, email="lid@example.org", name="Lid")
    await suspend(admin, member.id, "Spam.")

    result = await cli("accounts", "token", "lid@example.org")

    assert result.exit_code != 0 and "suspended" in result.output
    assert await ApiToken.count() == 0
