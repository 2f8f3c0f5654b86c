"""Entries managed as projects: department, accountable owner, priority with its rationale, and the
assessment against the city's criteria, through the forms the pages render."""

from __future__ import annotations

import pytest

from participation.accounts.tables import Role
from participation.register import services
from participation.register.tables import RegisterAssessment, RegisterEntry
from tests.forms import follow, open_form, page_problems, text_of
from tests.helpers import make_account, sign_in
from tests.register.conftest import entry_fields

pytestmark = pytest.mark.anyio

NEW = {
    "title": "Slimme bankjes in het park",
    "summary": "Bankjes met zonnepaneel en USB.",
    "theme": "public-space",
    "scope": "narrow",
}


async def new_entry_form(client):
    form = await open_form(client, "/register/new", action="/register/new")
    form.fill(NEW)
    return form


async def test_a_priority_without_a_rationale_is_refused(client, editor):
    await sign_in(client, editor.email)
    form = await new_entry_form(client)
    form.fill(priority="high")
    refused = await form.submit(client)
    assert refused.status_code == 422
    assert page_problems(refused).fields["priority_rationale"] == "Leg uit waarom het project deze prioriteit heeft."
    assert await RegisterEntry.count() == 0

    form = await open_form(client, "/register/new", action="/register/new")
    form.fill(NEW, priority="high", priority_rationale="Draagt direct bij aan het klimaatdoel van 2030.")
    page = await follow(client, await form.submit(client))
    saved = await RegisterEntry.objects().get(RegisterEntry.title == NEW["title"])
    assert (saved.priority, saved.priority_rationale) == ("high", "Draagt direct bij aan het klimaatdoel van 2030.")
    assert "Draagt direct bij aan het klimaatdoel van 2030." in text_of(page)


async def test_a_rationale_without_a_priority_is_refused(settings, editor):
    with pytest.raises(Exception) as refused:
        await services.create_entry(settings, editor, entry_fields(priority_rationale="Omdat het belangrijk is."))
    assert "priority" in refused.value.errors


async def test_department_comes_from_the_configured_list(client, settings, editor):
    await sign_in(client, editor.email)
    form = await new_entry_form(client)
    offered = form.options("department")
    assert [slug for slug in offered if slug] == [d.slug for d in settings.city.departments]
    form.fill(department="stadsbeheer")
    page = await follow(client, await form.submit(client))
    assert (await RegisterEntry.objects().get(RegisterEntry.title == NEW["title"])).department == "stadsbeheer"
    assert "Stadsbeheer" in text_of(page)
    with pytest.raises(Exception) as refused:
        await services.create_entry(settings, editor, entry_fields(department="Afdeling die niet bestaat"))
    assert "department" in refused.value.errors


async def test_a_department_written_before_the_list_is_shown_as_written(client, new_entry):
    entry = await new_entry()
    await RegisterEntry.update({RegisterEntry.department: "Team Slimme Stad"}).where(RegisterEntry.id == entry.id)
    assert "Team Slimme Stad" in text_of(await client.get(f"/register/{entry.slug}"))


async def test_the_owner_is_an_editor_shown_publicly_by_role_only(client, settings, editor, member):
    owner = await make_account(settings, email="eigenaar@example.org", name="Fatima de Eigenaar", role=Role.editor)
    await sign_in(client, editor.email)
    form = await new_entry_form(client)
    names = form.options("owner")
    assert str(owner.id) in names and str(editor.id) in names
    assert str(member.id) not in names, "a resident cannot own a project"
    form.fill(owner=str(owner.id))
    staff_page = await follow(client, await form.submit(client))
    entry = await RegisterEntry.objects().get(RegisterEntry.title == NEW["title"])
    assert entry.owner == owner.id
    assert "Fatima de Eigenaar" in text_of(staff_page), "staff see whom to ask"

    public = await client.__class__(transport=client._transport, base_url=client.base_url).get(
        f"/register/{entry.slug}"
    )
    assert "Een redacteur van het register bij de gemeente" in text_of(public)
    assert "Fatima de Eigenaar" not in public.text
    api = (await client.get(f"/api/v1/register/{entry.slug}")).json()
    assert api["owner_role"] == "editor" and "Fatima" not in str(api)


