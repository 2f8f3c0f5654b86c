"""The one door from notifications to the outbox: every mail this domain writes goes through `send`.

`send` has the outbox's `enqueue` signature, so the composition root can hand the notifier
another sender (a test records the arguments) without touching anything else. It writes a row
in the caller's transaction and never waits on the network.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from participation.outbox.services import enqueue


class SendMail(Protocol):
    def __call__(
        self,
        *,
        to: str,
        subject: str,
        text: str,
        html: str | None = None,
        category: str,
        locale: str,
        unsubscribe_url: str | None = None,
    ) -> Awaitable[int]: ...


async def send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    category: str,
    locale: str,
    unsubscribe_url: str | None = None,
) -> int:
    return await enqueue(
        to=to,
        subject=subject,
        text=text,
        html=html,
        category=category,
        locale=locale,
        unsubscribe_url=unsubscribe_url,
    )
