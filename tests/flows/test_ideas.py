"""Idea flows through the rendered forms: submit (idea, pilot, the similar-ideas step), edit, withdraw."""

from __future__ import annotations

from ideas.tables import Idea
from tests.accounts.tools import dutch
from tests.forms import follow, form_on, open_form, text_of
from tests.helpers import make_account
from tests.ideas.factories import make_idea

IDEA = {
    "title": "Slimme fietsenstalling bij het station",
    "summary": "Een fietsenstalling die laat zien hoeveel plekken er vrij zijn.",
    "body": "Met **sensoren** per plek\nen een bord bij de ingang.",
    "theme": "mobility",
    "neighbourhood": "centrum",
    "scope": "narrow",
}


async def test_resident_submits_an_idea(people, browser, clock):
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA, location="Stationsplein")
    clock.advance(60)  # reading and typing
    page = await follow(author, await form.submit(author))

    idea = await Idea.objects().get(Idea.title == IDEA["title"])
    assert str(page.url).endswith(f"/ideas/{idea.id}")
    assert (idea.status, idea.kind, idea.author) == ("submitted", "idea", people["author"].id)
    assert (idea.summary, idea.theme, idea.neighbourhood, idea.scope) == (
        IDEA["summary"],
        "mobility",
        "centrum",
        "narrow",
    )
    assert idea.body == IDEA["body"]  # the browser sends CRLF line breaks; stored as typed
    assert idea.location == "Stationsplein"
    assert IDEA["title"] in text_of(page, "h1")


async def test_a_form_posted_faster_than_a_person_types_is_refused(people, browser):
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    response = await form.fill(IDEA).submit(author)
    assert response.status_code == 400
    assert await Idea.count() == 0
    # The page offers the form again, with a fresh token and what was typed.
    assert dict(form_on(response, action="/ideas/new").data())["title"] == IDEA["title"]


async def test_organisation_proposes_a_pilot(settings, browser, clock):
    org = await make_account(
        settings, email="sam@lichtlab.example", name="Sam", organisation="LichtLab", kvk="12345678"
    )
    browser_ = await browser(org.email)
    form = await open_form(browser_, "/ideas/new?kind=pilot", action="/ideas/new")
    form.fill(
        title="Pilot slimme lantaarnpalen in Oosterheem",
        summary="Lantaarnpalen die dimmen als er niemand op straat is.",
        theme="energy",
        neighbourhood="oosterheem",
        scope="narrow",
        pilot_what="Lantaarnpalen met een bewegingssensor die het licht dimmen.",
        pilot_where="Drie straten in Oosterheem",
        pilot_duration_weeks="26",
        pilot_asks=["space", "permits"],
        pilot_personal_data="yes",
        pilot_personal_data_details="Alleen beweging, geen beelden.",
        pilot_partners="Netbeheerder",
    )
    clock.advance(120)
    page = await follow(browser_, await form.submit(browser_))

    idea = await Idea.objects().get(Idea.kind == "pilot")
    assert str(page.url).endswith(f"/ideas/{idea.id}")
    assert (idea.author, idea.status, idea.pilot_duration_weeks) == (org.id, "submitted", 26)
    assert set(idea.pilot_asks.split(",")) == {"space", "permits"}
    assert idea.pilot_personal_data is True
    assert idea.pilot_personal_data_details == "Alleen beweging, geen beelden."
    assert idea.pilot_where == "Drie straten in Oosterheem"
    assert "Drie straten in Oosterheem" in text_of(page)


async def test_similar_ideas_step_then_submit_anyway(people, browser, clock):
    await make_idea(people["member"], status="published", title="Fietsenstalling met vrije plekken bij het station")
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA)
    clock.advance(60)
    confirm = await form.submit(author)
    assert confirm.status_code == 200
    assert "Fietsenstalling met vrije plekken bij het station" in text_of(confirm)
    assert await Idea.count() == 1  # nothing submitted yet

    clock.advance(10)
    go_on = form_on(confirm, action="/ideas/new", button=dutch("My idea is different: submit it"))
    page = await follow(author, await go_on.submit(author))
    idea = await Idea.objects().get(Idea.author == people["author"].id)
    assert str(page.url).endswith(f"/ideas/{idea.id}")
    assert (idea.title, idea.summary, idea.theme, idea.scope) == (IDEA["title"], IDEA["summary"], "mobility", "narrow")
    assert idea.body == IDEA["body"]  # carried through the confirmation page's hidden field


