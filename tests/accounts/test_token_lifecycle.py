"""Finding 2 of issue 12: API tokens survived password change, reset, suspension and role change.

Each test takes a working token, does what a person does through the rendered forms (or the
command line), and checks the token is refused afterwards and the security log says so.
"""

from __future__ import annotations

import httpx
import pytest

from participation.accounts.tables import Account, ApiToken, Role, SecurityEvent
from tests.accounts.test_api import assert_problem
from tests.accounts.tools import another_browser
from tests.flows.conftest import sign_in_with_form
from tests.forms import follow, form_on, open_form, text_of
from tests.helpers import PASSWORD, api_token, link_from, make_account

NEW_PASSWORD = "vier paarden drinken koffie"


async def browser_of(client, email: str) -> httpx.AsyncClient:
    """A browser of its own, signed in through the login form."""
    browser = another_browser(client)
    browser.follow_redirects = False
    await sign_in_with_form(browser, email)  # with the app's code for staff
    return browser


async def works(client, headers: dict[str, str]) -> bool:
    response = await client.get("/api/v1/me", headers=headers)
    if response.status_code == 200:
        return True
    assert_problem(response, 401)
    return False


async def log_of(account: Account) -> list[dict]:
    return await (
        SecurityEvent.select(SecurityEvent.kind, SecurityEvent.actor, SecurityEvent.detail)
        .where(SecurityEvent.account == account.id)
        .order_by(SecurityEvent.id)
    )


@pytest.fixture
async def anna(settings) -> Account:
    return await make_account(settings, email="anna@example.org", name="Anna")


async def test_changing_the_password_ends_the_tokens(client, anna):
    headers = await api_token(client, "anna@example.org")
    second = await api_token(client, "anna@example.org")
    browser = await browser_of(client, "anna@example.org")

    form = await open_form(browser, "/account/password", action="/account/password")
    form.fill(current_password=PASSWORD, password=NEW_PASSWORD)
    await follow(browser, await form.submit(browser))

    assert not await works(client, headers) and not await works(client, second)
    assert await ApiToken.count() == 0
    log = await log_of(anna)
    assert [e["kind"] for e in log][-2:] == ["password_changed", "tokens_ended"]
    assert log[-1]["detail"].startswith("2 token(s)")


async def test_resetting_the_password_ends_the_tokens(client, anna, outbox):
    headers = await api_token(client, "anna@example.org")
    browser = another_browser(client)
    browser.follow_redirects = False

    forgot = await open_form(browser, "/account/forgot", action="/account/forgot")
    forgot.fill(email="anna@example.org")
    await forgot.submit(browser)
    reset = await open_form(browser, link_from(outbox[-1].body, "/account/reset"), action="/account/reset")
    reset.fill(password=NEW_PASSWORD)
    await follow(browser, await reset.submit(browser))

    assert not await works(client, headers)
    assert [e["kind"] for e in await log_of(anna)][-3:] == [
        "password_reset_requested",
        "password_reset",
        "tokens_ended",
    ]


async def test_a_reset_request_for_an_unknown_address_logs_nothing_and_answers_the_same(client, anna, outbox):
    browser = another_browser(client)
    answers = []
    for email in ("anna@example.org", "nobody@example.org"):
        forgot = await open_form(browser, "/account/forgot", action="/account/forgot")
        forgot.fill(email=email)
        answers.append(await forgot.submit(browser))

    assert answers[0].status_code == answers[1].status_code == 200
    assert text_of(answers[0], "h1, main p") == text_of(answers[1], "h1, main p")
    kinds = await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.account)
    assert kinds == [{"kind": "password_reset_requested", "account": anna.id}]


async def test_suspension_ends_the_tokens_and_lifting_does_not_bring_them_back(client, settings, anna):
    moderator = await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator)
    headers = await api_token(client, "anna@example.org")
    staff = await browser_of(client, "mod@example.org")

    form = await open_form(staff, f"/moderation/accounts/{anna.id}", action=f"/moderation/accounts/{anna.id}/suspend")
    form.fill(reason="Herhaaldelijk reclame geplaatst.")
    page = await follow(staff, await form.submit(staff))
    assert not await works(client, headers)

    lift = form_on(page, action=f"/moderation/accounts/{anna.id}/lift")
    await follow(staff, await lift.submit(staff))

    assert not await works(client, headers)
    log = await log_of(anna)
    assert [(e["kind"], e["actor"]) for e in log if e["kind"] != "token_created"] == [
        ("account_suspended", moderator.id),
        ("tokens_ended", moderator.id),
        ("suspension_lifted", moderator.id),
    ]
    assert "reclame" not in " ".join(e["detail"] for e in log), "the reason stays in the decision log"


async def test_a_role_change_by_an_admin_ends_the_tokens(client, settings, anna):
    admin = await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin)
    headers = await api_token(client, "anna@example.org")
    browser = await browser_of(client, "admin@example.org")

    search = await open_form(browser, "/moderation/roles", method="get", selector="[role=search]")
    search.fill(q="anna@example.org")
    form = form_on(await search.submit(browser), action=f"/moderation/roles/{anna.id}")
    form.fill(role="editor")
    await follow(browser, await form.submit(browser))

    assert not await works(client, headers)
    log = await log_of(anna)
    assert [(e["kind"], e["actor"]) for e in log][-2:] == [("role_changed", admin.id), ("tokens_ended", admin.id)]
    assert log[-2]["detail"] == "member -> editor"


async def test_a_role_change_on_the_command_line_ends_the_tokens(client, anna, cli):
    headers = await api_token(client, "anna@example.org")

    result = await cli("accounts", "set-role", "--email", "anna@example.org", "--role", "moderator")

    assert result.exit_code == 0, result.output
    assert not await works(client, headers)
    log = await log_of(anna)
    assert [(e["kind"], e["actor"], e["detail"]) for e in log][-2] == ("role_changed", None, "member -> moderator")


async def test_sign_out_everywhere_ends_every_session_and_token(client, anna):
    headers = await api_token(client, "anna@example.org")
    laptop = await browser_of(client, "anna@example.org")
    phone = await browser_of(client, "anna@example.org")

    form = await open_form(phone, "/account", action="/account/sign-out-everywhere")
    login = await follow(phone, await form.submit(phone))

    assert str(login.url).endswith("/login")
    for browser in (laptop, phone):
        assert (await browser.get("/account")).status_code in (302, 303)
    assert not await works(client, headers)
    assert [e["kind"] for e in await log_of(anna)][-2:] == ["tokens_ended", "sign_out"]
    # Signing in again works, with a fresh session.
    again = await browser_of(client, "anna@example.org")
    assert (await again.get("/account")).status_code == 200


async def test_other_accounts_keep_their_tokens(client, settings, anna):
    await make_account(settings, email="bram@example.org", name="Bram")
    brams = await api_token(client, "bram@example.org")
    browser = await browser_of(client, "anna@example.org")

    form = await open_form(browser, "/account", action="/account/sign-out-everywhere")
    await form.submit(browser)

    assert await works(client, brams)
