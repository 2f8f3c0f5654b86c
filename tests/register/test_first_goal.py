"""A new entry that starts as planned or running brings its first goal and indicator: the rule of
moving to planned holds for the starting status too (form, API, service)."""

from __future__ import annotations

import pytest

from participation.register import services
from participation.register.tables import RegisterEntry, RegisterGoal, RegisterIndicator
from participation.validation import FormErrors
from tests.forms import follow, open_form, page_problems
from tests.helpers import api_token, sign_in

FIELDS = {
    "title": "Slimme bankjes in het park",
    "summary": "Bankjes met zonnepaneel en een oplaadpunt.",
    "theme": "public-space",
    "scope": "narrow",
    "origin": "city",
}


async def test_the_form_refuses_a_planned_start_without_a_goal_and_stores_nothing(client, editor):
    await sign_in(client, editor.email)
    form = await open_form(client, "/register/new", action="/register/new")
    refused = await form.fill(**FIELDS, status="planned").submit(client)
    assert refused.status_code == 422
    assert "goal" in page_problems(refused).fields
    assert await RegisterEntry.count() == 0


async def test_the_form_creates_a_planned_entry_with_its_first_goal(client, editor):
    await sign_in(client, editor.email)
    form = await open_form(client, "/register/new", action="/register/new")
    form.fill(
        **FIELDS,
        status="planned",
        goal="Meer mensen rusten en laden in het park.",
        indicator_name="Gebruik van de bankjes",
        unit="gebruikers per week",
        baseline="0",
        target="150",
    )
    page = await follow(client, await form.submit(client))
    assert page.status_code == 200
    entry = await RegisterEntry.objects().first()
    assert entry.status == "planned"
    goal = await RegisterGoal.objects().where(RegisterGoal.entry == entry.id).first()
    assert goal.text == "Meer mensen rusten en laden in het park."
    indicator = await RegisterIndicator.objects().where(RegisterIndicator.goal == goal.id).first()
    assert (indicator.name, indicator.unit, indicator.baseline, indicator.target) == (
        "Gebruik van de bankjes",
        "gebruikers per week",
        0,
        150,
    )


async def test_a_received_start_needs_no_goal(settings, editor):
    entry = await services.create_entry(settings, editor, {**FIELDS, "status": "received"})
    assert entry.status == "received" and await RegisterGoal.count() == 0


@pytest.mark.parametrize("status", ["planned", "running"])
async def test_the_service_refuses_a_planned_or_running_start_without_a_goal(settings, editor, status):
    with pytest.raises(FormErrors) as refused:
        await services.create_entry(settings, editor, {**FIELDS, "status": status, "personal_data": "no"})
    assert "goal" in refused.value.errors
    assert await RegisterEntry.count() == 0


async def test_the_api_takes_the_first_goal_and_refuses_without_it(client, editor):
    headers = await api_token(client, editor.email)
    body = {**FIELDS, "status": "planned"}
    refused = await client.post("/api/v1/register", json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    first_goal = {
        "goal": "Meer mensen rusten in het park.",
        "indicator": "Gebruik",
        "unit": "per week",
        "baseline": 0,
        "target": 150,
    }
    created = await client.post("/api/v1/register", json={**body, "first_goal": first_goal}, headers=headers)
    assert created.status_code == 201, created.text
    detail = (await client.get(f"/api/v1/register/{created.json()['slug']}")).json()
    [goal] = detail["goals"]
    assert goal["text"] == "Meer mensen rusten in het park." and goal["indicators"][0]["target"] == 150
