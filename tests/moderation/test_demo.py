"""The moderation demo loads once, on top of the other demos."""

from __future__ import annotations

import pytest

from ideas.tables import Comment
from participation.demo import load_demo
from participation.moderation.demo import load_moderation_demo
from participation.moderation.tables import ModerationDecision, Report, StaffNote, Triage

pytestmark = pytest.mark.anyio


async def test_moderation_demo_is_idempotent(settings, parts, events):
    assert await load_moderation_demo(settings, events) is False  # nothing to build on yet
    await load_demo(parts)  # runs every domain's loader, the moderation demo last
    counts = [await t.count() for t in (ModerationDecision, Report, StaffNote, Triage)]
    assert counts[0] >= 3 and counts[1] >= 2 and counts[2] == 1 and counts[3] == 1
    assert await Report.count().where(Report.status == "open") >= 2
    assert await Comment.count().where(Comment.status == "hidden") == 1
    assert await Triage.count().where(Triage.assigned_to.is_not_null()) == 1
    assert await load_moderation_demo(settings, events) is False
    assert [await t.count() for t in (ModerationDecision, Report, StaffNote, Triage)] == counts
