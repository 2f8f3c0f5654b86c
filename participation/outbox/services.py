"""STAND-IN for the outbox being built on another branch (issue 11): same signature, no storage.

The real `enqueue` writes a message row in the caller's transaction and a worker sends it.
This stand-in only logs, so that the notifications branch runs on its own; at the merge the
real module replaces this file as a whole. Notifications call it through
`participation.notifications.mailer.send` only.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("participation.outbox")


async def enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    category: str,
    locale: str,
    unsubscribe_url: str | None = None,
) -> int:
    logger.info("outbox stand-in: %s mail to %s (%s): %s", category, to, locale, subject)
    return 0
