"""Register editors keep the project register through its forms: new entry, edit, updates, statuses, lessons."""

from __future__ import annotations

from datetime import date

import pytest

from participation.register import services
from participation.register.tables import RegisterEntry, RegisterNeighbourhood, RegisterPartner, RegisterUpdate
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.ideas.factories import make_idea

LESSONS = {
    "lessons_tried": "Dimmen bij weinig verkeer.",
    "lessons_outcome": "30% minder stroom, doel gehaald.",
    "lessons_decision": "scale_up",
    "lessons_decision_reason": "Werkt en bewoners zijn tevreden.",
    "lessons_advice": "Meet het veiligheidsgevoel vooraf.",
}


@pytest.fixture
async def editor(people, browser):
    return await browser("editor@example.org")


@pytest.fixture
async def entry(settings, people) -> RegisterEntry:
    """An entry as the register service creates it (set-up data, not the action under test)."""
    return await services.create_entry(
        settings,
        people["editor"],
        {
            "title": "Slimme lantaarnpalen in de wijk",
            "summary": "Lantaarnpalen die dimmen als het stil is.",
            "theme": "energy",
            "scope": "narrow",
            "origin": "city",
            "programme_line": "sustainable-city",
            "department": "openbare-ruimte",
            "contact_email": "team@example.org",
            "start_date": "2026-03-01",
            "budget_eur": "25000",
            "personal_data": "no",
            "partners": [{"name": "LichtLab", "kind": "business"}],
            "neighbourhoods": ["dorp", "oosterheem"],
        },
    )


async def reload(entry: RegisterEntry) -> RegisterEntry:
    return await RegisterEntry.objects().get(RegisterEntry.id == entry.id)


async def partners_of(entry: RegisterEntry) -> list[tuple[str, str]]:
    rows = await RegisterPartner.objects().where(RegisterPartner.entry == entry.id).order_by(RegisterPartner.position)
    return [(p.name, p.kind) for p in rows]


async def neighbourhoods_of(entry: RegisterEntry) -> set[str]:
    rows = await RegisterNeighbourhood.objects().where(RegisterNeighbourhood.entry == entry.id)
    return {n.neighbourhood for n in rows}


async def timeline(entry: RegisterEntry) -> list[tuple[str | None, str]]:
    rows = await RegisterUpdate.objects().where(RegisterUpdate.entry == entry.id).order_by(RegisterUpdate.id)
    return [(u.status, u.text) for u in rows]


async def test_editor_adds_an_entry(editor, people):
    index = await editor.get("/register")
    assert "/register/new" in index.text
    form = await open_form(editor, "/register/new", action="/register/new")
    form.fill(
        title="Sensoren voor wateroverlast in Meerzicht",
        summary="Sensoren in de riolering waarschuwen bij hevige regen.",
        description="Een pilot met **twintig** sensoren.",
        status="planned",
        update_text="Het project is gepland voor het voorjaar.",
        goal="Minder wateroverlast in de straten van Meerzicht.",
        indicator_name="Meldingen van wateroverlast",
        unit="meldingen per jaar",
        baseline="40",
        target="20",
        origin="city",
        programme_line="sustainable-city",
        theme="climate-adaptation",
        scope="narrow",
        department="stadsbeheer",
        contact_email="water@example.org",
        start_date="2026-04-01",
        end_date="2026-10-31",
        budget_eur="48000",
        neighbourhoods=["meerzicht", "centrum"],
        partner_name_0="Waterschap",
        partner_kind_0="government",
        personal_data="no",
        data_description="Waterstand per put, elke vijf minuten.",
        dpia_status="not_needed",
        algorithm_used="no",
    )
    page = await follow(editor, await form.submit(editor))

    entry = await RegisterEntry.objects().get(RegisterEntry.title == "Sensoren voor wateroverlast in Meerzicht")
    assert str(page.url).endswith(f"/register/{entry.slug}")
    assert (entry.status, entry.origin, entry.theme, entry.scope, entry.programme_line) == (
        "planned",
        "city",
        "climate-adaptation",
        "narrow",
        "sustainable-city",
    )
    assert (entry.start_date, entry.end_date, entry.budget_eur) == (date(2026, 4, 1), date(2026, 10, 31), 48000)
    assert (entry.personal_data, entry.algorithm_used, entry.dpia_status) == (False, False, "not_needed")
    assert entry.created_by == people["editor"].id
    # The blank partner rows the form offers (type preselected) are not partners.
    assert await partners_of(entry) == [("Waterschap", "government")]
    assert await neighbourhoods_of(entry) == {"meerzicht", "centrum"}
    assert ("planned", "Het project is gepland voor het voorjaar.") in await timeline(entry)
    assert "Sensoren voor wateroverlast in Meerzicht" in text_of(page, "h1")


async def test_saving_the_edit_form_unchanged_keeps_every_value(editor, entry):
    before = (await reload(entry)).to_dict()
    partners, hoods = await partners_of(entry), await neighbourhoods_of(entry)
    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    await follow(editor, await form.submit(editor))
    after = (await reload(entry)).to_dict()
    changed = {k: (before[k], after[k]) for k in before if k != "updated_at" and before[k] != after[k]}
    assert changed == {}
    assert await partners_of(entry) == partners
    assert await neighbourhoods_of(entry) == hoods


