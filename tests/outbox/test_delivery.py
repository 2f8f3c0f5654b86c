"""Mail leaves through a real SMTP server: the verification link works, the message is multipart
with a stable Message-ID and the one-click unsubscribe headers, and a rolled-back change sends nothing."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace

import pytest

from participation.accounts import services as account_services
from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.outbox.services import enqueue
from participation.outbox.tables import OutboxMessage
from participation.outbox.transport import build_transport
from participation.outbox.worker import deliver_pending
from tests.helpers import PASSWORD, link_from, post_form

SIGN_UP = {"kind": "resident", "display_name": "Noor", "email": "noor@example.org", "password": PASSWORD}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


async def test_verification_mail_arrives_over_smtp_with_a_working_link(client, mailbox):
    response = await post_form(client, "/account/register", SIGN_UP)
    assert response.status_code == 303

    assert [m["To"] for m in mailbox.messages] == ["noor@example.org"]
    confirmed = await client.get(link_from(text_of(mailbox.messages[0]), "/account/verify"))
    assert confirmed.status_code == 200
    account = await Account.objects().get(Account.email == "noor@example.org")
    assert account.email_verified_at is not None
    row = await OutboxMessage.objects().first()
    assert (row.status, row.attempts, row.category) == ("sent", 1, "account")


async def test_message_is_multipart_with_city_sender_message_id_and_unsubscribe_headers(settings, smtp, mailbox):
    with_link = await enqueue(
        to="anna@example.org",
        subject="Nieuws over je idee",
        text="Hallo Anna,\n\nJe idee is gepubliceerd: https://example.org/ideas/1\n",
        html="<p>Hallo Anna,</p><p>Je idee is <a href='https://example.org/ideas/1'>gepubliceerd</a>.</p>",
        category="my_ideas",
        locale="nl",
        unsubscribe_url="https://example.org/unsubscribe/abc",
    )
    essential = await enqueue(
        to="anna@example.org", subject="Wachtwoord", text="Kies een nieuw wachtwoord.", category="account", locale="nl"
    )

    assert (await deliver_pending(settings, smtp)).sent == 2

    by_subject = {m["Subject"]: m for m in mailbox.messages}
    news, reset = by_subject["Nieuws over je idee"], by_subject["Wachtwoord"]
    assert news.get_content_type() == "multipart/alternative"
    assert "gepubliceerd: https://example.org/ideas/1" in text_of(news)
    assert "<a href='https://example.org/ideas/1'>" in news.get_body(("html",)).get_content()
    assert news["From"].addresses[0].display_name == settings.city.name
    assert news["From"].addresses[0].addr_spec == settings.mail_from
    row = await OutboxMessage.objects().get(OutboxMessage.id == with_link)
    assert news["Message-ID"] == f"<{row.message_id}@{settings.mail_from.rpartition('@')[2]}>"
    assert news["List-Unsubscribe"] == "<https://example.org/unsubscribe/abc>"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Essential mail has no unsubscribe headers, and still an HTML part made from the text.
    assert reset["List-Unsubscribe"] is None and reset["List-Unsubscribe-Post"] is None
    assert reset.get_content_type() == "multipart/alternative"
    assert "Kies een nieuw wachtwoord." in reset.get_body(("html",)).get_content()
    assert reset["Message-ID"] != news["Message-ID"]
    assert essential != with_link


async def test_a_change_that_rolls_back_leaves_no_outbox_row(settings):
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await enqueue(to="a@example.org", subject="s", text="t", category="account", locale="nl")
            raise RuntimeError("the use case failed after writing its mail")

    assert await OutboxMessage.count() == 0


async def test_registration_and_its_mail_commit_together(settings, monkeypatch):
    """The verification mail is written in the registration's transaction: a failure after it undoes both."""
    real = account_services.send_verification

    async def queue_then_fail(settings, account):
        await real(settings, account)
        raise RuntimeError("a later step of the registration failed")

    monkeypatch.setattr(account_services, "send_verification", queue_then_fail)
    registration = account_services.Registration(
        kind=account_services.AccountKind.resident, email="noor@example.org", password=PASSWORD, display_name="Noor"
    )
    with pytest.raises(RuntimeError):
        await account_services.register(settings, registration)

    assert await Account.count() == 0
    assert await OutboxMessage.count() == 0


async def test_enqueue_refuses_header_injection(settings):
    with pytest.raises(ValueError):
        await enqueue(to="a@example.org\r\nBcc: b@example.org", subject="s", text="t", category="account", locale="nl")
    message_id = await enqueue(to="a@example.org", subject="one\r\nBcc: x", text="t", category="account", locale="nl")
    row = await OutboxMessage.objects().get(OutboxMessage.id == message_id)
    assert row.subject == "one Bcc: x"


async def test_development_mail_is_printed_and_saved_under_var_mail(settings, tmp_path, capsys):
    development = replace(settings, mail_backend="console", smtp_url=None, var_dir=tmp_path / "var")
    transport = build_transport(development)
    await enqueue(
        to="noor@example.org", subject="Bevestig", text="Open https://x.example/verify", category="account", locale="nl"
    )

    assert (await deliver_pending(development, transport)).sent == 1

    [saved] = (tmp_path / "var" / "mail").glob("*.eml")
    message = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert message["To"] == "noor@example.org"
    assert "https://x.example/verify" in message.get_body(("plain",)).get_content()
    printed = capsys.readouterr().out
    assert "https://x.example/verify" in printed and str(saved) in printed
