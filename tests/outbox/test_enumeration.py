"""Sign-up and password reset answer alike for known and unknown addresses; the mail says what happened."""

from __future__ import annotations

import re

from participation.accounts.tables import Account
from tests.helpers import PASSWORD, make_account, post_form

CSRF = re.compile(r'(name="_csrf_token" value|hx-headers)="[^"]*"')


def alike(html: str, email: str) -> str:
    """A page with the typed address and the per-request CSRF token taken out."""
    return CSRF.sub("", html).replace(email, "EMAIL")


def received(mailbox) -> list[tuple[str, str]]:
    """(to, text) of what the test SMTP server received."""
    return [(m["To"], m.get_body(("plain",)).get_content()) for m in mailbox.messages]


def sign_up(email: str) -> dict:
    return {"kind": "resident", "display_name": "Iemand", "email": email, "password": PASSWORD}


async def test_sign_up_answers_alike_for_a_known_and_a_new_address(client, settings, mailbox):
    await make_account(settings, email="anna@example.org", name="Anna")

    known = await post_form(client, "/account/register", sign_up("anna@example.org"))
    known_page = await client.get(known.headers["location"])
    new = await post_form(client, "/account/register", sign_up("nieuw@example.org"))
    new_page = await client.get(new.headers["location"])

    assert (known.status_code, known.headers["location"]) == (new.status_code, new.headers["location"])
    assert known_page.status_code == new_page.status_code == 200
    assert alike(known_page.text, "anna@example.org") == alike(new_page.text, "nieuw@example.org")
    assert await Account.count().where(Account.email == "anna@example.org") == 1
    mails = dict(received(mailbox))
    assert sorted(mails) == ["anna@example.org", "nieuw@example.org"]
    assert "/account/forgot" in mails["anna@example.org"] and "/account/verify" not in mails["anna@example.org"]
    assert "/account/verify/" in mails["nieuw@example.org"]


async def test_reset_answers_alike_and_mails_only_known_addresses(client, settings, mailbox):
    await make_account(settings, email="anna@example.org", name="Anna")

    known = await post_form(client, "/account/forgot", {"email": "anna@example.org"})
    unknown = await post_form(client, "/account/forgot", {"email": "niemand@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert alike(known.text, "anna@example.org") == alike(unknown.text, "niemand@example.org")
    [(to, text)] = received(mailbox)
    assert to == "anna@example.org"
    assert "/account/reset/" in text
