"""A register entry that processes personal data says what, on which legal basis and the DPIA status before it runs."""

from __future__ import annotations

import pytest

from participation.register import services
from participation.register.tables import RegisterEntry
from tests.flows.conftest import outcome
from tests.forms import open_form, page_problems, text_of
from tests.register.conftest import GOAL

BLOCKED = "Dit project verwerkt persoonsgegevens"


@pytest.fixture
async def editor(people, browser):
    return await browser("editor@example.org")


@pytest.fixture
async def entry(settings, people) -> RegisterEntry:
    entry = await services.create_entry(
        settings,
        people["editor"],
        {
            "title": "Tellen van fietsers met camera's",
            "summary": "Camera's tellen fietsers op de Dorpsstraat om de route te verbeteren.",
            "theme": "mobility",
            "scope": "narrow",
            "origin": "city",
            "personal_data": "yes",
            "status": "planned",
            **GOAL,
        },
    )
    return entry


async def post_update(editor, entry, **fields):
    form = await open_form(editor, f"/register/{entry.slug}/update", action=f"/register/{entry.slug}/update")
    return await form.fill(text="We starten met de proef.", **fields).submit(editor)


async def test_running_waits_for_data_legal_basis_and_dpia(editor, entry):
    refused = await post_update(editor, entry, status="running")
    assert refused.status_code == 422
    assert "status" in page_problems(refused).fields
    assert BLOCKED in text_of(refused)
    assert (await RegisterEntry.objects().get(RegisterEntry.id == entry.id)).status == "planned"

    # Only the data filled in is not enough.
    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    form.fill(data_description="Aantallen fietsers per uur; beelden worden in de camera weggegooid.")
    await outcome(editor, await form.submit(editor))
    assert (await post_update(editor, entry, status="running")).status_code == 422

    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    form.fill(legal_basis="Publieke taak (art. 6 lid 1 sub e AVG)", dpia_status="done")
    await outcome(editor, await form.submit(editor))
    page = await outcome(editor, await post_update(editor, entry, status="running"))
    assert (await RegisterEntry.objects().get(RegisterEntry.id == entry.id)).status == "running"
    assert "We starten met de proef." in text_of(page)

    # While it runs, the block cannot be emptied again.
    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    emptied = await form.fill(legal_basis="").submit(editor)
    assert emptied.status_code == 422
    assert "legal_basis" in page_problems(emptied).fields


async def test_without_personal_data_or_still_unknown_nothing_is_asked(settings, people, editor):
    for answer in ("no", ""):
        created = await services.create_entry(
            settings,
            people["editor"],
            {
                "title": f"Slimme bankjes {answer or 'onbekend'}",
                "summary": "Bankjes met een zonnepaneel en een oplaadpunt voor telefoons.",
                "theme": "energy",
                "scope": "narrow",
                "origin": "city",
                "personal_data": answer,
                "status": "planned",
                **GOAL,
            },
        )
        await outcome(editor, await post_update(editor, created, status="running"))
        assert (await RegisterEntry.objects().get(RegisterEntry.id == created.id)).status == "running"


async def test_a_new_entry_cannot_start_running_without_the_privacy_block(editor):
    form = await open_form(editor, "/register/new", action="/register/new")
    form.fill(
        title="Luchtkwaliteit meten bij scholen",
        summary="Sensoren meten fijnstof bij vijf basisscholen in de stad.",
        theme="health-care",
        scope="narrow",
        personal_data="yes",
        status="running",
    )
    refused = await form.submit(editor)
    assert refused.status_code == 422
    assert {"data_description", "legal_basis", "dpia_status"} <= set(page_problems(refused).fields)
    assert not await RegisterEntry.exists().where(RegisterEntry.title == "Luchtkwaliteit meten bij scholen")
