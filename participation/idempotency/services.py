"""Idempotency keys: a repeated creating request gets the first answer instead of a second creation.

After the IETF httpapi draft "The Idempotency-Key HTTP Header Field": the client sends a unique
key with a POST; the server remembers the key, a fingerprint of the request and the answer for
24 hours. The key's row is written in the same write transaction as what the request creates,
so both commit or neither does: a concurrent repeat waits for that transaction (on the unique
index on PostgreSQL, on the write lock on SQLite) and then replays the stored answer, and a
request that fails leaves no key behind, so it may simply be sent again. The price: with a key,
the use case's after-commit events (spam signals, trending) run inside that one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from participation.database import write_transaction
from participation.i18n import N_
from participation.idempotency.tables import IdempotencyKey
from participation.lib.clock import utcnow
from participation.validation import DomainError

KEY_HEADER = "Idempotency-Key"
KEY_MAX = 255
RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: bytes
    replayed: bool


def parse_key(raw: str) -> str:
    """The key as sent: the draft writes it as a structured-field string (`"abc"`); bare `abc` is accepted too."""
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= KEY_MAX or not (key.isascii() and key.isprintable()):
        raise DomainError(N_("The Idempotency-Key header must be 1 to 255 printable ASCII characters."), 400)
    return key


def fingerprint(method: str, path: str, payload: bytes) -> str:
    """What the key stands for: the same key with another route or body is a client error, not a replay."""
    return hashlib.sha256(b"\0".join((method.upper().encode(), path.rstrip("/").encode(), payload))).hexdigest()


def _replay(row: dict, request_fingerprint: str) -> Answer:
    if row["fingerprint"] != request_fingerprint:
        raise DomainError(N_("This Idempotency-Key was already used for a different request."), 422)
    return Answer(row["status_code"], row["response_body"].encode(), replayed=True)


async def answer_once(
    account_id: int,
    key: str,
    request_fingerprint: str,
    create: Callable[[], Awaitable[tuple[int, bytes]]],
    now: datetime | None = None,
) -> Answer:
    """Run `create` (status and JSON body) once per account and key; a repeat gets the stored answer."""
    now = now or utcnow()
    mine = (IdempotencyKey.account == account_id) & (IdempotencyKey.key == key)
    async with write_transaction():
        claimed = (
            await IdempotencyKey.insert(
                IdempotencyKey(
                    account=account_id,
                    key=key,
                    fingerprint=request_fingerprint,
                    status_code=0,
                    response_body="",
                    created_at=now,
                )
            )
            .on_conflict(target=(IdempotencyKey.account, IdempotencyKey.key), action="DO NOTHING")
            .returning(IdempotencyKey.id)
        )
        if not claimed:
            row = await IdempotencyKey.select().where(mine).first()
            if row["created_at"] > now - RETENTION:
                return _replay(row, request_fingerprint)
            # Older than 24 hours and not purged yet: the key is free again. Conditional, so that of two
            # requests reclaiming it at once the second finds it fresh and replays (PostgreSQL rechecks).
            claimed = (
                await IdempotencyKey.update(
                    {IdempotencyKey.fingerprint: request_fingerprint, IdempotencyKey.created_at: now}
                )
                .where(mine & (IdempotencyKey.created_at <= now - RETENTION))
                .returning(IdempotencyKey.id)
            )
            if not claimed:
                return _replay(await IdempotencyKey.select().where(mine).first(), request_fingerprint)
        status_code, body = await create()
        await IdempotencyKey.update(
            {IdempotencyKey.status_code: status_code, IdempotencyKey.response_body: body.decode()}
        ).where(IdempotencyKey.id == claimed[0]["id"])
    return Answer(status_code, body, replayed=False)


async def purge_expired(now: datetime | None = None) -> int:
    """Forget keys older than 24 hours (their stored answers hold what people wrote)."""
    old = IdempotencyKey.created_at <= (now or utcnow()) - RETENTION
    count = await IdempotencyKey.count().where(old)
    if count:
        await IdempotencyKey.delete().where(old)
    return count
