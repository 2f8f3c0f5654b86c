"""The register lifecycle (DESIGN.md section 3): every allowed and every refused status change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from participation.register import services
from participation.register.permissions import TRANSITIONS, is_overdue, transition_refusal
from participation.register.tables import RegisterEntry, RegisterUpdate, Status
from participation.validation import FormErrors
from tests.register.conftest import LESSONS, with_goal

pytestmark = pytest.mark.anyio

ALLOWED = {
    ("received", "under_assessment"),
    ("received", "declined"),
    ("under_assessment", "planned"),
    ("under_assessment", "declined"),
    ("planned", "running"),
    ("planned", "declined"),
    ("running", "completed"),
    ("running", "stopped"),
}
ALL_PAIRS = list(product([s.value for s in Status], repeat=2))


def test_the_transition_table_is_the_designed_lifecycle():
    table = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


async def _entry_in(new_entry, status: str, editor=None):
    """An entry put straight into `status` (with lessons and a goal, so only the lifecycle decides)."""
    entry = await new_entry(**LESSONS)
    if editor is not None:
        await with_goal(editor, entry.slug)
    await RegisterEntry.update({RegisterEntry.status: status}).where(RegisterEntry.id == entry.id)
    return entry


@pytest.mark.parametrize("current,target", sorted(ALLOWED))
async def test_allowed_transition(settings, editor, new_entry, current, target, events):
    entry = await _entry_in(new_entry, current, editor)
    update = await services.post_update(
        settings,
        editor,
        entry.slug,
        text="Nieuwe stap.",
        status=target,
        reason="Past niet in het beleid van dit jaar." if target == "declined" else None,
        events=events,
    )
    assert update.status == target and update.previous_status == current
    view = await services.get_entry(entry.slug)
    assert view["status"] == target
    assert view["timeline"][-1]["status"] == target
    assert view["timeline"][-1]["author_role"] == "editor"


@pytest.mark.parametrize("current,target", sorted(set(ALL_PAIRS) - ALLOWED))
async def test_refused_transition(settings, editor, new_entry, current, target, events):
    entry = await _entry_in(new_entry, current, editor)
    updates_before = await RegisterUpdate.count()
    with pytest.raises(FormErrors) as refused:
        await services.post_update(
            settings,
            editor,
            entry.slug,
            text="Nieuwe stap.",
            status=target,
            reason="Past niet in het beleid van dit jaar.",
            events=events,
        )
    assert "status" in refused.value.errors
    assert (await services.get_entry(entry.slug))["status"] == current
    assert await RegisterUpdate.count() == updates_before, "nothing half-saved"


@pytest.mark.parametrize("current", ["received", "under_assessment", "planned"])
async def test_declined_without_a_reason_is_refused(settings, editor, new_entry, current, events):
    entry = await _entry_in(new_entry, current)
    with pytest.raises(FormErrors) as refused:
        await services.post_update(
            settings, editor, entry.slug, text="Wij doen dit niet.", status="declined", reason="  ", events=events
        )
    assert "reason" in refused.value.errors
    assert (await services.get_entry(entry.slug))["status"] == current


async def test_declined_reason_is_public(settings, editor, new_entry, events):
    entry = await new_entry()
    await services.post_update(
        settings,
        editor,
        entry.slug,
        text="Besluit genomen.",
        status="declined",
        reason="Het voordeel weegt niet op tegen de privacy-risico's.",
        events=events,
    )
    view = await services.get_entry(entry.slug)
    assert view["declined_reason"] == "Het voordeel weegt niet op tegen de privacy-risico's."


@pytest.mark.parametrize("target", ["completed", "stopped"])
@pytest.mark.parametrize(
    "missing",
    [None, "lessons_tried", "lessons_outcome", "lessons_decision", "lessons_decision_reason", "lessons_advice"],
)
async def test_completed_or_stopped_needs_all_lessons(settings, editor, new_entry, target, missing, events):
    lessons = {} if missing is None else {k: v for k, v in LESSONS.items() if k != missing}
    entry = await new_entry(**lessons)
    await RegisterEntry.update({RegisterEntry.status: "running"}).where(RegisterEntry.id == entry.id)
    with pytest.raises(FormErrors) as refused:
        await services.post_update(settings, editor, entry.slug, text="Klaar.", status=target, events=events)
    assert "status" in refused.value.errors
    assert (await services.get_entry(entry.slug))["status"] == "running"


async def test_lessons_cannot_be_removed_from_a_completed_entry(settings, editor, new_entry):
    entry = await _entry_in(new_entry, "completed")
    with pytest.raises(FormErrors):
        await services.update_entry(settings, editor, entry.slug, {"lessons_advice": ""})


async def test_update_without_status_change_keeps_status(settings, editor, new_entry, events):
    entry = await _entry_in(new_entry, "running")
    update = await services.post_update(settings, editor, entry.slug, text="De sensoren hangen.", events=events)
    assert update.status is None
    assert (await services.get_entry(entry.slug))["status"] == "running"


async def test_update_needs_text(settings, editor, new_entry, events):
    entry = await new_entry()
    with pytest.raises(FormErrors) as refused:
        await services.post_update(settings, editor, entry.slug, text="   ", status="under_assessment", events=events)
    assert "text" in refused.value.errors


async def test_timeline_is_in_order_of_posting(settings, editor, new_entry, events):
    entry = await new_entry()
    await services.post_update(settings, editor, entry.slug, text="Eerste", status="under_assessment", events=events)
    await services.post_update(settings, editor, entry.slug, text="Tweede", events=events)
    await with_goal(editor, entry.slug)
    await services.post_update(settings, editor, entry.slug, text="Derde", status="planned", events=events)
    timeline = (await services.get_entry(entry.slug))["timeline"]
    assert [t["text"] for t in timeline][1:] == ["Eerste", "Tweede", "Derde"]
    assert [t["status"] for t in timeline] == ["received", "under_assessment", None, "planned"]
    assert [t["created_at"] for t in timeline] == sorted(t["created_at"] for t in timeline)


def test_pure_transition_rule_needs_reason_and_lessons():
    assert transition_refusal({"status": "received"}, "declined") is not None
    assert transition_refusal({"status": "received"}, "declined", declined_reason="Niet haalbaar.") is None
    assert transition_refusal({"status": "running"}, "completed") is not None
    assert transition_refusal({"status": "running", **LESSONS}, "completed") is None
    assert transition_refusal({"status": "running"}, "nonsense") is not None


DUE = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def test_overdue_boundary_pure():
    assert not is_overdue("received", DUE, DUE)
    assert is_overdue("received", DUE, DUE + timedelta(seconds=1))
    assert not is_overdue("under_assessment", DUE, DUE + timedelta(days=9))
    assert not is_overdue("received", None, DUE)


async def test_overdue_boundary_in_the_database(settings, new_entry):
    entry = await new_entry(response_due_at=DUE)
    at, after = DUE, DUE + timedelta(seconds=1)
    overdue = services.EntryFilters(overdue=True)

    assert (await services.get_entry(entry.slug, now=at))["response_overdue"] is False
    assert (await services.list_entries(overdue, now=at))[1] == 0
    assert (await services.portfolio_summary(now=at))["overdue"] == 0

    assert (await services.get_entry(entry.slug, now=after))["response_overdue"] is True
    entries, total = await services.list_entries(overdue, now=after)
    assert total == 1 and entries[0]["slug"] == entry.slug
    assert (await services.portfolio_summary(now=after))["overdue"] == 1


async def test_overdue_ends_when_the_city_responds(settings, editor, new_entry, events):
    entry = await new_entry(response_due_at=DUE)
    await services.post_update(
        settings, editor, entry.slug, text="We kijken ernaar.", status="under_assessment", events=events
    )
    later = DUE + timedelta(days=30)
    assert (await services.get_entry(entry.slug, now=later))["response_overdue"] is False
    assert (await services.portfolio_summary(now=later))["overdue"] == 0


async def test_due_date_from_a_form_means_end_of_that_day_in_the_city(settings, new_entry):
    entry = await new_entry(response_due_at="2026-03-01")
    view = await services.get_entry(entry.slug)
    # 23:59:59 in Amsterdam (UTC+1 in winter).
    assert view["response_due_at"] == datetime(2026, 3, 1, 22, 59, 59, tzinfo=UTC)
