"""Periodic housekeeping inside the app (and `participation tasks run-once` for cron).

Every app process (every worker on every host) checks once a minute; a lease row
(`participation.leases`) lets one of them run a round, at most once per `INTERVAL_S`
and never two at a time, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from litestar import Litestar
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore

from ideas.lifecycle import expire_due_ideas
from participation.accounts import security_log_admin, tokens
from participation.accounts.attempts import purge_expired as purge_attempt_counts
from participation.accounts.retention import purge_unverified
from participation.composition import Parts
from participation.database import refresh_statistics
from participation.idempotency.services import purge_expired as purge_idempotency_keys
from participation.leases import services as leases
from participation.lib.clock import utcnow
from participation.notifications.digests import send_daily_digests, send_staff_summaries
from participation.outbox.services import purge_sent
from voting.services import route_ideas_over_threshold
from voting.trending import refresh_trending_batch

logger = logging.getLogger("participation.tasks")
INTERVAL_S = 300
CHECK_S = 60
JOB = "periodic-tasks"
# Far longer than a round takes (seconds, even at city scale): only a holder that died keeps
# the others waiting this long.
HOLD_FOR = timedelta(minutes=15)


async def run_once(parts: Parts, app: Litestar | None = None) -> dict[str, int]:
    """Every periodic job, once. Returns what each did, for the CLI and tests."""
    settings = parts.settings
    stale = await purge_attempt_counts()
    if app is not None:
        for name in ("sessions", "rate_limit"):
            store = app.stores.get(name)
            if isinstance(store, (FileStore, MemoryStore)):
                await store.delete_expired()
    return {
        "attempt_counts_purged": stale,
        # Expired a month ago: long enough that a caller was told "expired" rather than "unknown".
        "api_tokens_removed": await tokens.remove_expired(),
        # The security log is kept 12 months (the database refuses earlier deletion).
        "security_log_removed": await security_log_admin.remove_expired_entries(),
        "ideas_expired": await expire_due_ideas(events=parts.events),
        # After the city lowered its threshold: published ideas already over it route now, as a support would.
        "ideas_routed": await route_ideas_over_threshold(settings, events=parts.events),
        # Scores change on activity; this ages the busiest ones so last month's hit drops.
        "trending_refreshed": await refresh_trending_batch(),
        # Sent mail holds addresses and names: kept 30 days for questions ("did it go out?"), then deleted.
        "outbox_purged": await purge_sent(),
        # Idempotency keys answer repeats for 24 hours; their stored answers hold what people wrote.
        "idempotency_keys_purged": await purge_idempotency_keys(),
        # An address never confirmed within 7 days: the sign-up is deleted (privacy statement, retention).
        "unverified_accounts_deleted": await purge_unverified(events=parts.events),
        # Once per day and recipient however often this runs (a unique digest row per day).
        "digests_sent": await send_daily_digests(parts.notifier),
        "staff_summaries_sent": await send_staff_summaries(parts.notifier),
        # Last, after this round's writes: the planner's statistics (SQLite gathers none by itself).
        "statistics_refreshed": await _refresh_statistics(),
    }


async def run_when_due(
    parts: Parts, app: Litestar | None = None, *, holder: str, force: bool = False
) -> dict[str, int] | None:
    """`run_once` if this process takes the lease; None when another holds it or (unless `force`) it is not due."""
    started = utcnow()
    if not await leases.take(JOB, holder, now=started, hold_for=HOLD_FOR, only_when_due=not force):
        return None
    try:
        return await run_once(parts, app)
    finally:
        await leases.give_back(JOB, holder, now=started, next_due=started + timedelta(seconds=INTERVAL_S))


async def _refresh_statistics() -> int:
    await refresh_statistics()
    return 1


async def run_forever(parts: Parts, app: Litestar) -> None:
    holder = leases.holder_name()
    while True:
        try:
            await run_when_due(parts, app, holder=holder)
        except Exception:  # a failed round must not end the loop; it is logged and retried
            logger.exception("Periodic tasks failed")
        await asyncio.sleep(CHECK_S)
