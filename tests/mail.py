"""How tests read the mail the platform sends.

The app only writes outbox rows; the outbox worker delivers them. In tests the app's own
worker is off (`outbox_worker=False`) and the test clients' transport drains the outbox after
every request, through the real worker (claim, send, mark sent) into a memory transport whose
list is the `outbox` fixture. So a test reads a mailed link right after the request that
caused it, as before the outbox existed, and every such test also exercises the delivery path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx

from participation.outbox.transport import DeliveredMail, MemoryTransport
from participation.outbox.worker import Delivery, deliver_pending
from participation.settings import Settings


class Outbox(list[DeliveredMail]):
    """The mail delivered so far in this test (a list: `outbox[-1].body`, `outbox.clear()`)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.transport = MemoryTransport(sent=self)
        self.delivering = True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No delivery after requests in the block (a test that unplugs the database for one request)."""
        self.delivering = False
        try:
            yield
        finally:
            self.delivering = True

    async def deliver(self, now: datetime | None = None) -> Delivery:
        """Send what is due now (the test clients do this after every request)."""
        return await deliver_pending(self.settings, self.transport, now)


class DeliveringTransport(httpx.ASGITransport):
    """httpx's in-process transport, draining the outbox once the app has answered."""

    def __init__(self, app, outbox: Outbox) -> None:
        super().__init__(app=app)
        self.outbox = outbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if self.outbox.delivering:
            await self.outbox.deliver()
        return response
