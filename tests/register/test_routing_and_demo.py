"""The routing entry point for popular ideas, slugs, and the demo loader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from participation.database import write_transaction
from participation.register import services
from participation.register.demo import load_register_demo
from participation.register.tables import RegisterEntry, RegisterUpdate

pytestmark = pytest.mark.anyio

DUE = datetime(2030, 1, 1, 12, tzinfo=UTC)


def routed(**overrides):
    fields = dict(
        title="Deelfietsen bij het winkelcentrum",
        summary="Een idee van bewoners.",
        theme="mobility",
        scope="broad",
        neighbourhood="oosterheem",
        origin="idea",
        idea_id=42,
        personal_data=None,
        personal_data_description=None,
        response_due_at=DUE,
    )
    fields.update(overrides)
    return fields


async def test_create_routed_entry_inside_the_callers_write_transaction(settings):
    async with write_transaction():
        entry = await services.create_routed_entry(**routed())
    view = await services.get_entry(entry.slug)
    assert view["status"] == "received"
    assert view["origin"] == "idea" and view["idea_id"] == 42
    assert view["neighbourhoods"] == ["oosterheem"]
    assert view["response_due_at"] == DUE
    assert view["programme_line"] is None
    assert [(t["status"], t["author_role"]) for t in view["timeline"]] == [("received", "system")]


async def test_routed_entry_rolls_back_with_the_caller(settings):
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await services.create_routed_entry(**routed())
            raise RuntimeError("the support insert failed")
    assert await RegisterEntry.count() == 0
    assert await RegisterUpdate.count() == 0


async def test_routed_entries_get_unique_slugs(settings, new_entry):
    await new_entry(title="Deelfietsen bij het winkelcentrum")
    async with write_transaction():
        first = await services.create_routed_entry(**routed(idea_id=7))
        second = await services.create_routed_entry(
            **routed(idea_id=8, origin="pilot", personal_data=True, personal_data_description="Camerabeelden")
        )
    slugs = {first.slug, second.slug, "deelfietsen-bij-het-winkelcentrum"}
    assert len(slugs) == 3
    assert (await services.get_entry(second.slug))["personal_data"] is True


async def test_editor_entries_with_the_same_title_get_unique_slugs(new_entry):
    a = await new_entry(title="Een project met dezelfde titel")
    b = await new_entry(title="Een project met dezelfde titel")
    new = await new_entry(title="New !!!!!!!")
    lessons = await new_entry(title="Lessons !!!")
    assert a.slug == "een-project-met-dezelfde-titel"
    assert b.slug == "een-project-met-dezelfde-titel-2"
    # /register/new and /register/lessons are pages, not entries.
    assert new.slug == "new-project" and lessons.slug == "lessons-project"


async def test_routing_uses_the_city_response_time(settings):
    routed_at = datetime(2030, 1, 1, tzinfo=UTC)
    assert services.default_response_due(settings, routed_at) == routed_at + timedelta(
        weeks=settings.city.response_weeks
    )


async def test_demo_loader_is_idempotent(settings):
    created = await load_register_demo(settings)
    count = await RegisterEntry.count()
    updates = await RegisterUpdate.count()
    assert created == count >= 15
    assert await load_register_demo(settings) == 0
    assert await RegisterEntry.count() == count
    assert await RegisterUpdate.count() == updates


async def test_demo_covers_what_the_register_shows(settings):
    await load_register_demo(settings)
    summary = await services.portfolio_summary()
    assert summary["overdue"] == 1
    assert summary["by_scope"]["narrow"] > 0 and summary["by_scope"]["broad"] > 0
    assert all(summary["by_status"][s] > 0 for s in summary["by_status"])
    assert summary["by_status"]["completed"] == 2
    lessons, _ = await services.list_lessons()
    assert {e["status"] for e in lessons} >= {"completed"}
    entries, _ = await services.list_entries(services.EntryFilters(personal_data="yes"))
    assert any(e["dpia_status"] == "done" for e in entries)
    lines = {e["programme_line"] for e in (await services.list_entries(services.EntryFilters(), per_page=100))[0]}
    assert len(lines - {None}) >= 4
