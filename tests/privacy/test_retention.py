"""Retention, enforced by the periodic tasks: time moves on, and what is past its term is gone."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from piccolo.columns import Text, Varchar

from ideas.tables import Idea
from participation import tasks
from participation.accounts import security_log
from participation.accounts.tables import Account, SecurityEvent
from participation.app import create_app
from participation.database import all_tables
from participation.lib.clock import utcnow
from participation.outbox.services import enqueue
from participation.outbox.tables import OutboxMessage, OutboxStatus
from tests.flows.conftest import sign_in_with_form
from tests.forms import open_form
from tests.helpers import make_account
from tests.ideas.factories import make_idea


async def signed_up(settings, email: str, days_ago: float, verified: bool = False) -> Account:
    account = await make_account(settings, email=email, name=email.split("@")[0], verified=verified)
    account.created_at = utcnow() - timedelta(days=days_ago)
    await account.save([Account.created_at])
    await enqueue(to=email, subject="Bevestig uw adres", text="Open de link.", category="account", locale="nl")
    return account


async def test_unconfirmed_sign_ups_are_deleted_after_seven_days(settings, parts):
    stale = await signed_up(settings, "stale@example.org", days_ago=7.1)
    fresh = await signed_up(settings, "fresh@example.org", days_ago=6.9)
    confirmed = await signed_up(settings, "confirmed@example.org", days_ago=60, verified=True)
    # An entry in the append-only security log does not keep the account alive: it loses the reference.
    await security_log.record(security_log.SecurityEventKind.sign_in, account=stale)
    # Should an unconfirmed account have written something, it is erased instead (its idea keeps an author).
    writer = await signed_up(settings, "writer@example.org", days_ago=10)
    idea = await make_idea(writer, status="submitted")

    result = await tasks.run_once(parts)

    assert result["unverified_accounts_deleted"] == 2
    remaining = await Account.select(Account.id, Account.email).order_by(Account.id)
    assert [row["email"] for row in remaining] == [
        "fresh@example.org",
        "confirmed@example.org",
        f"deleted-{writer.id}@deleted.invalid",
    ]
    assert await Idea.exists().where((Idea.id == idea.id) & (Idea.author == writer.id))
    assert await SecurityEvent.exists().where(SecurityEvent.account.is_null() & (SecurityEvent.kind == "sign_in"))
    recipients = await OutboxMessage.select(OutboxMessage.recipient).output(as_list=True)
    assert sorted(recipients) == ["confirmed@example.org", "fresh@example.org"]
    assert {fresh.id, confirmed.id} <= {row["id"] for row in remaining}

    # Running again removes nothing more.
    assert (await tasks.run_once(parts))["unverified_accounts_deleted"] == 0


async def test_sent_mail_is_deleted_after_thirty_days_and_unsent_mail_is_kept(settings, parts):
    now = utcnow()
    for name, status, sent_days_ago in (
        ("old-sent", OutboxStatus.sent, 31),
        ("recent-sent", OutboxStatus.sent, 29),
        ("old-failed", OutboxStatus.failed, None),
        ("old-pending", OutboxStatus.pending, None),
    ):
        message_id = await enqueue(
            to=f"{name}@example.org", subject=name, text="Tekst.", category="account", locale="nl"
        )
        sent_at = now - timedelta(days=sent_days_ago) if sent_days_ago else None
        await OutboxMessage.update(
            {
                OutboxMessage.status: status.value,
                OutboxMessage.sent_at: sent_at,
                OutboxMessage.created_at: now - timedelta(days=40),
            }
        ).where(OutboxMessage.id == message_id)

    result = await tasks.run_once(parts)

    assert result["outbox_purged"] == 1
    kept = await OutboxMessage.select(OutboxMessage.subject).order_by(OutboxMessage.subject).output(as_list=True)
    assert kept == ["old-failed", "old-pending", "recent-sent"]


CLIENT_ADDRESS = "198.51.100.23"  # a documentation address (RFC 5737): found anywhere, it was stored


async def test_no_ip_address_is_stored_and_rate_limit_counters_are_short_lived(settings):
    """Sign up, fail to sign in, sign in, from a known address; then search every table for it."""
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=(CLIENT_ADDRESS, 50123))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as browser:
            form = await open_form(browser, "/account/register", action="/account/register")
            form.fill(display_name="Noor", email="noor@example.org", password="een lang en sterk wachtwoord")
            await form.submit(browser)
            await make_account(settings, email="anna@example.org", name="Anna")
            form = await open_form(browser, "/login", action="/login")
            await form.fill(email="anna@example.org", password="verkeerd wachtwoord hier").submit(browser)
            await sign_in_with_form(browser, "anna@example.org")

        for table in all_tables():
            names = [c._meta.name for c in table._meta.columns]
            assert not [n for n in names if re.search(r"(^|_)(ip|ip_address|remote_addr|client_addr)($|_)", n)]
            columns = [c for c in table._meta.columns if isinstance(c, Varchar | Text)]
            for row in await table.select(*columns) if columns else []:
                assert not [v for v in row.values() if isinstance(v, str) and CLIENT_ADDRESS in v], table

        # Rate limiting keys on the address, in the short-lived store only: each counter expires within a minute.
        store = app.stores.get("rate_limit")
        counters = store._store  # type: ignore[attr-defined]
        assert any(CLIENT_ADDRESS in key for key in counters)
        for key, entry in counters.items():
            assert entry.expires_at is not None and entry.expires_at - utcnow() <= timedelta(seconds=61), key
