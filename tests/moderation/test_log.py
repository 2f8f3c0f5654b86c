"""The decision log: listed and filtered for staff; the database refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest

from participation.database import current_engine
from participation.moderation import decisions, hiding, log
from participation.moderation.tables import ModerationDecision
from tests.accounts.tools import page_text
from tests.moderation.conftest import browser_as

pytestmark = pytest.mark.anyio


async def test_log_lists_and_filters(client, settings, people, submitted, published, events):
    await decisions.publish(settings, people["moderator"], submitted.id, events=events)
    await hiding.hide(people["moderator"], "idea", published.id, "spam", events=events)
    moderator = await browser_as(client, people["moderator"].email)
    page = page_text(await moderator.get("/moderation/log?lang=en"))
    assert "2 decisions" in page and "Published" in page and "Hidden" in page
    filtered = page_text(await moderator.get("/moderation/log?action=hide&lang=en"))
    assert "1 decision" in filtered and f"/moderation/ideas/{published.id}" in filtered
    assert f'/moderation/ideas/{submitted.id}"' not in filtered
    by_target = await log.decision_log(log.LogFilters(target_type="idea", target_id=submitted.id))
    assert [r["action"] for r in by_target.rows] == ["publish"]
    by_actor = await log.decision_log(log.LogFilters(actor=people["admin"].id))
    assert by_actor.total == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE moderation_decision SET reason = 'changed'",
        "DELETE FROM moderation_decision",
    ],
)
async def test_the_database_refuses_changes_to_decisions(settings, people, submitted, statement, events):
    await decisions.publish(settings, people["moderator"], submitted.id, events=events)
    with pytest.raises(Exception, match="append-only"):
        await current_engine().run_ddl(statement)
    rows = await ModerationDecision.select()
    assert [(r["action"], r["reason"]) for r in rows] == [("publish", None)]


def test_no_update_or_delete_path_in_the_code():
    """Nothing in the app updates or deletes a decision (the database would refuse it anyway)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    for path in [*root.glob("participation/**/*.py"), *root.glob("ideas/*.py"), *root.glob("voting/*.py")]:
        if "piccolo_migrations" in path.parts:
            continue
        text = path.read_text()
        assert "ModerationDecision.update" not in text and "ModerationDecision.delete" not in text, path
