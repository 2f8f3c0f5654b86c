"""Spam signals: many links, or the same text again soon after. Flagged in the queue, never dropped."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ideas.tables import Comment, Idea
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.moderation.permissions import author_id
from participation.moderation.tables import SpamSignal

SPAM_LINK_COUNT = 3  # this many links in one submission or comment is a signal
SPAM_REPEAT_WINDOW = timedelta(minutes=30)  # the same text again from one account within this time is a signal
LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
SPAM_SIGNAL_LABELS = {"links": N_("many links"), "repeated": N_("repeated text")}


def link_count(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


async def flag_spam(target_type: str, target_id: int, now: datetime | None = None) -> list[str]:
    """Flag a new submission or comment with many links, or the same text again from one account soon after.

    Called after the content is saved (ideas.services.content_listeners); it is flagged in the queue, never dropped.
    """
    now = now or utcnow()
    since = now - SPAM_REPEAT_WINDOW
    signals = []
    if target_type == "idea":
        idea = await Idea.objects().get(Idea.id == target_id)
        if idea is None:
            return []
        author = author_id(idea)
        if link_count(" ".join([idea.title, idea.summary, idea.body or ""])) >= SPAM_LINK_COUNT:
            signals.append("links")
        if await Idea.exists().where(
            (Idea.author == author)
            & (Idea.id != target_id)
            & (Idea.created_at >= since)
            & ((Idea.summary == idea.summary) | (Idea.title == idea.title))
        ):
            signals.append("repeated")
    else:
        comment = await Comment.objects().get(Comment.id == target_id)
        if comment is None:
            return []
        author = author_id(comment)
        if link_count(comment.body) >= SPAM_LINK_COUNT:
            signals.append("links")
        if await Comment.exists().where(
            (Comment.author == author)
            & (Comment.id != target_id)
            & (Comment.created_at >= since)
            & (Comment.body == comment.body)
        ):
            signals.append("repeated")
    if signals:
        await SpamSignal.insert(
            SpamSignal(
                target_type=target_type, target_id=target_id, account=author, signals=",".join(signals), created_at=now
            )
        )
    return signals
