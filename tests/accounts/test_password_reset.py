"""Password reset by email link: request, mail, new password; the link works once; no account discovery."""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

from participation.accounts import signed_links
from participation.accounts.tables import Account, AttemptCount, SecurityEvent
from participation.lib.clock import utcnow
from tests.accounts.tools import dutch, page_text
from tests.forms import open_form
from tests.helpers import PASSWORD, link_from, make_account, post_form

NEW_PASSWORD = "fresh passphrase for the lake"
SAME_ANSWER = "If an account exists for this address, we sent it a link to choose a new password."
NOT_VALID = "This link is invalid or has already been used."


async def request_reset(client, email: str):
    return await post_form(client, "/account/forgot", {"email": email})


async def choose_password(client, link: str, password: str):
    return await post_form(
        client, "/account/reset", {"token": link.rsplit("/", 1)[1], "password": password}, form_page=link
    )


async def login(client, password: str):
    return await post_form(client, "/login", {"email": "anna@example.org", "password": password})


async def test_reset_by_mail_link_replaces_the_password(client, settings, outbox):
    await make_account(settings, email="anna@example.org")

    answer = await request_reset(client, "Anna@Example.org")
    assert answer.status_code == 200
    assert dutch(SAME_ANSWER) in page_text(answer)
    assert [m.to for m in outbox] == ["anna@example.org"]
    link = link_from(outbox[0].body, "/account/reset")

    form = await client.get(link)
    assert form.status_code == 200 and 'name="password"' in form.text
    done = await choose_password(client, link, NEW_PASSWORD)
    assert done.status_code in (302, 303) and done.headers["location"] == "/login"

    assert (await login(client, PASSWORD)).status_code == 401, "the old password no longer works"
    assert (await login(client, NEW_PASSWORD)).status_code in (302, 303)


async def test_reset_link_works_once(client, settings, outbox):
    await make_account(settings, email="anna@example.org")
    await request_reset(client, "anna@example.org")
    link = link_from(outbox[0].body, "/account/reset")
    assert (await choose_password(client, link, NEW_PASSWORD)).status_code in (302, 303)

    again_form = await client.get(link)
    assert again_form.status_code == 400
    assert dutch(NOT_VALID) in page_text(again_form)
    again = await post_form(
        client,
        "/account/reset",
        {"token": link.rsplit("/", 1)[1], "password": "yet another long passphrase"},
        form_page="/account/forgot",
    )
    assert again.status_code == 400
    assert (await login(client, NEW_PASSWORD)).status_code in (302, 303), "the second use changed nothing"


async def test_reset_link_expires(client, settings, outbox, monkeypatch):
    await make_account(settings, email="anna@example.org")
    await request_reset(client, "anna@example.org")
    link = link_from(outbox[0].body, "/account/reset")
    later = time.time() + settings.reset_link_hours * 3600 + 60
    monkeypatch.setattr(signed_links, "time", SimpleNamespace(time=lambda: later))

    response = await client.get(link)

    assert response.status_code == 400
    assert dutch("This link has expired. Request a new one.") in page_text(response)


async def test_unknown_email_gets_the_same_answer_and_no_mail(client, settings, outbox):
    await make_account(settings, email="anna@example.org")

    known = await request_reset(client, "anna@example.org")
    unknown = await request_reset(client, "nobody@example.org")

    assert unknown.status_code == known.status_code == 200
    assert dutch(SAME_ANSWER) in page_text(unknown)
    assert [m.to for m in outbox] == ["anna@example.org"]


async def test_new_password_must_follow_the_policy(client, settings, outbox):
    await make_account(settings, email="anna@example.org")
    await request_reset(client, "anna@example.org")
    link = link_from(outbox[0].body, "/account/reset")

    response = await choose_password(client, link, "short")

    assert response.status_code == 422
    assert 'id="f-password-error"' in response.text
    assert (await login(client, PASSWORD)).status_code in (302, 303), "the old password still works"


async def test_reset_ends_existing_sessions_and_verifies_the_address(client, settings, outbox):
    await make_account(settings, email="anna@example.org", verified=False)
    assert (await login(client, PASSWORD)).status_code in (302, 303)
    await request_reset(client, "anna@example.org")
    link = link_from(outbox[-1].body, "/account/reset")

    await choose_password(client, link, NEW_PASSWORD)

    assert (await client.get("/account")).status_code in (302, 303)
    assert (await Account.objects().get(Account.email == "anna@example.org")).email_verified_at is not None


async def test_twelve_requests_in_a_row_send_three_mails(client, settings, outbox):
    await make_account(settings, email="anna@example.org")

    answers = [await request_reset(client, "anna@example.org") for _ in range(12)]

    assert {a.status_code for a in answers} == {200}
    assert all(dutch(SAME_ANSWER) in page_text(a) for a in answers), "the 4th and later get the same answer"
    assert [m.to for m in outbox] == ["anna@example.org"] * settings.reset_mails_per_hour == ["anna@example.org"] * 3
    # Every request is in the security log, the capped ones marked: a flood shows there.
    logged = (
        await SecurityEvent.select(SecurityEvent.detail)
        .where(SecurityEvent.kind == "password_reset_requested")
        .order_by(SecurityEvent.id)
    )
    assert [row["detail"] for row in logged] == [""] * 3 + ["no mail: hourly cap"] * 9


async def test_the_mail_cap_is_per_address_and_ends_after_an_hour(client, settings, outbox):
    await make_account(settings, email="anna@example.org")
    await make_account(settings, email="bob@example.org")
    for _ in range(4):
        await request_reset(client, "anna@example.org")
    await request_reset(client, "bob@example.org")
    assert [m.to for m in outbox].count("anna@example.org") == 3
    assert [m.to for m in outbox].count("bob@example.org") == 1
    # An hour later (the count's window has ended):
    await AttemptCount.update({AttemptCount.expires_at: utcnow() - timedelta(seconds=1)}, force=True)

    await request_reset(client, "anna@example.org")

    assert [m.to for m in outbox].count("anna@example.org") == 4


async def test_links_already_in_mailboxes_with_the_token_in_the_query_still_work(client, settings, outbox):
    await make_account(settings, email="anna@example.org")
    await request_reset(client, "anna@example.org")
    token = link_from(outbox[0].body, "/account/reset").rsplit("/", 1)[1]

    form = await open_form(client, f"/account/reset?token={token}", action="/account/reset")
    done = await form.fill(password=NEW_PASSWORD).submit(client)

    assert done.status_code in (302, 303) and done.headers["location"] == "/login"
    assert (await login(client, NEW_PASSWORD)).status_code in (302, 303)