async def test_editor_edits_an_entry(editor, entry):
    page = await editor.get(f"/register/{entry.slug}")
    assert f"/register/{entry.slug}/edit" in page.text
    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    form.fill(
        summary="Lantaarnpalen die dimmen als er niemand op straat is.",
        budget_eur="30000",
        neighbourhoods=["dorp"],
        partner_name_1="Hogeschool",
        partner_kind_1="knowledge_institution",
        personal_data="yes",
        data_description="Alleen bewegingsdetectie, geen beelden.",
        legal_basis="Publieke taak",
    )
    page = await follow(editor, await form.submit(editor))
    updated = await reload(entry)
    assert updated.summary == "Lantaarnpalen die dimmen als er niemand op straat is."
    assert (updated.budget_eur, updated.personal_data, updated.legal_basis) == (30000, True, "Publieke taak")
    assert await partners_of(entry) == [("LichtLab", "business"), ("Hogeschool", "knowledge_institution")]
    assert await neighbourhoods_of(entry) == {"dorp"}
    assert "Publieke taak" in text_of(page)


async def post_update(editor, entry, **fields):
    form = await open_form(editor, f"/register/{entry.slug}/update", action=f"/register/{entry.slug}/update")
    form.fill(**fields)
    return await form.submit(editor)


async def test_progress_update_without_a_status_change(editor, entry):
    page = await follow(editor, await post_update(editor, entry, text="De eerste tien palen staan er."))
    assert (await timeline(entry))[-1] == (None, "De eerste tien palen staan er.")
    assert (await reload(entry)).status == "received"
    assert "De eerste tien palen staan er." in text_of(page)


async def test_status_transitions_to_completed_with_lessons_learned(editor, entry):
    await follow(editor, await post_update(editor, entry, text="Nu: under_assessment.", status="under_assessment"))
    # Planning needs a goal with an indicator: refused until the goals page has one.
    refused = await post_update(editor, entry, text="Nu: planned.", status="planned")
    assert refused.status_code == 422 and "status" in page_problems(refused).fields
    goal = await open_form(editor, f"/register/{entry.slug}/goals", action=f"/register/{entry.slug}/goals")
    goal.fill(
        goal="Minder stroom voor straatverlichting.",
        indicator_name="Stroomverbruik",
        unit="MWh",
        baseline="120",
        target="84",
    )
    await follow(editor, await goal.submit(editor))
    for status in ("planned", "running"):
        await follow(editor, await post_update(editor, entry, text=f"Nu: {status}.", status=status))
        assert (await reload(entry)).status == status

    # Completing needs the lessons learned first: the update form refuses and says so.
    refused = await post_update(editor, entry, text="Klaar.", status="completed")
    assert refused.status_code == 422
    assert "status" in page_problems(refused).fields
    assert (await reload(entry)).status == "running"

    lessons = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    lessons.fill(LESSONS)
    await follow(editor, await lessons.submit(editor))
    saved = await reload(entry)
    assert {name: getattr(saved, name) for name in LESSONS} == LESSONS

    page = await follow(editor, await post_update(editor, entry, text="Het project is afgerond.", status="completed"))
    assert (await reload(entry)).status == "completed"
    assert (await timeline(entry))[-1] == ("completed", "Het project is afgerond.")
    assert "Meet het veiligheidsgevoel vooraf." in text_of(page)
    assert entry.title in text_of(await editor.get("/register/lessons"))


async def test_decline_with_a_public_reason(editor, entry):
    page = await follow(
        editor,
        await post_update(
            editor, entry, text="We doen dit niet.", status="declined", reason="Er is al een landelijke proef."
        ),
    )
    declined = await reload(entry)
    assert (declined.status, declined.declined_reason) == ("declined", "Er is al een landelijke proef.")
    assert "Er is al een landelijke proef." in text_of(page)
    # A final status offers no further status choice.
    final = await open_form(editor, f"/register/{entry.slug}/update", action=f"/register/{entry.slug}/update")
    assert "status" not in final.names


async def test_decline_without_a_reason_is_refused(editor, entry):
    response = await post_update(editor, entry, text="We doen dit niet.", status="declined")
    assert response.status_code == 422
    assert "reason" in page_problems(response).fields
    assert (await reload(entry)).status == "received"
    form_on(response, action=f"/register/{entry.slug}/update")


async def test_saving_a_routed_entry_unchanged_keeps_its_response_due_date(people, editor, browser):
    idea = await make_idea(people["author"], status="published", title="Slimme bankjes", threshold_override=1)
    member = await browser("member@example.org")
    support = await open_form(member, f"/ideas/{idea.id}", action=f"/ideas/{idea.id}/support")
    await follow(member, await support.submit(member))
    entry = await RegisterEntry.objects().get(RegisterEntry.idea_id == idea.id)
    before = entry.to_dict()

    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    await follow(editor, await form.submit(editor))
    after = (await reload(entry)).to_dict()
    changed = {k: (before[k], after[k]) for k in before if k != "updated_at" and before[k] != after[k]}
    assert changed == {}