async def test_similar_ideas_step_change_the_idea_first(people, browser, clock):
    await make_idea(people["member"], status="published", title="Fietsenstalling met vrije plekken bij het station")
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA)
    clock.advance(60)
    confirm = await form.submit(author)

    change = form_on(confirm, action="/ideas/new", button=dutch("Change my idea"))
    again = await change.submit(author)
    assert again.status_code == 200
    form = form_on(again, action="/ideas/new")
    assert dict(form.data())["summary"] == IDEA["summary"]  # what was typed comes back
    form.fill(title="Fietsenstalling met een teller op het Stadhuisplein")
    clock.advance(30)
    confirm = await form.submit(author)
    # A new title can look like the other idea too: the person confirms it differs.
    if not confirm.is_redirect:
        confirm = await form_on(confirm, action="/ideas/new", button=dutch("My idea is different: submit it")).submit(
            author
        )
    await follow(author, confirm)
    idea = await Idea.objects().get(Idea.author == people["author"].id)
    assert idea.title == "Fietsenstalling met een teller op het Stadhuisplein"


async def test_author_edits_an_idea_after_a_change_request(people, browser):
    idea = await make_idea(people["author"], status="needs_changes", moderator_message="Noem de plek.")
    author = await browser("author@example.org")
    detail = await author.get(f"/ideas/{idea.id}")
    assert f"/ideas/{idea.id}/edit" in detail.text  # the page offers the edit link
    form = await open_form(author, f"/ideas/{idea.id}/edit", action=f"/ideas/{idea.id}/edit")
    form.fill(title="Slimme bankjes op het Stadhuisplein", location="Stadhuisplein")
    page = await follow(author, await form.submit(author))

    idea = await Idea.objects().get(Idea.id == idea.id)
    assert (idea.title, idea.location, idea.status) == (
        "Slimme bankjes op het Stadhuisplein",
        "Stadhuisplein",
        "submitted",
    )
    assert idea.summary.startswith("Samenvatting van idee")  # untouched fields keep their value
    assert "Slimme bankjes op het Stadhuisplein" in text_of(page, "h1")


async def test_saving_the_edit_form_unchanged_keeps_every_value(settings, browser):
    org = await make_account(settings, email="org@example.org", name="Org", organisation="Org", kvk="87654321")
    idea = await make_idea(
        org,
        status="needs_changes",
        kind="pilot",
        body="Eerste alinea.\n\nTweede alinea.",
        location="Dorpsstraat",
        pilot_what="Sensoren die de luchtkwaliteit meten in de wijk.",
        pilot_where="Dorp",
        pilot_duration_weeks=12,
        pilot_asks="data,permits",
        pilot_ask_details="Toegang tot lantaarnpalen.",
        pilot_personal_data=True,
        pilot_personal_data_details="Geen, alleen fijnstof.",
        pilot_partners="TNO",
    )
    before = (await Idea.objects().get(Idea.id == idea.id)).to_dict()
    browser_ = await browser(org.email)
    form = await open_form(browser_, f"/ideas/{idea.id}/edit", action=f"/ideas/{idea.id}/edit")
    await follow(browser_, await form.submit(browser_))
    after = (await Idea.objects().get(Idea.id == idea.id)).to_dict()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed.pop("status") == ("needs_changes", "submitted")  # back to the moderator
    changed.pop("updated_at", None)
    assert changed == {}


async def test_author_edits_a_pilot_and_keeps_its_answers(settings, browser):
    org = await make_account(settings, email="org@example.org", name="Org", organisation="Org", kvk="87654321")
    idea = await make_idea(
        org,
        status="submitted",
        kind="pilot",
        pilot_what="Sensoren die de luchtkwaliteit meten in de wijk.",
        pilot_where="Dorp",
        pilot_duration_weeks=12,
        pilot_asks="data,permits",
        pilot_personal_data=False,
    )
    browser_ = await browser(org.email)
    form = await open_form(browser_, f"/ideas/{idea.id}/edit", action=f"/ideas/{idea.id}/edit")
    form.fill(pilot_duration_weeks="20")
    await follow(browser_, await form.submit(browser_))
    idea = await Idea.objects().get(Idea.id == idea.id)
    assert idea.pilot_duration_weeks == 20
    assert set(idea.pilot_asks.split(",")) == {"data", "permits"}
    assert idea.pilot_personal_data is False


async def test_author_withdraws_an_idea(people, browser, published):
    author = await browser("author@example.org")
    detail = await author.get(f"/ideas/{published.id}")
    assert f"/ideas/{published.id}/withdraw" in detail.text
    form = await open_form(author, f"/ideas/{published.id}/withdraw", action=f"/ideas/{published.id}/withdraw")
    form.fill(reason="not_feasible")
    page = await follow(author, await form.submit(author))

    idea = await Idea.objects().get(Idea.id == published.id)
    assert (idea.status, idea.withdraw_reason) == ("withdrawn", "not_feasible")
    assert str(page.url).endswith(f"/ideas/{published.id}")


async def test_withdraw_without_a_reason_says_so(people, browser, published):
    author = await browser("author@example.org")
    form = await open_form(author, f"/ideas/{published.id}/withdraw", action=f"/ideas/{published.id}/withdraw")
    response = await form.submit(author)
    assert response.status_code == 422
    assert (await Idea.objects().get(Idea.id == published.id)).status == "published"
