"""Forms as a new user meets them: what a dropdown and a required field look like, and honest labels."""

from __future__ import annotations

import re

import pytest

from participation.accounts.tables import Role
from participation.moderation import reports as moderation
from tests.helpers import make_account, post_form, sign_in
from tests.ideas.factories import make_idea, old_form_token
from tests.ui.page import Page
from tests.voting.conftest import make_supporters

pytestmark = pytest.mark.anyio


async def _stylesheets(client, path: str) -> str:
    page = Page((await client.get(path)).text)
    hrefs = [e.attrs["href"] for e in page.find_all("link", rel="stylesheet")]
    return "\n".join([(await client.get(href)).text for href in hrefs])


async def test_selects_get_the_design_system_arrow_without_an_external_request(client):
    css = await _stylesheets(client, "/ideas")
    match = re.search(r"--utrecht-select-background-image:\s*url\(\"([^\"]+)\"\)", css)
    assert match, "no stylesheet sets the select arrow token"
    assert match.group(1).startswith("data:image/svg+xml,")


async def test_required_text_areas_are_not_invalid_before_a_submit(client, settings):
    await make_account(settings, email="writer@example.org")
    await sign_in(client, "writer@example.org")
    page = Page((await client.get("/ideas/new")).text)
    summary = page.by_id("f-summary")
    # `required` would match the component's :invalid rule (red) on an empty, untouched field.
    assert "required" not in summary.attrs
    assert summary.attrs.get("aria-required") == "true"
    assert "aria-invalid" not in summary.attrs
    response = await post_form(
        client,
        "/ideas/new",
        {
            "kind": "idea",
            "title": "Een titel die lang genoeg is",
            "form_token": old_form_token(settings),
            "website": "",
        },
    )
    assert response.status_code == 422
    assert Page(response.text).by_id("f-summary").attrs.get("aria-invalid") == "true"


async def test_pilot_personal_data_details_say_when_they_are_required(client, settings):
    await make_account(settings, email="org@example.org", organisation="Slimme Palen B.V.", kvk="12345678")
    await sign_in(client, "org@example.org")
    page = Page((await client.get("/ideas/new?kind=pilot")).text)
    label = page.one("label", for_="f-pilot_personal_data_details")
    assert "(niet verplicht)" not in label.text
    assert "verplicht als je Ja hebt gekozen" in label.text


async def _reported(settings, events, people_count: int = 3):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    idea = await make_idea(author, title="Een idee dat gemeld is")
    for account, _ in await make_supporters(settings, people_count, prefix="reporter"):
        await moderation.create_report(settings, account, "idea", idea.id, "spam", events=events)
    return idea


async def test_upholding_a_report_has_no_preselected_public_reason(client, settings, events):
    idea = await _reported(settings, events)
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    await sign_in(client, "mod@example.org")
    page = Page((await client.get("/moderation/reports")).text)
    select = page.one("select", id=f"uphold-idea-{idea.id}")
    assert "required" in select.attrs
    first = page.elements[page.elements.index(select) + 1]
    assert first.tag == "option" and first.attrs.get("value") == "" and "selected" not in first.attrs
    # The server refuses the empty choice with a message, and nothing is decided.
    client.follow_redirects = False
    response = await post_form(
        client, f"/moderation/reports/idea/{idea.id}/uphold", {"category": ""}, "/moderation/reports"
    )
    assert response.status_code == 422
    assert "Kies een reden" in Page(response.text).text
