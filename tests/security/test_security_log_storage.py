"""The security log's storage rules, enforced by the database on both engines:
no edits, no deletion within 12 months, deletion after; an account's removal clears the reference."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accounts import security_log
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account, SecurityEvent
from participation.database import current_engine
from participation.lib.clock import utcnow

pytestmark = pytest.mark.anyio


async def _account() -> Account:
    account = Account(email="someone@example.org", password_hash="x", display_name="Someone")
    await account.save()
    return account


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE security_event SET detail = 'changed'",
        "UPDATE security_event SET kind = 'sign_in'",
        "UPDATE security_event SET created_at = created_at",
        "DELETE FROM security_event",
    ],
)
async def test_the_database_refuses_changes_to_recent_entries(settings, statement):
    account = await _account()
    await security_log.record(SecurityEventKind.sign_in_failed, account=account, detail="wrong password")
    with pytest.raises(Exception, match="security_event is"):
        await current_engine().run_ddl(statement)
    rows = await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.detail)
    assert rows == [{"kind": "sign_in_failed", "detail": "wrong password"}]


async def test_entries_older_than_a_year_can_be_deleted(settings):
    old = SecurityEvent(kind="sign_in", created_at=utcnow() - timedelta(days=366))
    recent = SecurityEvent(kind="sign_in", created_at=utcnow() - timedelta(days=300))
    await SecurityEvent.insert(old, recent)
    await SecurityEvent.delete().where(SecurityEvent.id == old.id)
    with pytest.raises(Exception, match="kept for 12 months"):
        await SecurityEvent.delete().where(SecurityEvent.id == recent.id)
    assert await SecurityEvent.select(SecurityEvent.id).output(as_list=True) == [recent.id]


async def test_removing_an_account_keeps_its_entries_without_the_reference(settings):
    account = await _account()
    await security_log.record(SecurityEventKind.sign_in, account=account)
    await Account.delete().where(Account.id == account.id)
    assert await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.account) == [
        {"kind": "sign_in", "account": None}
    ]


def test_the_email_digest_is_keyed_and_ignores_case():
    assert security_log.email_digest("k1", "A@Example.org") == security_log.email_digest("k1", "a@example.org")
    assert security_log.email_digest("k1", "a@example.org") != security_log.email_digest("k2", "a@example.org")
    assert "example" not in security_log.email_digest("k1", "a@example.org")
