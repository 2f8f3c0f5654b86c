"""The outbox worker: claim due messages, send them outside the claim's transaction, record the outcome.

It runs inside the app process (started and stopped in the lifespan, unless `OUTBOX_WORKER=off`)
and as `participation outbox work` in processes of its own; any number may run at once (see
`services.claim_due`). Delivery is at least once: a worker killed mid-send leaves its claim,
which another worker takes over after `CLAIM_TIMEOUT` and sends again with the same Message-ID.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from participation.outbox import services
from participation.outbox.tables import OutboxStatus
from participation.outbox.transport import Transport, build_message
from participation.settings import Settings

logger = logging.getLogger("participation.outbox")
POLL_SECONDS = 2.0


def _worker_name() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Delivery:
    """What one drain did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


@dataclass
class OutboxWorker:
    settings: Settings
    transport: Transport
    name: str = field(default_factory=_worker_name)
    batch_size: int = 10
    claim_timeout: timedelta = services.CLAIM_TIMEOUT
    poll_seconds: float = POLL_SECONDS

    async def deliver_batch(self, now: datetime | None = None) -> tuple[int, Delivery]:
        """Claim one batch and send it; returns how many were claimed and what became of them."""
        claimed = await services.claim_due(self.name, now=now, limit=self.batch_size, claim_timeout=self.claim_timeout)
        result = Delivery()
        for message in claimed:
            try:
                await self.transport.send(build_message(message, self.settings))
            except Exception as exc:  # any failure to hand over the message: retry later, keep the reason
                error = f"{type(exc).__name__}: {exc}"
                status = await services.record_failure(message, self.name, error, now=now)
                if status == OutboxStatus.failed.value:
                    result.failed += 1
                    logger.error(
                        "Outbox message %s failed for good after %s attempts: %s", message.id, message.attempts, error
                    )
                else:
                    result.retrying += 1
                    logger.warning("Outbox message %s not sent (attempt %s): %s", message.id, message.attempts, error)
            else:
                await services.record_sent(message, self.name, now=now)
                result.sent += 1
        return len(claimed), result

    async def drain(self, now: datetime | None = None) -> Delivery:
        """Send everything due now; a message that fails waits for its next attempt, so this ends."""
        total = Delivery()
        while True:
            claimed, result = await self.deliver_batch(now)
            total.add(result)
            if claimed == 0:
                return total

    async def run(self) -> None:
        """Drain, wait, repeat, until cancelled. A failed round (the database away) is logged and retried."""
        while True:
            try:
                await self.drain()
            except Exception:
                logger.exception("Outbox worker round failed")
            await asyncio.sleep(self.poll_seconds)


async def deliver_pending(settings: Settings, transport: Transport, now: datetime | None = None) -> Delivery:
    """Send everything due now through `transport` (tests, `participation outbox work --once`)."""
    return await OutboxWorker(settings, transport).drain(now)
