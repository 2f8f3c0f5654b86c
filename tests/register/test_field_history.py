"""Field-level history: every change of an entry's fields is recorded with the change; staff see all
of it, the public timeline the public fields' changes (old -> new, when) without the account."""

from __future__ import annotations

import asyncio

import pytest

from participation.accounts.tables import Role
from participation.database import write_transaction
from participation.register import history, services
from participation.register.tables import RegisterEntry, RegisterFieldChange
from tests.accounts.tools import another_browser
from tests.forms import follow, open_form, text_of
from tests.helpers import api_token, make_account, sign_in
from tests.register.conftest import entry_fields

pytestmark = pytest.mark.anyio


async def changes_of(entry_id: int) -> dict[str, tuple[str | None, str | None]]:
    rows = await RegisterFieldChange.select(
        RegisterFieldChange.field, RegisterFieldChange.old_value, RegisterFieldChange.new_value
    ).where(RegisterFieldChange.entry == entry_id)
    return {row["field"]: (row["old_value"], row["new_value"]) for row in rows}


async def test_editing_through_the_form_records_each_changed_field(client, settings, member, new_entry):
    entry = await new_entry(budget_eur=1000)
    editor = await make_account(settings, email="piet@example.org", name="Piet Pietersen", role=Role.editor)
    await sign_in(client, editor.email)
    form = await open_form(client, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    form.fill(budget_eur="2500", department="stadsbeheer", partner_name_0="", lessons_decision="continue")
    await follow(client, await form.submit(client))

    assert await changes_of(entry.id) == {
        "budget_eur": ("1000", "2500"),
        "department": ("openbare-ruimte", "stadsbeheer"),
        "partners": ("LichtLab (business)", None),
        "lessons_decision": (None, "continue"),
    }
    [who] = await RegisterFieldChange.select(RegisterFieldChange.actor, RegisterFieldChange.actor_role).where(
        RegisterFieldChange.field == "budget_eur"
    )
    assert who == {"actor": editor.id, "actor_role": "editor"}

    staff_page = await client.get(f"/register/{entry.slug}/history")
    assert staff_page.status_code == 200
    table = text_of(staff_page, ".register-history")
    assert "Budget" in table and "€ 1.000" in table and "€ 2.500" in table and "Piet Pietersen" in table

    async with another_browser(client) as resident:
        await sign_in(resident, member.email)
        public = text_of(await resident.get(f"/register/{entry.slug}"), ".register-timeline")
        assert "Gegevens gewijzigd" in public and "Budget: € 1.000 → € 2.500" in public
        assert "Piet Pietersen" not in public  # the account stays internal; the timeline shows the role
        assert "Redactie register" in public
        assert (await resident.get(f"/register/{entry.slug}/history")).status_code == 403


async def test_saving_without_changes_records_nothing(settings, editor, new_entry):
    entry = await new_entry()
    await services.update_entry(settings, editor, entry.slug, await services.editable_values(entry.slug))
    assert await changes_of(entry.id) == {}


async def test_a_status_change_is_recorded_but_shown_once_on_the_timeline(client, settings, editor, new_entry, events):
    entry = await new_entry()
    await services.post_update(
        settings, editor, entry.slug, text="We kijken ernaar.", status="under_assessment", events=events
    )
    assert await changes_of(entry.id) == {"status": ("received", "under_assessment")}
    assert await history.public_changes(entry.id) == []  # the update itself shows the new status


async def test_internal_fields_stay_off_the_public_timeline(client, settings, editor, member, new_entry, events):
    from participation.register import drafts

    draft = await services.create_entry(settings, editor, entry_fields(), draft=True)
    await drafts.publish_entry(editor, draft.slug, events=events)
    assert (await changes_of(draft.id))["draft"] == ("true", "false")
    assert await history.public_changes(draft.id) == []
    assert not history.is_public_field("draft") and not history.is_public_field("created_by")
    assert history.is_public_field("budget_eur")


async def test_record_changes_covers_any_field_another_module_changes(settings, editor, new_entry):
    """The one function other modules call (e.g. a field they add to an entry), inside their transaction."""
    entry = await new_entry()
    async with write_transaction():
        changed = await history.record_changes(
            entry.id, {"priority": "low", "same": 1}, {"priority": "high", "same": 1}, editor
        )
    assert changed == ["priority"]
    assert await changes_of(entry.id) == {"priority": ("low", "high")}
    [item] = await history.public_changes(entry.id)
    assert item["changes"] == [{"field": "priority", "label": "Priority", "old": "low", "new": "high"}]


async def test_a_change_rolls_back_with_its_history(settings, editor, new_entry):
    entry = await new_entry()
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await RegisterEntry.update({RegisterEntry.budget_eur: 9}).where(RegisterEntry.id == entry.id)
            await history.record_changes(entry.id, {"budget_eur": None}, {"budget_eur": 9}, editor)
            raise RuntimeError("the use case fails after recording")
    assert await changes_of(entry.id) == {}


async def test_long_texts_are_shortened_on_the_public_timeline_only(settings, editor, new_entry):
    entry = await new_entry()
    long_text = "Lange beschrijving. " * 40
    await services.update_entry(settings, editor, entry.slug, {"description": long_text})
    [item] = await history.public_changes(entry.id)
    assert item["changes"][0]["new"].endswith("…") and len(item["changes"][0]["new"]) <= history.PUBLIC_EXCERPT + 1
    [full] = await history.full_history(entry.id)
    assert full["new_value"] == long_text.strip()


async def test_editors_saving_at_once_record_a_chain_of_changes(client, editor, new_entry):
    """Each save's "old" is what the one before it left: the history can be read as a sequence."""
    entry = await new_entry(budget_eur=1)
    headers = await api_token(client, editor.email)
    budgets = [10, 20, 30, 40, 50]
    responses = await asyncio.gather(
        *(client.patch(f"/api/v1/register/{entry.slug}", headers=headers, json={"budget_eur": b}) for b in budgets)
    )
    assert [r.status_code for r in responses] == [200] * len(budgets)
    rows = (
        await RegisterFieldChange.select(RegisterFieldChange.old_value, RegisterFieldChange.new_value)
        .where(RegisterFieldChange.field == "budget_eur")
        .order_by(RegisterFieldChange.id)
    )
    assert len(rows) == len(budgets)
    assert rows[0]["old_value"] == "1"
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["old_value"] == before["new_value"]
    final = await RegisterEntry.select(RegisterEntry.budget_eur).where(RegisterEntry.id == entry.id).first()
    assert str(final["budget_eur"]) == rows[-1]["new_value"]


def test_fields_added_by_the_project_and_transparency_blocks_have_labels_and_a_side():
    """The owner is an account id: staff-only in the history; the other new fields are public, with labels."""
    from participation.register import history

    assert not history.is_public_field("owner") and not history.is_public_field("assessment_decided_at")
    for field in ("priority", "priority_rationale", "risks", "human_intervention", "iama_url"):
        assert history.is_public_field(field)
        assert field in history.FIELD_LABELS
