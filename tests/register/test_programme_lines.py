"""Programme lines: seeded from the city configuration, edited by admins, a page per line, the register filter."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from participation.accounts.tables import Role
from participation.register import programme, services
from participation.register.tables import ProgrammeLine, ProgrammeLineChange, RegisterEntry
from tests.forms import follow, open_form, page_problems, text_of
from tests.helpers import make_account, sign_in
from tests.register.conftest import LESSONS

pytestmark = pytest.mark.anyio


def card_titles(html: str) -> list[str]:
    return re.findall(r'register-card__title"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
async def admin(settings):
    return await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin)


async def test_start_up_seeds_every_configured_line_once_and_keeps_admin_edits(settings, client):
    rows = await ProgrammeLine.select().order_by(ProgrammeLine.position)
    assert [r["slug"] for r in rows] == [p.slug for p in settings.city.programme_lines]
    healthy = next(r for r in rows if r["slug"] == "healthy-city")
    assert healthy["name_nl"] == "Gezonde en inclusieve stad"
    assert healthy["budget_envelope_eur"] == 800_000
    assert healthy["owner_role"] == "Beleidsadviseur Zorg en Welzijn"
    assert healthy["status"] == "active" and healthy["start_date"].isoformat() == "2025-01-01"
    assert "demo" in healthy["goal_en"]

    # An admin's edit survives a restart; a line added to the configuration gets its row.
    await ProgrammeLine.update({ProgrammeLine.goal_nl: "Een eigen doel van de beheerder."}).where(
        ProgrammeLine.slug == "healthy-city"
    )
    await ProgrammeLine.delete().where(ProgrammeLine.slug == "smart-municipality")
    assert await programme.seed_programme_lines(settings.city) == 1
    assert await programme.seed_programme_lines(settings.city) == 0
    assert await ProgrammeLine.count() == len(settings.city.programme_lines)
    kept = await ProgrammeLine.select(ProgrammeLine.goal_nl).where(ProgrammeLine.slug == "healthy-city").first()
    assert kept["goal_nl"] == "Een eigen doel van de beheerder."


async def test_a_broken_seed_value_stops_start_up_naming_its_key(settings):
    from participation.city import CityConfigError

    seeds = dict(settings.city.programme_line_seeds)
    seeds["healthy-city"] = {**seeds["healthy-city"], "status": "someday"}
    city = replace(settings.city, programme_line_seeds=seeds)
    with pytest.raises(CityConfigError, match=r"programme_lines\[2\]\.status"):
        await programme.seed_programme_lines(city)


async def test_the_register_filter_on_a_programme_line_filters(client, new_entry):
    await new_entry(title="Parkeersensoren in het centrum", programme_line="accessible-city")
    await new_entry(title="Zonnedaken met de coöperatie", programme_line="sustainable-city")
    await new_entry(title="Hittestress meten in wijken", programme_line="sustainable-city")

    everything = await client.get("/register")
    assert len(card_titles(everything.text)) == 3
    page = await client.get("/register?programme_line=sustainable-city")
    assert page.status_code == 200
    assert sorted(card_titles(page.text)) == ["Hittestress meten in wijken", "Zonnedaken met de coöperatie"]
    # The filter is on the form, and each group heading leads to the line's page.
    form = (await open_form(client, "/register", method="get", action="/register")).fill(
        programme_line="accessible-city"
    )
    assert card_titles((await form.submit(client)).text) == ["Parkeersensoren in het centrum"]
    assert 'href="/register/lines/sustainable-city"' in everything.text
    assert 'href="/register/lines"' in everything.text


async def test_line_page_shows_goal_owner_entries_figures_and_lessons_without_drafts(
    settings, client, new_entry, editor, events
):
    line = "sustainable-city"
    running = await new_entry(title="Slimme lantaarnpalen in Dorp", programme_line=line, scope="narrow")
    await new_entry(
        title="Zonnedaken met de coöperatie",
        programme_line=line,
        scope="broad",
        personal_data=True,
        data_description="Namen van deelnemers",
        legal_basis="Toestemming",
        dpia_status="not_needed",
    )
    await new_entry(title="Waterberging op pleinen", programme_line=line, scope="broad", personal_data=False)
    await new_entry(title="Parkeersensoren in het centrum", programme_line="accessible-city")
    draft = await new_entry(title="Geheim concept voor later", programme_line=line)
    await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == draft.id)
    await services.update_entry(settings, editor, running.slug, {"status": "received", **LESSONS})

    page = await client.get(f"/register/lines/{line}")
    assert page.status_code == 200
    main = text_of(page)
    assert "Duurzame en klimaatbestendige stad" in main
    assert "Minder energiegebruik en wateroverlast" in main  # the seeded goal
    english = await client.get(f"/register/lines/{line}?lang=en")
    assert "Sustainable, climate-proof city" in text_of(english, "h1")
    assert "Less energy use and flooding" in text_of(english)
    assert "Programmamanager Energietransitie" in main
    assert sorted(card_titles(page.text)) == [
        "Slimme lantaarnpalen in Dorp",
        "Waterberging op pleinen",
        "Zonnedaken met de coöperatie",
    ]
    assert "Geheim concept" not in page.text
    statuses = text_of(english, "#line-statuses")
    assert re.search(r"Projects in total\s*3\b", statuses) and re.search(r"Received\s*3\b", statuses), statuses
    shares = text_of(page, "#line-shares")
    # 1 of 3 narrow, 2 of 3 broad, 1 of 3 processes personal data.
    assert re.findall(r"(\d+)%", shares) == ["33", "67", "33"]
    assert "Dimmen bij weinig verkeer." in main  # the line's lessons learned

    figures = await programme.figures_for(line)
    assert figures["entries"] == 3 and figures["by_scope"] == {"narrow": 1, "broad": 2}
    assert figures["personal_data"] == {"yes": 1, "no": 1, "unknown": 1}

    index = await client.get("/register/lines")
    assert index.status_code == 200
    assert len(card_titles(index.text)) == len(settings.city.programme_lines)


async def test_an_unknown_line_is_a_404(client):
    assert (await client.get("/register/lines/no-such-line")).status_code == 404


async def test_admin_edits_a_line_through_its_form_and_the_change_is_logged(client, admin, editor):
    await sign_in(client, admin.email)
    form = await open_form(client, "/register/lines/healthy-city/edit", action="/register/lines/healthy-city/edit")
    form.fill(
        goal_nl="Iedereen kan zelfstandig thuis wonen met hulp van technologie.",
        owner_role="",
        owner_account=str(editor.id),
        budget_envelope_eur="950000",
        status="closed",
    )
    page = await follow(client, await form.submit(client))
    assert "Iedereen kan zelfstandig thuis wonen" in text_of(page)
    assert "Redactie" in text_of(page)  # the editor's public display name as owner

    row = await ProgrammeLine.select().where(ProgrammeLine.slug == "healthy-city").first()
    assert row["owner_account"] == editor.id and row["owner_role"] == "" and row["budget_envelope_eur"] == 950_000
    changes = await ProgrammeLineChange.select().order_by(ProgrammeLineChange.field)
    assert {c["field"] for c in changes} == {"goal_nl", "owner_account", "owner_role", "budget_envelope_eur", "status"}
    assert all(c["actor"] == admin.id for c in changes)
    envelope = next(c for c in changes if c["field"] == "budget_envelope_eur")
    assert (envelope["old_value"], envelope["new_value"]) == ("800000", "950000")
    history = text_of(await client.get("/register/lines/healthy-city/edit"), "#changes-title + *")
    assert "800000" in history and "950000" in history and "Beheerder" in history


@pytest.mark.parametrize(
    ("lang", "fields", "field", "message"),
    [
        ("nl", {"owner_account": "", "owner_role": ""}, "owner_account", "Noem de eigenaar"),
        ("en", {"owner_role": "Wethouder"}, "owner_role", "not both"),
        ("en", {"start_date": "2027-01-01", "end_date": "2026-01-01"}, "end_date", "cannot be before"),
        ("nl", {"goal_nl": "Kort"}, "goal_nl", "10"),
        ("en", {"budget_envelope_eur": "veel"}, "budget_envelope_eur", "whole number"),
    ],
)
async def test_line_form_errors_are_shown_at_their_field_in_the_readers_language(
    client, admin, editor, lang, fields, field, message
):
    await sign_in(client, admin.email)
    if "owner_role" in fields and fields["owner_role"]:
        fields = {**fields, "owner_account": str(editor.id)}
    form = await open_form(
        client, f"/register/lines/accessible-city/edit?lang={lang}", action="/register/lines/accessible-city/edit"
    )
    response = await form.fill(**fields).submit(client)
    assert response.status_code == 422
    problems = page_problems(response)
    assert field in problems.fields and message in problems.fields[field], problems
    assert (await ProgrammeLineChange.count()) == 0


async def test_an_editor_cannot_edit_a_line(client, editor):
    await sign_in(client, editor.email)
    assert (await client.get("/register/lines/accessible-city/edit")).status_code == 403
    with pytest.raises(Exception, match="administrators"):
        await programme.edit_line(editor, "accessible-city", {})


async def test_an_erased_owner_no_longer_owns_the_line(client, admin, editor, events):
    from participation.accounts.deletion import delete_account

    await programme.edit_line(
        admin,
        "healthy-city",
        {
            "name_nl": "Gezonde en inclusieve stad",
            "goal_nl": "Zelfstandig wonen met technologie.",
            "owner_account": str(editor.id),
            "status": "active",
        },
    )
    await delete_account(editor.id, events=events)
    row = await ProgrammeLine.select(ProgrammeLine.owner_account).where(ProgrammeLine.slug == "healthy-city").first()
    assert row["owner_account"] is None


async def test_the_api_filters_on_a_programme_line_and_refuses_an_unknown_one(client, new_entry):
    await new_entry(title="Parkeersensoren in het centrum", programme_line="accessible-city")
    await new_entry(title="Zonnedaken met de coöperatie", programme_line="sustainable-city")
    answer = await client.get("/api/v1/register?programme_line=accessible-city")
    assert [item["title"] for item in answer.json()["items"]] == ["Parkeersensoren in het centrum"]
    refused = await client.get("/api/v1/register?programme_line=no-such-line")
    assert refused.status_code == 422 and "programme_line" in refused.json()["errors"]


async def test_two_admins_saving_at_once_each_log_what_they_changed_from_what_they_saw(client, admin, settings):
    import asyncio

    from tests.helpers import csrf_from

    await sign_in(client, admin.email)
    page = await client.get("/register/lines/healthy-city/edit")
    form = dict(
        (
            await open_form(client, "/register/lines/healthy-city/edit", action="/register/lines/healthy-city/edit")
        ).data()
    )
    posts = [
        {**form, "budget_envelope_eur": amount, "_csrf_token": csrf_from(page.text)} for amount in ("810000", "820000")
    ]
    answers = await asyncio.gather(*[client.post("/register/lines/healthy-city/edit", data=p) for p in posts])
    assert [a.status_code for a in answers] == [303, 303]
    log = await ProgrammeLineChange.select(ProgrammeLineChange.old_value, ProgrammeLineChange.new_value).order_by(
        ProgrammeLineChange.id
    )
    # One after the other: the second saw the first's value, so the log is a chain without a gap.
    assert len(log) == 2 and log[0]["old_value"] == "800000" and log[1]["old_value"] == log[0]["new_value"]
    final = (
        await ProgrammeLine.select(ProgrammeLine.budget_envelope_eur)
        .where(ProgrammeLine.slug == "healthy-city")
        .first()
    )
    assert str(final["budget_envelope_eur"]) == log[1]["new_value"]
