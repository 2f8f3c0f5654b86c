"""The periodic tasks run one round at a time across processes and hosts, at most once per interval.

Every app process checks once a minute; the lease row decides. On PostgreSQL the concurrent
takers below use separate pooled connections, as separate processes would.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from participation import tasks
from participation.leases import services as leases
from participation.leases.tables import Lease
from participation.lib.clock import utcnow


async def test_of_many_processes_checking_at_once_one_runs_the_round(parts):
    results = await asyncio.gather(*(tasks.run_when_due(parts, holder=f"host{i}:1") for i in range(6)))

    ran = [r for r in results if r is not None]
    assert len(ran) == 1, results
    assert "digests_sent" in ran[0]
    lease = await leases.lease_of(tasks.JOB)
    assert lease.runs == 1 and lease.holder is None


async def test_the_next_round_waits_for_the_interval(parts):
    assert await tasks.run_when_due(parts, holder="a") is not None
    assert await tasks.run_when_due(parts, holder="b") is None, "a minute later: not due"
    lease = await leases.lease_of(tasks.JOB)
    assert timedelta(seconds=tasks.INTERVAL_S - 60) < lease.due_at - utcnow() <= timedelta(seconds=tasks.INTERVAL_S)

    await Lease.update({Lease.due_at: utcnow() - timedelta(seconds=1)}).where(Lease.job == tasks.JOB)
    assert await tasks.run_when_due(parts, holder="b") is not None
    assert (await leases.lease_of(tasks.JOB)).runs == 2


async def test_a_round_in_progress_is_never_joined_not_even_by_the_command_line(parts):
    now = utcnow()
    assert await leases.take(tasks.JOB, "busy-host:7", now=now, hold_for=tasks.HOLD_FOR)

    assert await tasks.run_when_due(parts, holder="cron", force=True) is None
    assert (await leases.lease_of(tasks.JOB)).holder == "busy-host:7"


async def test_a_holder_that_died_is_passed_over_once_its_lease_lapses(parts):
    long_ago = utcnow() - tasks.HOLD_FOR - timedelta(minutes=1)
    assert await leases.take(tasks.JOB, "crashed:9", now=long_ago, hold_for=tasks.HOLD_FOR)
    await Lease.update({Lease.due_at: long_ago}).where(Lease.job == tasks.JOB)

    assert await tasks.run_when_due(parts, holder="survivor") is not None
    lease = await leases.lease_of(tasks.JOB)
    assert (lease.holder, lease.runs) == (None, 2)


async def test_giving_back_someone_elses_lease_changes_nothing(database_url):
    now = utcnow()
    assert await leases.take("job", "owner", now=now, hold_for=timedelta(minutes=5))
    await leases.give_back("job", "intruder", now=now, next_due=now)
    assert (await leases.lease_of("job")).holder == "owner"
    assert not await leases.take("job", "intruder", now=now + timedelta(minutes=1), hold_for=timedelta(minutes=5))
