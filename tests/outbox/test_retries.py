"""With the mail server refusing or gone, requests still succeed; the message retries with
backoff, ends as `failed` after 8 attempts on the admin page and in the CLI, and can be re-queued."""

from __future__ import annotations

from datetime import timedelta

from participation.accounts.tables import Role
from participation.outbox.services import MAX_ATTEMPTS, backoff, enqueue
from participation.outbox.tables import OutboxMessage
from participation.outbox.transport import SmtpTransport
from participation.settings import get_settings
from tests.helpers import PASSWORD, csrf_from, make_account, post_form, sign_in
from tests.outbox.conftest import free_port

SIGN_UP = {"kind": "resident", "display_name": "Fatima", "email": "fatima@example.org", "password": PASSWORD}


async def only_row() -> OutboxMessage:
    rows = await OutboxMessage.objects()
    assert len(rows) == 1
    return rows[0]


async def test_refused_mail_retries_with_backoff_then_fails_after_eight_attempts(client, outbox, mailbox):
    mailbox.refuse = True

    response = await post_form(client, "/account/register", SIGN_UP)

    assert response.status_code == 303, "sign-up succeeds; the message waits in the outbox"
    row = await only_row()
    assert (row.status, row.attempts, mailbox.attempts) == ("pending", 1, 1)
    assert "451" in row.last_error
    assert timedelta(minutes=1, seconds=50) < row.next_attempt_at - row.created_at < timedelta(minutes=2, seconds=10)
    for attempt in range(2, MAX_ATTEMPTS + 1):
        due = row.next_attempt_at
        await outbox.deliver(now=due - timedelta(seconds=1))
        assert mailbox.attempts == attempt - 1, "not before its time"
        await outbox.deliver(now=due)
        assert mailbox.attempts == attempt
        row = await only_row()
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending"
            assert row.next_attempt_at - due == backoff(attempt), "the wait doubles"
    assert backoff(2) == 2 * backoff(1)
    assert row.status == "failed"
    await outbox.deliver(now=row.next_attempt_at + timedelta(days=1))
    assert mailbox.attempts == MAX_ATTEMPTS, "a failed message is not tried again by itself"
    assert mailbox.messages == []


async def fail_for_good(outbox, mailbox) -> OutboxMessage:
    mailbox.refuse = True
    row = await only_row()
    while row.status != "failed":
        await outbox.deliver(now=row.next_attempt_at)
        row = await only_row()
    mailbox.refuse = False
    return row


async def test_failed_message_on_the_admin_page_and_requeued_by_its_button(client, settings, outbox, mailbox):
    await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin)
    await enqueue(to="fatima@example.org", subject="Bevestig je adres", text="t", category="account", locale="nl")
    await fail_for_good(outbox, mailbox)

    await sign_in(client, "admin@example.org")
    page = await client.get("/admin/outbox")

    assert page.status_code == 200
    assert "fa***@example.org" in page.text and "fatima@example.org" not in page.text, "the address is masked"
    assert "Bevestig je adres" in page.text and "451" in page.text
    assert 'href="/admin/outbox"' in (await client.get("/moderation")).text, "linked from the staff menu"
    row = await only_row()
    response = await client.post("/admin/outbox/retry", data={"_csrf_token": csrf_from(page.text), "id": str(row.id)})

    assert response.status_code == 303
    row = await only_row()
    assert (row.status, row.attempts) == ("sent", 1), "queued again with fresh attempts, and delivered"
    assert [m["Subject"] for m in mailbox.messages] == ["Bevestig je adres"]


async def test_the_admin_page_is_for_administrators_only(client, settings):
    await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator)
    await sign_in(client, "mod@example.org")

    assert (await client.get("/admin/outbox")).status_code == 403
    assert 'href="/admin/outbox"' not in (await client.get("/moderation")).text
    page = await client.get("/moderation")
    refused = await client.post("/admin/outbox/retry", data={"_csrf_token": csrf_from(page.text), "all": "1"})
    assert refused.status_code == 403


async def test_retry_without_a_csrf_token_is_refused(client, settings, outbox, mailbox):
    await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin)
    await enqueue(to="fatima@example.org", subject="s", text="t", category="account", locale="nl")
    await fail_for_good(outbox, mailbox)
    await sign_in(client, "admin@example.org")

    assert (await client.post("/admin/outbox/retry", data={"all": "1"})).status_code == 403
    assert (await only_row()).status == "failed"


async def test_cli_lists_failed_messages_and_retries_them(settings, outbox, mailbox, cli, monkeypatch, smtp_server):
    await enqueue(to="fatima@example.org", subject="Bevestig je adres", text="t", category="account", locale="nl")
    await fail_for_good(outbox, mailbox)

    listed = await cli("outbox", "list", "--failed")
    assert listed.exit_code == 0, listed.output
    assert "fatima@example.org" in listed.output and "failed" in listed.output and "451" in listed.output

    retried = await cli("outbox", "retry", "--all-failed")
    assert retried.exit_code == 0, retried.output
    assert "Queued again: 1" in retried.output
    assert ((await only_row()).status, (await only_row()).attempts) == ("pending", 0)
    assert "No messages." in (await cli("outbox", "list", "--failed")).output

    monkeypatch.setenv("SMTP_URL", smtp_server[1])
    get_settings.cache_clear()
    worked = await cli("outbox", "work", "--once")
    assert worked.exit_code == 0, worked.output
    assert "sent: 1" in worked.output
    assert [m["To"] for m in mailbox.messages] == ["fatima@example.org"]


async def test_sign_up_and_reset_answer_success_with_the_mail_server_gone(client, outbox, settings):
    outbox.transport = SmtpTransport(f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    await make_account(settings, email="anna@example.org", name="Anna")

    signed_up = await post_form(client, "/account/register", SIGN_UP)
    forgot = await post_form(client, "/account/forgot", {"email": "anna@example.org"})

    assert signed_up.status_code == 303
    assert forgot.status_code == 200
    rows = await OutboxMessage.objects().order_by(OutboxMessage.id)
    assert [(r.recipient, r.status, r.attempts) for r in rows] == [
        ("fatima@example.org", "pending", 1),
        ("anna@example.org", "pending", 1),
    ], "nothing dropped: both wait for their next attempt"
    assert all(r.last_error for r in rows)
