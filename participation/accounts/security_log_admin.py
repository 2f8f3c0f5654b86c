"""What administrators do with the security log: read it (filtered, paged), export it, and retention.

Entries are written by `security_log.record`; nothing here changes one. Retention deletes what
is older than RETENTION_DAYS, which the database also enforces from the other side: it refuses
to delete a younger entry (migration accounts 2026-11-29T06:20).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from participation.accounts.security_log import KIND_LABELS, RETENTION_DAYS, SecurityEventKind
from participation.accounts.tables import SecurityEvent
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.validation import Message

PER_PAGE = 50
ID_MAX = 2**31 - 1
EXPORT_BATCH = 1_000
EXPORT_COLUMNS = ("id", "created_at", "kind", "account_id", "actor_id", "email_digest", "detail", "path")
DIGEST_SHOWN = 12  # enough to tell two addresses apart on the page; the export has it whole
# A small margin inside the database's own rule, so that the two clocks never disagree at the border.
RETENTION_MARGIN = timedelta(hours=1)


@dataclass
class LogFilters:
    kind: str = ""
    account: int | None = None
    since: date | None = None  # inclusive, a day in the city's time zone
    until: date | None = None  # inclusive
    page: int = 1
    errors: dict[str, Message] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: dict[str, str]) -> LogFilters:
        """What the filter form sent; a value that cannot be used is left out and said on the form."""
        filters, errors = cls(), {}
        kind = str(params.get("kind") or "")
        filters.kind = kind if kind in {k.value for k in SecurityEventKind} else ""
        account = str(params.get("account") or "").strip()
        if account:
            if account.isdigit() and len(account) <= 10 and int(account) <= ID_MAX:
                filters.account = int(account)
            else:
                errors["account"] = Message(N_("Enter an account number."))
        for name in ("since", "until"):
            text = str(params.get(name) or "").strip()
            if text:
                try:
                    setattr(filters, name, date.fromisoformat(text))
                except ValueError:
                    errors[name] = Message(N_("Enter a date as YYYY-MM-DD."))
        page = str(params.get("page") or "")
        filters.page = int(page) if page.isdigit() and 0 < len(page) <= 6 and int(page) > 0 else 1
        filters.errors = errors
        return filters

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for the page links."""
        values = {"kind": self.kind, "account": self.account, "since": self.since, "until": self.until}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass
class LogPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def _day_start(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _where(filters: LogFilters, timezone: str):
    where = SecurityEvent.id > 0
    if filters.kind:
        where &= SecurityEvent.kind == filters.kind
    if filters.account is not None:
        where &= SecurityEvent.account == filters.account
    if filters.since:
        where &= SecurityEvent.created_at >= _day_start(filters.since, timezone)
    if filters.until:
        where &= SecurityEvent.created_at < _day_start(filters.until + timedelta(days=1), timezone)
    return where


async def log_page(filters: LogFilters, timezone: str, per_page: int = PER_PAGE) -> LogPage:
    """Newest first, with the names of the account and the actor."""
    where = _where(filters, timezone)
    total = await SecurityEvent.count().where(where)
    pages = max(1, math.ceil(total / per_page))
    page = min(filters.page, pages)
    rows = (
        await SecurityEvent.select(
            *SecurityEvent.all_columns(),
            SecurityEvent.account.display_name.as_alias("account_name"),
            SecurityEvent.actor.display_name.as_alias("actor_name"),
        )
        .where(where)
        .order_by(SecurityEvent.created_at, ascending=False)
        .order_by(SecurityEvent.id, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return LogPage(rows=rows, total=total, page=page, pages=pages)


def kind_label(kind: str) -> str:
    """The untranslated label (templates translate it); an unknown kind shows as itself."""
    try:
        return KIND_LABELS[SecurityEventKind(kind)]
    except ValueError:
        return kind


def short_digest(digest: str | None) -> str:
    return f"{digest[:DIGEST_SHOWN]}…" if digest else ""


# -- export ---------------------------------------------------------------------------


async def entries_since(since: date | None) -> AsyncIterator[dict[str, Any]]:
    """Every entry from `since` (a UTC day) on, oldest first, fetched in batches by id."""
    where = SecurityEvent.id > 0
    if since:
        where &= SecurityEvent.created_at >= datetime.combine(since, time.min, tzinfo=UTC)
    last_id = 0
    while True:
        batch = (
            await SecurityEvent.select(*SecurityEvent.all_columns())
            .where(where & (SecurityEvent.id > last_id))
            .order_by(SecurityEvent.id)
            .limit(EXPORT_BATCH)
        )
        for row in batch:
            yield {
                "id": row["id"],
                "created_at": row["created_at"].astimezone(UTC).isoformat(),
                "kind": row["kind"],
                "account_id": row["account"],
                "actor_id": row["actor"],
                "email_digest": row["email_digest"],
                "detail": row["detail"],
                "path": row["path"],
            }
        if len(batch) < EXPORT_BATCH:
            return
        last_id = batch[-1]["id"]


def csv_header() -> str:
    return _csv_line(EXPORT_COLUMNS)


def csv_row(entry: dict[str, Any]) -> str:
    return _csv_line([_csv_cell(entry[name]) for name in EXPORT_COLUMNS])


def jsonl_row(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _csv_cell(value: Any) -> str:
    """As in the register's open data: a cell a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_line(cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


# -- retention ------------------------------------------------------------------------


async def remove_expired_entries() -> int:
    """Delete the entries older than the retention period (periodic task)."""
    cutoff = utcnow() - timedelta(days=RETENTION_DAYS) - RETENTION_MARGIN
    removed = await SecurityEvent.delete().where(SecurityEvent.created_at < cutoff).returning(SecurityEvent.id)
    return len(removed)
