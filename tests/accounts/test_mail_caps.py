"""Mail that a form sends to an account's mailbox is capped per hour (reset links: test_password_reset.py)."""

from __future__ import annotations

from tests.accounts.tools import dutch, page_text
from tests.forms import follow, open_form
from tests.helpers import PASSWORD, make_account, post_form, sign_in

CAPPED = (
    "We already sent you several confirmation links in the last hour. "
    "Look for them in your mailbox (and the spam folder), or try again later."
)
SENT = "We sent a new confirmation link to your email address."


async def test_a_fourth_confirmation_link_within_the_hour_is_not_sent(client, settings, outbox):
    await make_account(settings, email="nieuw@example.org", verified=False)
    await sign_in(client, "nieuw@example.org")

    pages = []
    for _ in range(4):
        form = await open_form(client, "/account", action="/account/verify/resend")
        pages.append(await follow(client, await form.submit(client)))

    assert settings.account_mails_per_hour == 3
    assert [m.to for m in outbox] == ["nieuw@example.org"] * 3
    assert all(dutch(SENT) in page_text(page) for page in pages[:3])
    assert dutch(CAPPED) in page_text(pages[3]) and dutch(SENT) not in page_text(pages[3])


async def test_registering_an_existing_address_again_and_again_mails_its_owner_three_times(client, settings, outbox):
    await make_account(settings, email="anna@example.org")
    form = {"kind": "resident", "display_name": "Someone", "email": "anna@example.org", "password": PASSWORD}

    answers = [await post_form(client, "/account/register", form) for _ in range(6)]

    assert {a.status_code for a in answers} == {303}, "the form answers alike every time"
    assert [m.to for m in outbox] == ["anna@example.org"] * 3
