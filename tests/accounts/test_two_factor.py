"""Two-step sign-in: enrolment, the code step, recovery codes, replay, staff rules, the token API.

Codes are what an authenticator app shows: computed with pyotp from the key the page shows
(or the key the factories enrolled staff with).
"""

from __future__ import annotations

import asyncio
import re
import time

import pyotp
import pytest

from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account, RecoveryCode, Role, SecurityEvent, TwoFactor
from participation.accounts.two_factor import current_step
from participation.i18n import translations
from tests.accounts.tools import another_browser, dutch, page_text
from tests.forms import follow, form_on, open_form
from tests.helpers import PASSWORD, make_account, secret_on, sign_in
from tests.sign_in_codes import STAFF_TOTP_SECRET, code_after, sign_in_code


async def signed_in(client) -> bool:
    response = await client.get("/account", follow_redirects=False)
    return response.status_code == 200


async def events(kind: SecurityEventKind, account: Account) -> int:
    return await SecurityEvent.count().where((SecurityEvent.kind == kind.value) & (SecurityEvent.account == account.id))


async def password_step(client, email: str, remember: bool = False):
    form = await open_form(client, "/login", action="/login")
    form.fill(email=email, password=PASSWORD, **({"remember": "on"} if remember else {}))
    return await form.submit(client)


async def code_step(client, code: str):
    form = await open_form(client, "/login/code", action="/login/code")
    form.fill(code=code)
    return await form.submit(client)


async def turn_on(client) -> list[str]:
    """Enrol through the account page as a person with an app would; returns the recovery codes shown."""
    page = await client.get("/account/two-step")
    form = form_on(page, action="/account/two-step/enable")
    form.fill(code=code_after(secret_on(page.text), last_used_step=0))
    shown = await form.submit(client)
    assert shown.status_code == 200
    return re.findall(r"<li><code>([a-z2-9-]+)</code></li>", shown.text)


