"""How notifications send mail: anything with the outbox's `enqueue` signature.

The notifier's default sender is `participation.outbox.services.enqueue` (a row in the caller's
transaction; it never waits on the network); the composition root can hand it another one
(a test records the arguments) without touching anything else.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol


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
