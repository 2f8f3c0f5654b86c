"""The outbox's rules: writing a message with the change that causes it, claiming, retrying, purging.

`enqueue` is what every domain calls. It joins the open write transaction, so the message
commits or rolls back with the change; the request never talks to the mail server. A worker
(`worker.py`) claims due rows, sends them outside the claim's transaction and records the
outcome here.
"""

from __future__ import annotations

import html as html_lib
import re
import uuid
from datetime import datetime, timedelta

from piccolo.query import Select

from participation.database import current_engine, write_transaction
from participation.lib.clock import utcnow
from participation.outbox.tables import OutboxMessage, OutboxStatus

CATEGORIES = ("account", "my_ideas", "following", "replies", "staff")
MAX_ATTEMPTS = 8
# After the n-th failed attempt the next one waits BACKOFF_BASE * 2**n (2, 4, ... 128 minutes):
# about four hours in all, long enough to ride out a mail server's restart or a short outage.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
# A row still `sending` after this long belongs to a worker that died mid-send: another
# worker sends it again (at least once; the Message-ID stays the same).
CLAIM_TIMEOUT = timedelta(minutes=5)
SENT_RETENTION = timedelta(days=30)

_URL = re.compile(r"https?://[^\s<>\"]+")


async def enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    category: str,
    locale: str,
    unsubscribe_url: str | None = None,
) -> int:
    """Write one email to the outbox, in the current transaction when one is open; returns its id.

    `html` defaults to the text with its paragraphs and links marked up, so every message is
    multipart. `unsubscribe_url` marks a non-essential message: it is sent with RFC 8058
    one-click unsubscribe headers. Account mail (verification, reset) has none.
    """
    if category not in CATEGORIES:
        raise ValueError(f"Unknown outbox category {category!r} (one of {', '.join(CATEGORIES)})")
    if not to or any(c in to for c in "\r\n,;"):
        raise ValueError("One recipient address, without line breaks")
    now = utcnow()
    message = OutboxMessage(
        recipient=to,
        locale=locale,
        category=category,
        # A header value: line breaks would let text inject headers; long subjects are cut.
        subject=" ".join(subject.split())[:300],
        text_body=text,
        html_body=html if html is not None else html_from_text(text, locale),
        message_id=uuid.uuid4().hex,
        unsubscribe_url=unsubscribe_url,
        status=OutboxStatus.pending.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    async with write_transaction():
        await message.save()
    return message.id


def html_from_text(text: str, locale: str = "nl") -> str:
    """A plain-text mail as simple HTML: escaped, one paragraph per blank-line block, links clickable."""

    def paragraph(block: str) -> str:
        escaped = html_lib.escape(block, quote=False)
        linked = _URL.sub(lambda m: f'<a href="{html_lib.escape(m.group(0))}">{m.group(0)}</a>', escaped)
        return "<p>" + linked.replace("\n", "<br>\n") + "</p>"

    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]
    body = "\n".join(paragraph(b) for b in blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lib.escape(locale)}">\n<head><meta charset="utf-8"></head>\n'
        f'<body style="font-family: sans-serif; line-height: 1.5;">\n{body}\n</body>\n</html>\n'
    )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(BACKOFF_BASE * 2**attempts, BACKOFF_CAP)


def _skip_locked(query: Select) -> Select:
    """PostgreSQL: lock the rows and pass over the ones another worker holds. SQLite has no row
    locks; the IMMEDIATE write transaction already makes the claim one writer's at a time."""
    from piccolo.engine.sqlite import SQLiteEngine

    if isinstance(current_engine(), SQLiteEngine):
        return query
    return query.lock_rows("UPDATE", skip_locked=True)


