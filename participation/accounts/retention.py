"""Retention of accounts: an address never confirmed is not kept.

A sign-up whose address was not confirmed within 7 days (the link itself lasts far less)
is deleted by the periodic tasks. Such an account cannot have taken part, so normally
nothing refers to it and the row is deleted outright (cascades take its notification
settings and the like; the security log keeps its entries without the reference). Should
anything that must keep an author refer to it (a foreign key that does not cascade), it is
erased like any deleted account instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from piccolo.columns import ForeignKey
from piccolo.columns.base import OnDelete

from participation.accounts.deletion import delete_account
from participation.accounts.tables import Account
from participation.database import all_tables, write_transaction
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.outbox.erasure import forget

UNVERIFIED_DAYS = 7


def _keeping_references() -> list[ForeignKey]:
    """Foreign keys to accounts that would refuse, or outlive, the account's deletion."""
    return [
        column
        for table in all_tables()
        for column in table._meta.foreign_key_columns
        if column._foreign_key_meta.resolved_references is Account
        and column._foreign_key_meta.on_delete not in (OnDelete.cascade, OnDelete.set_null)
    ]


async def _referenced(account_id: int) -> bool:
    for column in _keeping_references():
        if await column._meta.table.exists().where(column == account_id):
            return True
    return False


async def purge_unverified(*, events: DomainEvents, now: datetime | None = None) -> int:
    """Delete accounts still unconfirmed `UNVERIFIED_DAYS` after sign-up; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=UNVERIFIED_DAYS)
    stale = await Account.select(Account.id, Account.email).where(
        Account.email_verified_at.is_null() & Account.deleted_at.is_null() & (Account.created_at < cutoff)
    )
    for row in stale:
        if await _referenced(row["id"]):
            await delete_account(row["id"], events=events)
            continue
        async with write_transaction():
            await Account.delete().where((Account.id == row["id"]) & Account.email_verified_at.is_null())
            await forget(row["email"], ())  # the confirmation mail, sent or still queued
    return len(stale)
