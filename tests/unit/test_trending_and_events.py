"""The trending formula and the domain-event registry, as plain functions."""

from __future__ import annotations

import pytest

from ideas.events import ContentWritten, IdeaActivity
from ideas.trending import trending_score
from participation.composition import build_parts
from participation.lib.events import DomainEvents
from participation.moderation.events import on_content_written
from participation.settings import get_settings
from voting.trending import on_idea_activity


def test_trending_formula():
    assert trending_score(0, 0, 0) == pytest.approx(-1 / 2**1.4)
    assert trending_score(10, 0, 5) > trending_score(5, 0, 5)  # more recent supports rank higher
    assert trending_score(0, 3, 5) > trending_score(0, 1, 5)  # and more recent comments
    assert trending_score(10, 2, 5) > trending_score(10, 2, 50)  # the same activity ranks lower with age


async def test_events_reach_their_handlers_in_order():
    seen: list[str] = []

    async def first(event):
        seen.append(f"first {event.idea_id}")

    async def second(event):
        seen.append(f"second {event.idea_id}")

    events = DomainEvents({IdeaActivity: (first, second)})
    await events.publish(IdeaActivity(3, at=None))  # type: ignore[arg-type]
    await events.publish(ContentWritten("idea", 3))  # nobody listens: nothing happens
    assert seen == ["first 3", "second 3"]


def test_the_composition_root_wires_each_event_once():
    events = build_parts(get_settings()).events
    assert events.handlers(ContentWritten) == (on_content_written,)
    assert events.handlers(IdeaActivity) == (on_idea_activity,)