async def claim_due(
    worker: str, *, now: datetime | None = None, limit: int = 10, claim_timeout: timedelta = CLAIM_TIMEOUT
) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as `sending` by `worker` and return them.

    Due: pending with `next_attempt_at` reached, or `sending` under a claim older than
    `claim_timeout` (its worker died). The claim is a short transaction of its own; the
    sending happens after it committed. Each claim counts as an attempt, so a message that
    kills its worker every time still ends as `failed`.
    """
    now = now or utcnow()
    due = ((OutboxMessage.status == OutboxStatus.pending.value) & (OutboxMessage.next_attempt_at <= now)) | (
        (OutboxMessage.status == OutboxStatus.sending.value) & (OutboxMessage.claimed_at < now - claim_timeout)
    )
    # A read first: an idle outbox costs one cheap query per poll, not a write lock.
    if not await OutboxMessage.exists().where(due):
        return []
    async with write_transaction():
        rows = await _skip_locked(
            OutboxMessage.select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        await OutboxMessage.update(
            {
                OutboxMessage.status: OutboxStatus.sending.value,
                OutboxMessage.claimed_by: worker,
                OutboxMessage.claimed_at: now,
                OutboxMessage.attempts: OutboxMessage.attempts + 1,
            }
        ).where(OutboxMessage.id.is_in(ids))
        return await OutboxMessage.objects().where(OutboxMessage.id.is_in(ids)).order_by(OutboxMessage.id)


def _still_claimed_by(message: OutboxMessage, worker: str):
    return (
        (OutboxMessage.id == message.id)
        & (OutboxMessage.status == OutboxStatus.sending.value)
        & (OutboxMessage.claimed_by == worker)
    )


async def record_sent(message: OutboxMessage, worker: str, *, now: datetime | None = None) -> None:
    await OutboxMessage.update(
        {
            OutboxMessage.status: OutboxStatus.sent.value,
            OutboxMessage.sent_at: now or utcnow(),
            OutboxMessage.last_error: None,
            OutboxMessage.claimed_by: None,
            OutboxMessage.claimed_at: None,
        }
    ).where(_still_claimed_by(message, worker))


async def record_failure(message: OutboxMessage, worker: str, error: str, *, now: datetime | None = None) -> str:
    """Schedule the next attempt with backoff, or give up after MAX_ATTEMPTS; returns the new status."""
    now = now or utcnow()
    gave_up = message.attempts >= MAX_ATTEMPTS
    status = OutboxStatus.failed if gave_up else OutboxStatus.pending
    await OutboxMessage.update(
        {
            OutboxMessage.status: status.value,
            OutboxMessage.last_error: error[:2000],
            OutboxMessage.next_attempt_at: now if gave_up else now + backoff(message.attempts),
            OutboxMessage.claimed_by: None,
            OutboxMessage.claimed_at: None,
        }
    ).where(_still_claimed_by(message, worker))
    return status.value


async def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    return (
        await OutboxMessage.objects()
        .where(OutboxMessage.status == OutboxStatus.failed.value)
        .order_by(OutboxMessage.id, ascending=False)
        .limit(limit)
    )


async def messages(status: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = OutboxMessage.objects().order_by(OutboxMessage.id, ascending=False).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return await query


async def retry(*, ids: list[int] | None = None, all_failed: bool = False, now: datetime | None = None) -> int:
    """Re-queue failed messages (these ids, or all): pending, due now, a fresh set of attempts."""
    if not ids and not all_failed:
        return 0
    where = OutboxMessage.status == OutboxStatus.failed.value
    if ids:
        where = where & OutboxMessage.id.is_in(ids)
    async with write_transaction():
        count = await OutboxMessage.count().where(where)
        await OutboxMessage.update(
            {
                OutboxMessage.status: OutboxStatus.pending.value,
                OutboxMessage.attempts: 0,
                OutboxMessage.next_attempt_at: now or utcnow(),
            }
        ).where(where)
    return count


async def purge_sent(*, now: datetime | None = None, keep: timedelta = SENT_RETENTION) -> int:
    """Delete messages sent more than `keep` ago (they hold personal data: addresses, names)."""
    old = (OutboxMessage.status == OutboxStatus.sent.value) & (OutboxMessage.sent_at < (now or utcnow()) - keep)
    count = await OutboxMessage.count().where(old)
    if count:
        await OutboxMessage.delete().where(old)
    return count


def masked(address: str) -> str:
    """`an***@example.org`: enough for staff to recognise a message, not to harvest addresses."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else f"{local[:2]}***"
