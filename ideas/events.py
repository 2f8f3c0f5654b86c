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
