"""Download your data (AVG/GDPR article 15 and 20): everything the platform holds about one account.

Generated per request, never stored and never reachable by a link. The tables are read
generically: every table with a foreign key to the account (ideas, comments, supports,
follows, reports, notifications, settings, tokens, security-log entries, and any table a
later change adds) contributes its rows, so a new table or column appears without a change
here. Left out:

- secrets: columns whose name holds "password", "hash", "secret" or "token" (password and
  token hashes, two-factor secrets, one-time form tokens);
- other people: in an exported row, a reference to any other account is blanked;
- the municipality's work: rows where the account acted as staff (decisions, notes, routing,
  register updates) are records of the city's work, not data about the person.

Mail to the account's address is listed without its body (bodies hold sign-in links).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from piccolo.columns import ForeignKey
from piccolo.table import Table

from participation.accounts.tables import Account
from participation.database import all_tables
from participation.lib.clock import utcnow
from participation.outbox.tables import OutboxMessage

SECRET_MARKERS = ("password", "hash", "secret", "token")
# (table, column) where the account appears as staff doing the city's work.
STAFF_COLUMNS = frozenset(
    {
        ("moderation_decision", "actor"),
        ("report", "decided_by"),
        ("routing", "moderator"),
        ("triage", "assigned_to"),
        ("staff_note", "author"),
        ("register_entry", "created_by"),
        ("register_update", "author"),
        ("security_event", "actor"),
    }
)
MAIL_COLUMNS = ("id", "category", "subject", "status", "created_at", "sent_at")


def is_secret(column_name: str) -> bool:
    return any(marker in column_name for marker in SECRET_MARKERS)


def _is_account(column: ForeignKey) -> bool:
    return column._foreign_key_meta.resolved_references is Account


def _account_columns(table: type[Table]) -> list[ForeignKey]:
    return [
        column
        for column in table._meta.foreign_key_columns
        if _is_account(column) and (table._meta.tablename, column._meta.name) not in STAFF_COLUMNS
    ]


def _public_row(table: type[Table], row: dict[str, Any], account_id: int) -> dict[str, Any]:
    people = {
        c._meta.name for c in table._meta.foreign_key_columns if c._foreign_key_meta.resolved_references is Account
    }
    return {
        key: (None if key in people and value != account_id else value)
        for key, value in row.items()
        if not is_secret(key)
    }


async def _rows_about(table: type[Table], account_id: int) -> list[dict[str, Any]]:
    columns = _account_columns(table)
    if not columns:
        return []
    condition = columns[0] == account_id
    for column in columns[1:]:
        condition = condition | (column == account_id)
    rows = await table.select().where(condition).order_by(table._meta.primary_key)
    return [_public_row(table, row, account_id) for row in rows]


async def _decisions_about(account_id: int) -> list[dict[str, Any]]:
    """Moderation decisions whose target is the account (a suspension), without who decided."""
    decision = next((t for t in all_tables() if t._meta.tablename == "moderation_decision"), None)
    if decision is None:
        return []
    rows = await decision.select().where(
        (decision.target_type == "account") & (decision.target_id == account_id)  # type: ignore[attr-defined]
    )
    return [{**row, "actor": None} for row in rows]


async def export_account(account: Account, city_name: str) -> dict[str, Any]:
    """The whole export as a JSON-ready dict (dates as ISO 8601 strings after `to_json`)."""
    account_row = await Account.select().where(Account.id == account.id).first()
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in sorted(all_tables(), key=lambda t: t._meta.tablename):
        if table is Account:
            continue
        rows = await _rows_about(table, account.id)
        if rows:
            tables[table._meta.tablename] = rows
    if decisions := await _decisions_about(account.id):
        tables["moderation_decision_about_you"] = decisions
    mail = (
        await OutboxMessage.select(*(getattr(OutboxMessage, name) for name in MAIL_COLUMNS))
        .where(OutboxMessage.recipient == account.email)
        .order_by(OutboxMessage.id)
    )
    return {
        "format": "participation-data-export/1",
        "city": city_name,
        "generated_at": utcnow(),
        "account": {k: v for k, v in (account_row or {}).items() if not is_secret(k)},
        "tables": tables,
        "mail_to_you": mail,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def to_json(export: dict[str, Any]) -> bytes:
    return json.dumps(export, default=_plain, ensure_ascii=False, indent=2).encode()


def file_name(account: Account, now: datetime | None = None) -> str:
    return f"my-data-{(now or utcnow()):%Y%m%d}.json"
