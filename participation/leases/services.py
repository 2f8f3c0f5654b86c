"""Take a job's lease, give it back: one runner at a time across processes and hosts, on SQLite and PostgreSQL.

A lease is a row, not an advisory lock, so the same rule holds on both databases and survives a
restart: a process takes it with one conditional UPDATE (PostgreSQL re-checks the condition after
waiting for a concurrent taker's row lock; SQLite has one writer at a time), so exactly one of
several concurrent takers gets a row back. A holder that dies keeps the lease until `held_until`.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from participation.database import write_transaction
from participation.leases.tables import Lease


def holder_name() -> str:
    """This process, recognisable in the table: host, process id and a random part (pids repeat across hosts)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def take(job: str, holder: str, *, now: datetime, hold_for: timedelta, only_when_due: bool = True) -> bool:
    """Take the lease on `job` if nobody holds it (and, with `only_when_due`, its next run is due).

    Returns whether `holder` now holds it; the caller runs the job and then calls `give_back`.
    """
    free = (Lease.job == job) & (Lease.held_until <= now)
    if only_when_due:
        free &= Lease.due_at <= now
    async with write_transaction():
        await Lease.insert(Lease(job=job, holder=None, held_until=now, due_at=now, runs=0)).on_conflict(
            target=Lease.job, action="DO NOTHING"
        )
        taken = await (
            Lease.update({Lease.holder: holder, Lease.held_until: now + hold_for, Lease.runs: Lease.runs + 1})
            .where(free)
            .returning(Lease.id)
        )
    return bool(taken)


async def give_back(job: str, holder: str, *, now: datetime, next_due: datetime) -> None:
    """The run ended (well or not): free the lease and say when the next run is due."""
    await Lease.update({Lease.holder: None, Lease.held_until: now, Lease.due_at: next_due}).where(
        (Lease.job == job) & (Lease.holder == holder)
    )


async def lease_of(job: str) -> Lease | None:
    return await Lease.objects().get(Lease.job == job)
