"""Attempts counted in the database, atomically: the sign-in lockout and the caps on account mail.

A count is one row per key (`sign-in:<address digest>`, `reset-mail:<digest>`,
`verify-mail:<account id>`) that lives until `expires_at`; the first attempt after that starts
a new window. `count_attempt` is an increment on that row, so concurrent requests each get
their own number (1, 2, 3 ...) and a limit holds under any race: PostgreSQL serialises the
UPDATE on the row lock, SQLite's write transaction holds its single write lock. Reading a
count and writing it back later (what a cache get/set does) would let 40 parallel requests
all read "9".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from participation.accounts.tables import AttemptCount
from participation.database import write_transaction
from participation.lib.clock import utcnow


@dataclass(frozen=True)
class Attempt:
    key: str
    number: int  # this attempt's place in the window: 1 for the first
    expires_at: datetime  # when the window ends and counting starts again

    def over(self, limit: int) -> bool:
        return self.number > limit


async def count_attempt(key: str, window: timedelta) -> Attempt:
    """Count one attempt for `key` (joining the caller's transaction, if any) and say which it is."""
    now = utcnow()
    async with write_transaction():
        await AttemptCount.delete().where((AttemptCount.key == key) & (AttemptCount.expires_at <= now))
        # A concurrent `forget` (a right answer elsewhere) may delete the row between the insert
        # and the increment; then the window starts again with this attempt.
        for _ in range(3):
            await AttemptCount.insert(AttemptCount(key=key, attempts=0, expires_at=now + window)).on_conflict(
                target=AttemptCount.key, action="DO NOTHING"
            )
            rows = (
                await AttemptCount.update({AttemptCount.attempts: AttemptCount.attempts + 1})
                .where(AttemptCount.key == key)
                .returning(AttemptCount.attempts, AttemptCount.expires_at)
            )
            if rows:
                return Attempt(key=key, number=rows[0]["attempts"], expires_at=rows[0]["expires_at"])
    raise RuntimeError(f"attempt count {key!r} kept vanishing")


async def forget(key: str) -> None:
    await AttemptCount.delete().where(AttemptCount.key == key)


async def purge_expired() -> int:
    """Delete ended windows (the periodic tasks); a count is reset on its next use anyway."""
    now = utcnow()
    stale = await AttemptCount.count().where(AttemptCount.expires_at <= now)
    if stale:
        await AttemptCount.delete().where(AttemptCount.expires_at <= now)
    return stale
