"""Goals and indicators: set before planning, measured over time, compared with the targets when the
entry is completed or stopped; through the goals page's forms, the API and the open data."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from participation.lib.clock import utcnow
from participation.register import goals, services
from participation.register.goals import target_met
from participation.register.tables import RegisterEntry, RegisterIndicator, RegisterMeasurement
from participation.validation import FormErrors
from tests.accounts.tools import another_browser
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.helpers import sign_in
from tests.register.conftest import LESSONS, with_goal

pytestmark = pytest.mark.anyio


def test_target_met_follows_the_direction():
    lower = {"baseline": 120.0, "target": 84.0, "direction": None}  # from 120 down to 84
    assert target_met(lower, 84.0) is True and target_met(lower, 80.0) is True
    assert target_met(lower, 90.0) is False
    higher = {"baseline": 10.0, "target": 50.0, "direction": None}
    assert target_met(higher, 50.0) is True and target_met(higher, 49.9) is False
    keep = {"baseline": 95.0, "target": 95.0, "direction": "higher"}  # hold a level: at least 95
    assert target_met(keep, 95.0) is True and target_met(keep, 94.0) is False
    assert target_met({"baseline": 5.0, "target": 0.0, "direction": "lower"}, 0.0) is True
    assert target_met(lower, None) is None, "nothing measured is not a failure"


async def _goals_form(client, slug: str, action: str):
    return await open_form(client, f"/register/{slug}/goals", action=action)


async def test_editor_sets_a_goal_with_an_indicator_through_the_page(client, editor, new_entry):
    entry = await new_entry()
    await sign_in(client, editor.email)
    form = await _goals_form(client, entry.slug, f"/register/{entry.slug}/goals")
    form.fill(goal="Minder zoekverkeer in het centrum.", indicator_name="Zoektijd", unit="minuten", baseline="twaalf")
    refused = await form.submit(client)
    assert refused.status_code == 422
    problems = page_problems(refused).fields
    assert problems["baseline-new"] == "Vul een getal in." and "target-new" in problems
    assert await RegisterIndicator.count() == 0

    form = form_on(refused, action=f"/register/{entry.slug}/goals")
    form.fill(baseline="12,5", target="7.5")
    page = await follow(client, await form.submit(client))
    assert "Het doel is toegevoegd." in text_of(page)
    [goal] = (await services.get_entry(entry.slug))["goals"]
    assert goal["text"] == "Minder zoekverkeer in het centrum."
    [indicator] = goal["indicators"]
    assert (indicator["name"], indicator["unit"], indicator["baseline"], indicator["target"]) == (
        "Zoektijd",
        "minuten",
        12.5,
        7.5,
    )

    public = text_of(await another_browser(client).get(f"/register/{entry.slug}"))
    assert "Nulmeting 12,5 minuten Streefwaarde 7,5 minuten" in public, "decimals as Dutch readers write them"

    add = form_on(page, action=f"/register/{entry.slug}/goals/{goal['id']}/indicators")
    add.fill(
        indicator_name="Tevredenheid bezoekers", unit="rapportcijfer", baseline="6", target="8", direction="higher"
    )
    await follow(client, await add.submit(client))
    names = [i["name"] for i in (await services.get_entry(entry.slug))["goals"][0]["indicators"]]
    assert names == ["Zoektijd", "Tevredenheid bezoekers"]


async def test_a_target_against_the_stated_direction_is_refused(editor, new_entry):
    entry = await new_entry()
    with pytest.raises(FormErrors) as refused:
        await with_goal(editor, entry.slug, baseline="10", target="5", direction="higher")
    assert "target" in refused.value.errors


async def test_planned_needs_a_goal_with_an_indicator(settings, editor, new_entry, events):
    entry = await new_entry(status="under_assessment")
    with pytest.raises(FormErrors) as refused:
        await services.post_update(settings, editor, entry.slug, text="Gepland.", status="planned", events=events)
    assert str(refused.value.errors["status"]).startswith("Leg minstens één doel met een indicator")
    assert (await services.get_entry(entry.slug))["status"] == "under_assessment"

    await with_goal(editor, entry.slug)
    await services.post_update(settings, editor, entry.slug, text="Gepland.", status="planned", events=events)
    assert (await services.get_entry(entry.slug))["status"] == "planned"


async def test_the_update_form_says_why_planning_is_refused(client, editor, new_entry):
    entry = await new_entry(status="under_assessment")
    await sign_in(client, editor.email)
    page = await client.get(f"/register/{entry.slug}/update")
    form = form_on(page, action=f"/register/{entry.slug}/update")
    form.fill(text="We gaan het doen.", status="planned")
    refused = await form.submit(client)
    assert refused.status_code == 422
    assert "Leg minstens één doel met een indicator" in page_problems(refused).fields["status"]


async def test_measurements_are_recorded_and_not_in_the_future(client, editor, new_entry):
    entry = await new_entry()
    await with_goal(editor, entry.slug)
    indicator = await RegisterIndicator.objects().first()
    await sign_in(client, editor.email)
    action = f"/register/{entry.slug}/indicators/{indicator.id}/measurements"
    form = await _goals_form(client, entry.slug, action)
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    form.fill(value="101000", measured_on=tomorrow)
    refused = await form.submit(client)
    assert refused.status_code == 422
    assert f"measured_on-indicator{indicator.id}" in page_problems(refused).fields

    form = await _goals_form(client, entry.slug, action)
    form.fill(value="101000", measured_on="2026-06-30", note="Meterstanden netbeheerder.")
    page = await follow(client, await form.submit(client))
    assert "De meting is vastgelegd." in text_of(page)
    [measurement] = await RegisterMeasurement.select(
        RegisterMeasurement.value, RegisterMeasurement.measured_on, RegisterMeasurement.note
    )
    assert measurement == {"value": 101000.0, "measured_on": date(2026, 6, 30), "note": "Meterstanden netbeheerder."}
    public = await another_browser(client).get(f"/register/{entry.slug}")
    assert "101000 kWh per jaar" in text_of(public)


async def test_a_planned_entry_keeps_its_last_indicator(client, editor, new_entry):
    planned = await new_entry(title="Een gepland project met doelen", status="planned")  # with its first goal
    received = await new_entry(title="Een ontvangen project met doelen")
    await with_goal(editor, received.slug)
    await sign_in(client, editor.email)
    client.follow_redirects = False

    [kept, loose] = await RegisterIndicator.select(RegisterIndicator.id).order_by(RegisterIndicator.id)
    form = await _goals_form(client, planned.slug, f"/register/{planned.slug}/indicators/{kept['id']}/delete")
    refused = await form.submit(client)
    assert refused.status_code == 409
    [summary] = page_problems(refused).summary
    assert summary.startswith("Een gepland, lopend of afgesloten project houdt minstens één doel met een indicator")
    assert await RegisterIndicator.exists().where(RegisterIndicator.id == kept["id"])

    form = await _goals_form(client, received.slug, f"/register/{received.slug}/indicators/{loose['id']}/delete")
    assert (await form.submit(client)).status_code == 303
    assert not await RegisterIndicator.exists().where(RegisterIndicator.id == loose["id"])


async def test_two_deletes_at_once_leave_a_planned_entry_one_indicator(client, editor, new_entry):
    entry = await new_entry(status="planned")  # with its first goal
    await with_goal(editor, entry.slug, goal="Meer bewoners tevreden over de verlichting.", indicator_name="Tevreden")
    ids = await RegisterIndicator.select(RegisterIndicator.id).output(as_list=True)
    browsers = [another_browser(client) for _ in ids]
    forms = []
    for browser, indicator_id in zip(browsers, ids, strict=True):
        browser.follow_redirects = False
        await sign_in(browser, editor.email)
        action = f"/register/{entry.slug}/indicators/{indicator_id}/delete"
        forms.append(await _goals_form(browser, entry.slug, action))

    answers = await asyncio.gather(*(form.submit(b) for form, b in zip(forms, browsers, strict=True)))

    assert sorted(a.status_code for a in answers) == [303, 409]
    assert await RegisterIndicator.count().where(RegisterIndicator.entry == entry.id) == 1


async def test_goal_pages_refuse_ids_of_another_entry(editor, new_entry):
    mine = await new_entry(title="Project met een eigen doel")
    other = await new_entry(title="Project van een ander team")
    goal_id = await goals.add_goal(editor, mine.slug, {"goal": "Een doel van het eerste project.", **_INDICATOR})
    with pytest.raises(Exception) as refused:
        await goals.add_indicator(editor, other.slug, goal_id, _INDICATOR)
    assert refused.value.status_code == 404
    assert await RegisterIndicator.count() == 1


_INDICATOR = {"indicator_name": "Stroomverbruik", "unit": "MWh", "baseline": "120", "target": "84"}


async def _measure(editor, slug: str, name: str, *values: tuple[str, str]) -> None:
    indicator = await RegisterIndicator.objects().get(RegisterIndicator.name == name)
    for measured_on, value in values:
        await goals.record_measurement(editor, slug, indicator.id, {"value": value, "measured_on": measured_on})


async def test_completed_compares_measured_values_with_targets(client, settings, editor, new_entry, events):
    entry = await new_entry(**LESSONS)
    goal_id = await goals.add_goal(editor, entry.slug, {"goal": "Minder stroom voor straatverlichting.", **_INDICATOR})
    await goals.add_indicator(
        editor,
        entry.slug,
        goal_id,
        {"indicator_name": "Lantaarns op afstand", "unit": "stuks", "baseline": "10", "target": "50"},
    )
    await goals.add_indicator(
        editor,
        entry.slug,
        goal_id,
        {"indicator_name": "Klachten", "unit": "per jaar", "baseline": "30", "target": "20"},
    )
    # The last value by measurement date counts, not the last one typed in.
    await _measure(editor, entry.slug, "Stroomverbruik", ("2026-09-01", "80"), ("2026-03-01", "110"))
    await _measure(editor, entry.slug, "Lantaarns op afstand", ("2026-09-01", "40"))
    for status in ("under_assessment", "planned", "running", "completed"):
        await services.post_update(settings, editor, entry.slug, text=f"Nu: {status}.", status=status, events=events)

    page = await client.get(f"/register/{entry.slug}")
    cards = text_of(page, ".register-outcome .register-indicator-card").split(" | ")
    assert cards == [
        "Stroomverbruik Nulmeting 120 MWh Streefwaarde 84 MWh Laatst gemeten 80 MWh (2026-09-01) "
        "Resultaat Streefwaarde gehaald",
        "Lantaarns op afstand Nulmeting 10 stuks Streefwaarde 50 stuks Laatst gemeten 40 stuks (2026-09-01) "
        "Resultaat Streefwaarde niet gehaald",
        "Klachten Nulmeting 30 per jaar Streefwaarde 20 per jaar Laatst gemeten niet gemeten Resultaat Niet gemeten",
    ]

    api = (await client.get(f"/api/v1/register/{entry.slug}")).json()
    compared = {i["name"]: (i["last_value"], i["target_met"]) for i in api["goals"][0]["indicators"]}
    assert compared == {"Stroomverbruik": (80.0, True), "Lantaarns op afstand": (40.0, False), "Klachten": (None, None)}

    exported = (await client.get("/register.json")).json()["entries"]
    [row] = [r for r in exported if r["slug"] == entry.slug]
    assert [(i["indicator"], i["last_value"], i["last_measured_on"], i["target_met"]) for i in row["indicators"]] == [
        ("Stroomverbruik", 80.0, "2026-09-01", True),
        ("Lantaarns op afstand", 40.0, "2026-09-01", False),
        ("Klachten", None, None, None),
    ]


async def test_a_running_entry_shows_goals_but_no_verdict_yet(client, editor, new_entry):
    entry = await new_entry(status="running")
    await with_goal(editor, entry.slug)
    await _measure(editor, entry.slug, "Stroomverbruik straatverlichting", ("2026-05-01", "130000"))
    page = await client.get(f"/register/{entry.slug}")
    assert "Doelen en indicatoren" in text_of(page) and "130000 kWh per jaar" in text_of(page)
    assert "Streefwaarde niet gehaald" not in text_of(page), "the comparison belongs to the lessons learned"
    assert (await RegisterEntry.objects().get(RegisterEntry.id == entry.id)).status == "running"


async def test_the_lessons_page_compares_too(client, settings, editor, new_entry, events):
    entry = await new_entry(**LESSONS)
    await with_goal(editor, entry.slug)
    await _measure(editor, entry.slug, "Stroomverbruik straatverlichting", ("2026-09-01", "80000"))
    for status in ("under_assessment", "planned", "running", "completed"):
        await services.post_update(settings, editor, entry.slug, text=f"Nu: {status}.", status=status, events=events)
    page = await client.get("/register/lessons")
    assert text_of(page, ".register-outcome .register-indicator-card") == (
        "Stroomverbruik straatverlichting Nulmeting 120000 kWh per jaar Streefwaarde 84000 kWh per jaar "
        "Laatst gemeten 80000 kWh per jaar (2026-09-01) Resultaat Streefwaarde gehaald"
    )