@pytest.fixture
def clock(monkeypatch):
    """Move wall-clock time on for the whole app (sessions, pending sign-ins and TOTP steps alike)."""
    offset = [0.0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    def advance(minutes: float) -> None:
        offset[0] += minutes * 60

    return advance


async def test_a_member_turns_it_on_with_a_code_from_the_qr_code_and_gets_ten_recovery_codes(client, settings):
    anna = await make_account(settings, email="anna@example.org")
    await sign_in(client, anna.email)
    account_page = page_text(await client.get("/account"))
    assert dutch("Off: your password alone signs you in.") in account_page

    page = await client.get("/account/two-step")
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml', page.text), "QR code rendered on the server"
    assert "style=" not in page.text.split('src="data:', 1)[1].split('"', 1)[0], "no inline style under the CSP"
    wrong = form_on(page, action="/account/two-step/enable")
    wrong.fill(code="000000" if code_after(secret_on(page.text), 0) != "000000" else "111111")
    refused = await wrong.submit(client)
    assert refused.status_code == 422 and not await TwoFactor.exists().where(TwoFactor.account == anna.id)
    assert secret_on(refused.text) == secret_on(page.text), "the same key until a right code confirms it"

    codes = await turn_on(client)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert await RecoveryCode.count().where(RecoveryCode.account == anna.id) == 10
    stored = {row["code_hash"] for row in await RecoveryCode.select(RecoveryCode.code_hash)}
    assert not stored & set(codes), "recovery codes are stored hashed"
    assert await events(SecurityEventKind.two_factor_enabled, anna) == 1
    assert dutch("On: you sign in with your password and a code from your authenticator app.") in page_text(
        await client.get("/account")
    )


async def test_sign_in_waits_for_the_code_and_then_starts_a_fresh_session(client, settings):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    client.follow_redirects = False

    after_password = await password_step(client, moderator.email)
    pending_cookie = client.cookies.get("session")

    assert after_password.headers["location"] == "/login/code"
    assert not await signed_in(client), "the password alone signs nobody in"
    assert (await client.get("/moderation")).status_code in (302, 303)
    done = await code_step(client, code_after(STAFF_TOTP_SECRET, 0))
    assert done.status_code == 302 and done.headers["location"] == "/account"
    assert await signed_in(client)
    assert client.cookies.get("session") != pending_cookie, "a fresh session id once every factor is in"
    assert (await client.get("/moderation")).status_code == 200
    assert await events(SecurityEventKind.sign_in, moderator) == 1


async def test_a_wrong_code_is_logged_and_five_end_the_pending_sign_in(client, settings):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    client.follow_redirects = False
    await password_step(client, moderator.email)
    right = code_after(STAFF_TOTP_SECRET, 0)
    wrong = "123456" if right != "123456" else "654321"

    for _ in range(4):
        refused = await code_step(client, wrong)
        assert refused.status_code == 422
    fifth = await code_step(client, wrong)

    assert fifth.status_code == 302 and fifth.headers["location"] == "/login"
    assert (await client.get("/login/code")).headers["location"] == "/login", "the pending sign-in is gone"
    assert await events(SecurityEventKind.two_factor_failed, moderator) == 5
    assert not await signed_in(client)


async def test_a_code_is_accepted_once(client, settings):
    """Replay: the code of a time step that already signed in is refused, even from another browser."""
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    code = pyotp.TOTP(STAFF_TOTP_SECRET).generate_otp(current_step())
    first, second = client, another_browser(client)
    for browser in (first, second):
        browser.follow_redirects = False
        await password_step(browser, moderator.email)

    assert (await code_step(first, code)).status_code == 302
    assert (await code_step(second, code)).status_code == 422
    assert await signed_in(first) and not await signed_in(second)


async def test_the_same_code_sent_twice_at_once_signs_in_once(client, settings):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    code = pyotp.TOTP(STAFF_TOTP_SECRET).generate_otp(current_step())
    browsers = [another_browser(client) for _ in range(4)]
    forms = []
    for browser in browsers:
        browser.follow_redirects = False
        await password_step(browser, moderator.email)
        form = await open_form(browser, "/login/code", action="/login/code")
        form.fill(code=code)
        forms.append(form)

    answers = await asyncio.gather(*(form.submit(browser) for form, browser in zip(forms, browsers, strict=True)))

    assert sorted(answer.status_code for answer in answers) == [302, 422, 422, 422]


async def test_a_recovery_code_signs_in_once(client, settings):
    anna = await make_account(settings, email="anna@example.org")
    await sign_in(client, anna.email)
    codes = await turn_on(client)
    browser = another_browser(client)
    browser.follow_redirects = False

    await password_step(browser, anna.email)
    assert (await code_step(browser, codes[3].upper().replace("-", " "))).status_code == 302
    assert await signed_in(browser)
    assert await events(SecurityEventKind.recovery_code_used, anna) == 1

    again = another_browser(client)
    again.follow_redirects = False
    await password_step(again, anna.email)
    assert (await code_step(again, codes[3])).status_code == 422
    assert (await code_step(again, codes[4])).status_code == 302


async def test_the_pending_sign_in_expires_after_five_minutes(client, settings, clock):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    client.follow_redirects = False
    await password_step(client, moderator.email)
    form = await open_form(client, "/login/code", action="/login/code")

    clock(6)  # the person comes back from a coffee
    form.fill(code=await sign_in_code(moderator.email))
    late = await form.submit(client)

    assert late.status_code == 302 and late.headers["location"] == "/login"
    assert not await signed_in(client)


async def test_new_recovery_codes_replace_the_old_ones_after_a_code(client, settings):
    anna = await make_account(settings, email="anna@example.org")
    await sign_in(client, anna.email)
    old = await turn_on(client)

    page = await client.get("/account/two-step")
    unused = translations("nl").ngettext(
        "You have %(num)s unused recovery code.", "You have %(num)s unused recovery codes.", 10
    )
    assert unused % {"num": 10} in page_text(page)
    form = form_on(page, action="/account/two-step/recovery-codes")
    form.fill(code="999999" if await sign_in_code(anna.email) != "999999" else "888888")
    assert (await form.submit(client)).status_code == 422
    form.fill(code=await sign_in_code(anna.email))
    shown = await form.submit(client)
    new = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", shown.text)

    assert len(new) == 10 and not set(new) & set(old)
    assert await RecoveryCode.count().where(RecoveryCode.account == anna.id) == 10


async def test_a_member_turns_it_off_with_password_and_code(client, settings):
    anna = await make_account(settings, email="anna@example.org")
    await sign_in(client, anna.email)
    await turn_on(client)

    page = await client.get("/account/two-step")
    form = form_on(page, action="/account/two-step/disable")
    form.fill(password="not my password", code=await sign_in_code(anna.email))
    refused = await form.submit(client)
    assert refused.status_code == 422 and await TwoFactor.exists().where(TwoFactor.account == anna.id)
    form = form_on(refused, action="/account/two-step/disable")
    form.fill(password=PASSWORD, code=await sign_in_code(anna.email))
    await follow(client, await form.submit(client))

    assert not await TwoFactor.exists().where(TwoFactor.account == anna.id)
    assert await RecoveryCode.count().where(RecoveryCode.account == anna.id) == 0
    assert await events(SecurityEventKind.two_factor_disabled, anna) == 1
    browser = another_browser(client)
    browser.follow_redirects = False
    assert (await password_step(browser, anna.email)).headers["location"] == "/account"


async def test_staff_cannot_turn_it_off(client, settings):
    editor = await make_account(settings, email="editor@example.org", role=Role.editor)
    await sign_in(client, editor.email)

    page = await client.get("/account/two-step")
    assert 'action="/account/two-step/disable"' not in page.text
    assert dutch("City staff need two-step sign-in; it cannot be turned off.") in page_text(page)
    token = dict(form_on(page, action="/account/two-step/recovery-codes").data())["_csrf_token"]
    forced = await client.post(
        "/account/two-step/disable",
        data={"password": PASSWORD, "code": await sign_in_code(editor.email), "_csrf_token": token},
    )

    assert forced.status_code == 403
    assert await TwoFactor.exists().where(TwoFactor.account == editor.id)


async def test_staff_without_a_second_factor_enrol_before_anything_else(client, settings):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    await TwoFactor.delete().where(TwoFactor.account == moderator.id)  # as made by `accounts create`
    client.follow_redirects = False

    assert (await password_step(client, moderator.email)).headers["location"] == "/login/enrol"
    assert not await signed_in(client)
    assert (await client.get("/moderation")).status_code in (302, 303)
    page = await client.get("/login/enrol")
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml', page.text)
    form = form_on(page, action="/login/enrol")
    form.fill(code=code_after(secret_on(page.text), 0))
    shown = await form.submit(client)

    assert shown.status_code == 200 and len(re.findall(r"<li><code>", shown.text)) == 10
    assert (await client.get("/moderation")).status_code == 200
    assert await events(SecurityEventKind.two_factor_enabled, moderator) == 2  # factory, then this enrolment
    assert await events(SecurityEventKind.sign_in, moderator) == 1


async def test_staff_guards_refuse_a_session_without_a_second_factor(client, settings):
    """A staff session from before two-step sign-in existed (no factor on record) cannot moderate."""
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    await sign_in(client, moderator.email)
    await TwoFactor.delete().where(TwoFactor.account == moderator.id)

    refused = await client.get("/moderation", follow_redirects=False)

    assert refused.status_code == 403
    assert "/account/two-step" in refused.text
    assert (await client.get("/account/two-step")).status_code == 200, "where the way out is"


async def test_the_token_api_asks_for_the_code(client, settings):
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    credentials = {"email": moderator.email, "password": PASSWORD}

    without = await client.post("/api/v1/auth/token", json=credentials)
    assert without.status_code == 401 and without.headers["content-type"].startswith("application/problem+json")
    assert "code" in without.json()["detail"]
    wrong = await client.post("/api/v1/auth/token", json={**credentials, "code": "12345x"})
    assert wrong.status_code == 401
    assert await events(SecurityEventKind.two_factor_failed, moderator) == 1
    right = await client.post("/api/v1/auth/token", json={**credentials, "code": await sign_in_code(moderator.email)})
    assert right.status_code == 201
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {right.json()['token']}"})
    assert me.json()["role"] == "moderator"


async def test_staff_without_a_second_factor_get_no_token(client, settings):
    admin = await make_account(settings, email="admin@example.org", role=Role.admin)
    await TwoFactor.delete().where(TwoFactor.account == admin.id)

    refused = await client.post("/api/v1/auth/token", json={"email": admin.email, "password": PASSWORD})

    assert refused.status_code == 403 and "two-step" in refused.json()["detail"]


async def test_members_without_it_sign_in_with_the_password_and_it_is_logged(client, settings):
    anna = await make_account(settings, email="anna@example.org")
    client.follow_redirects = False

    assert (await password_step(client, anna.email)).headers["location"] == "/account"
    assert await signed_in(client)
    assert await events(SecurityEventKind.sign_in, anna) == 1
    token = await client.post("/api/v1/auth/token", json={"email": anna.email, "password": PASSWORD})
    assert token.status_code == 201


async def test_staff_sessions_ignore_remember_me_and_idle_out_after_thirty_minutes(client, settings, clock):
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    await make_account(settings, email="anna@example.org")
    staff, member = another_browser(client), another_browser(client)
    await sign_in(staff, "mod@example.org", remember=True)
    await sign_in(member, "anna@example.org", remember=True)

    clock(29)
    assert await signed_in(staff) and await signed_in(member)
    clock(31)

    assert not await signed_in(staff), "no 'keep me signed in' for staff"
    assert await signed_in(member), "members keep today's remember-me"


async def test_ten_wrong_codes_in_a_quarter_of_an_hour_stop_every_code_for_the_account(client, settings):
    """Starting sign-in again and again (the password is known) does not buy more guesses."""
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    client.follow_redirects = False
    right = code_after(STAFF_TOTP_SECRET, 0)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(2):
        await password_step(client, moderator.email)
        for _ in range(5):
            await code_step(client, wrong)

    await password_step(client, moderator.email)
    refused = await code_step(client, right)
    api = await client.post("/api/v1/auth/token", json={"email": moderator.email, "password": PASSWORD, "code": right})

    assert refused.status_code == 422 and not await signed_in(client)
    assert dutch("Too many wrong codes for this account. Try again in 15 minutes.") in page_text(refused)
    assert api.status_code == 429
    assert await events(SecurityEventKind.two_factor_failed, moderator) == 10