async def test_a_member_cannot_be_made_owner(settings, editor, member):
    with pytest.raises(Exception) as refused:
        await services.create_entry(settings, editor, entry_fields(owner=member.id))
    assert "owner" in refused.value.errors
    assert await RegisterEntry.count() == 0


async def test_the_edit_form_keeps_department_owner_and_priority(client, settings, editor, new_entry):
    entry = await new_entry(owner=editor.id, priority="low", priority_rationale="Kan wachten tot na de zomer.")
    await sign_in(client, editor.email)
    form = await open_form(client, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    await follow(client, await form.submit(client))
    saved = await RegisterEntry.objects().get(RegisterEntry.id == entry.id)
    assert (saved.department, saved.owner, saved.priority, saved.priority_rationale) == (
        "openbare-ruimte",
        editor.id,
        "low",
        "Kan wachten tot na de zomer.",
    )


# -- assessment -----------------------------------------------------------------


async def assess(client, slug: str, **fields):
    form = await open_form(client, f"/register/{slug}/assessment", action=f"/register/{slug}/assessment")
    form.fill(**fields)
    return await form.submit(client)


FULL = {
    "verdict_programme-goal": "4",
    "explanation_programme-goal": "Past goed bij de duurzame stad.",
    "verdict_privacy-impact": "low",
    "explanation_privacy-impact": "Alleen tellingen, geen beelden.",
    "verdict_cost": "medium",
    "explanation_cost": "Een kwart van het budget van de lijn.",
    "verdict_feasibility": "partly",
    "explanation_feasibility": "Leverancier moet nog gekozen worden.",
}


async def test_the_assessment_is_staff_only_until_decided(client, editor, new_entry):
    entry = await new_entry()
    anonymous = client.__class__(transport=client._transport, base_url=client.base_url)
    await sign_in(client, editor.email)
    client.follow_redirects = False

    saved = await assess(client, entry.slug, **FULL)
    assert saved.status_code == 303
    assert await RegisterAssessment.count().where(RegisterAssessment.entry == entry.id) == 4
    assert "Alleen tellingen, geen beelden." not in (await anonymous.get(f"/register/{entry.slug}")).text
    assert (await anonymous.get(f"/api/v1/register/{entry.slug}")).json()["assessment"] is None

    decided = await assess(client, entry.slug, **FULL, decided=True)
    assert decided.status_code == 303
    page = await anonymous.get(f"/register/{entry.slug}")
    assert "Alleen tellingen, geen beelden." in text_of(page) and "Voldoet deels" in text_of(page)
    api = (await anonymous.get(f"/api/v1/register/{entry.slug}")).json()["assessment"]
    assert {i["criterion"]: i["verdict"] for i in api["items"]} == {
        "programme-goal": "4",
        "privacy-impact": "low",
        "cost": "medium",
        "feasibility": "partly",
    }

    reopened = await assess(client, entry.slug, decided=False)
    assert reopened.status_code == 303
    assert "Alleen tellingen, geen beelden." not in (await anonymous.get(f"/register/{entry.slug}")).text


async def test_a_decided_assessment_covers_every_criterion_and_explains_each_verdict(client, editor, new_entry):
    entry = await new_entry()
    await sign_in(client, editor.email)
    partial = {k: v for k, v in FULL.items() if "feasibility" not in k}
    refused = await assess(client, entry.slug, **partial, decided=True)
    assert refused.status_code == 422
    assert "verdict_feasibility" in page_problems(refused).fields
    unexplained = await assess(client, entry.slug, **{**FULL, "explanation_cost": ""})
    assert unexplained.status_code == 422
    assert page_problems(unexplained).fields["explanation_cost"] == "Licht dit oordeel toe."
    assert await RegisterAssessment.count() == 0
    assert (await RegisterEntry.objects().get(RegisterEntry.id == entry.id)).assessment_decided_at is None


async def test_assessment_pages_are_for_editors(client, member, new_entry):
    entry = await new_entry()
    await sign_in(client, member.email)
    client.follow_redirects = False
    assert (await client.get(f"/register/{entry.slug}/assessment")).status_code == 403
    assert (await client.get(f"/register/{entry.slug}/goals")).status_code == 403
