"""Moderation's reactions to other domains' events (wired in `participation.composition`)."""

from __future__ import annotations

from ideas.events import ContentWritten
from participation.moderation.spam import flag_spam


async def on_content_written(event: ContentWritten) -> None:
    """New or edited content is checked for spam signals: flagged in the queue, never dropped."""
    await flag_spam(event.target_type, event.target_id)
