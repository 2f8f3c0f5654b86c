"""Workers: two at once send each message exactly once; a worker cancelled mid-send loses nothing;
sent mail is purged after 30 days by the periodic tasks."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from participation import tasks
from participation.lib.clock import utcnow
from participation.outbox.services import CLAIM_TIMEOUT, enqueue
from participation.outbox.tables import OutboxMessage
from participation.outbox.worker import OutboxWorker


async def queue(n: int) -> list[int]:
    return [
        await enqueue(to=f"person{i}@example.org", subject=f"Bericht {i}", text="t", category="account", locale="nl")
        for i in range(n)
    ]


async def test_two_workers_draining_at_once_send_each_message_exactly_once(settings, smtp, mailbox):
    ids = await queue(40)
    first = OutboxWorker(settings, smtp, name="first", batch_size=3)
    second = OutboxWorker(settings, smtp, name="second", batch_size=3)

    results = await asyncio.gather(first.drain(), second.drain())

    assert sum(r.sent for r in results) == 40
    assert mailbox.attempts == 40, "the SMTP server saw each message once"
    assert sorted(m["Subject"] for m in mailbox.messages) == sorted(f"Bericht {i}" for i in range(40))
    assert len({m["Message-ID"] for m in mailbox.messages}) == 40
    statuses = await OutboxMessage.select(OutboxMessage.status, OutboxMessage.attempts)
    assert {(r["status"], r["attempts"]) for r in statuses} == {("sent", 1)}
    assert len(ids) == 40


class Hanging:
    """A mail server that takes the message and never answers: the worker is stopped mid-send."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def send(self, message) -> None:
        self.started.set()
        await asyncio.Event().wait()


async def test_a_worker_cancelled_mid_send_loses_nothing(settings, smtp, mailbox):
    [message_id] = await queue(1)
    hanging = Hanging()
    stopped = asyncio.create_task(OutboxWorker(settings, hanging, name="stopped").drain())
    await asyncio.wait_for(hanging.started.wait(), 10)
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await stopped
    row = await OutboxMessage.objects().get(OutboxMessage.id == message_id)
    assert (row.status, row.claimed_by) == ("sending", "stopped")

    successor = OutboxWorker(settings, smtp, name="successor")
    await successor.drain(now=row.claimed_at + CLAIM_TIMEOUT - timedelta(seconds=1))
    assert mailbox.messages == [], "the claim still stands: the first worker might just be slow"
    await successor.drain(now=row.claimed_at + CLAIM_TIMEOUT + timedelta(seconds=1))

    assert [m["Subject"] for m in mailbox.messages] == ["Bericht 0"]
    assert mailbox.messages[0]["Message-ID"].startswith(f"<{row.message_id}@"), "the same Message-ID as the lost try"
    row = await OutboxMessage.objects().get(OutboxMessage.id == message_id)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_sent_mail_is_purged_after_thirty_days(settings, parts, smtp):
    old, recent, waiting = await queue(3)
    now = utcnow()
    await OutboxMessage.update({OutboxMessage.status: "sent", OutboxMessage.sent_at: now - timedelta(days=31)}).where(
        OutboxMessage.id == old
    )
    await OutboxMessage.update({OutboxMessage.status: "sent", OutboxMessage.sent_at: now - timedelta(days=29)}).where(
        OutboxMessage.id == recent
    )
    await OutboxMessage.update(
        {OutboxMessage.status: "failed", OutboxMessage.created_at: now - timedelta(days=90)}
    ).where(OutboxMessage.id == waiting)

    result = await tasks.run_once(parts)

    assert result["outbox_purged"] == 1
    assert sorted(await OutboxMessage.select(OutboxMessage.id).output(as_list=True)) == [recent, waiting]
