"""What the ideas domain announces after a write committed (see participation.lib.events).

Who reacts is wired in `participation.composition`; this package never imports the reactors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True)
class ContentWritten:
    """An idea or comment was created or edited by its author (moderation looks for spam signals)."""

    target_type: Literal["idea", "comment"]
    target_id: int


@dataclass(frozen=True)
class IdeaActivity:
    """Something that counts for trending happened on an idea: published, commented (voting rescores it)."""

    idea_id: int
    at: datetime


# -- published inside the use case's transaction (handlers join it and only write rows) ------


@dataclass(frozen=True)
class IdeaStatusChanged:
    """Any lifecycle transition (ideas.lifecycle.Transition), published in the same transaction.

    `reason`: the moderator's message (changes requested), the rejection reason, or a
    withdrawal reason; `merged_into` for a merge. A routed idea's register entry exists
    (voting.tables.Routing) when this is published.
    """

    idea_id: int
    previous: str
    status: str
    at: datetime
    reason: str | None = None
    merged_into: int | None = None


@dataclass(frozen=True)
class CommentAdded:
    """A new comment or reply (`parent_id`), published in the same transaction."""

    comment_id: int
    idea_id: int
    author_id: int
    parent_id: int | None
    at: datetime
