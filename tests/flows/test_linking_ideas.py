"""An editor links further ideas to an existing register entry through the forms on the entry's link page
(several ideas, one project): the idea routes into the entry (method `linked`, once), its page shows the
banner, and the entry lists every idea it came from. Members are refused; an idea that cannot be linked too."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.register import services
from participation.register.tables import RegisterEntry
from tests.forms import expect_status, follow, form_on, open_form, text_of
from tests.helpers import csrf_from
from tests.ideas.factories import make_idea
from voting.tables import Routing


@pytest.fixture
async def editor(people, browser):
    return await browser("editor@example.org")


@pytest.fixture
async def entry(settings, people) -> RegisterEntry:
    return await services.create_entry(
        settings,
        people["editor"],
        {
            "title": "Slimme verlichting in de hele stad",
            "summary": "Lantaarnpalen die dimmen als het stil is.",
            "theme": "energy",
            "scope": "narrow",
            "origin": "city",
        },
    )


async def status_of(idea: Idea) -> str:
    return (await Idea.objects().where(Idea.id == idea.id).first()).status


async def test_editor_links_an_idea_by_its_number(editor, entry, people):
    idea = await make_idea(people["author"], title="Lantaarnpalen die dimmen in Rokkeveen")
    entry_page = await editor.get(f"/register/{entry.slug}?lang=en")
    assert f'href="/register/{entry.slug}/ideas"' in entry_page.text
    form = await open_form(editor, f"/register/{entry.slug}/ideas?lang=en", selector="#link-by-number")
    form.fill(idea_id=str(idea.id))
    page = await follow(editor, await form.submit(editor))
    assert f"Idea {idea.id} is now linked to this entry." in page.text
    assert await status_of(idea) == "routed"
    routing = await Routing.objects().where(Routing.idea == idea.id).first()
    assert (routing.method, routing.register_entry_id, routing.moderator) == ("linked", entry.id, people["editor"].id)
    # The entry lists its source idea; the idea's page shows the banner with the entry.
    sources = text_of(page, ".register-sources")
    assert "Lantaarnpalen die dimmen in Rokkeveen" in sources and "linked by the municipality" in sources
    assert f'href="/ideas/{idea.id}"' in page.text
    idea_page = await editor.get(f"/ideas/{idea.id}?lang=en")
    banner = text_of(idea_page, ".routed-banner")
    assert "linked this idea to a project" in banner and entry.title in banner
    assert f'action="/ideas/{idea.id}/support"' not in idea_page.text


async def test_editor_finds_an_idea_by_search_and_links_a_second_one(editor, entry, people):
    first = await make_idea(people["author"], title="Lantaarnpalen die dimmen in Rokkeveen")
    second = await make_idea(people["author"], title="Bewegingssensoren op lantaarnpalen in Dorp")
    await make_idea(people["author"], status="submitted", title="Lantaarnpalen nog in beoordeling")
    form = await open_form(editor, f"/register/{entry.slug}/ideas", selector="#link-by-number")
    form.fill(idea_id=str(first.id))
    await follow(editor, await form.submit(editor))
    search = await open_form(editor, f"/register/{entry.slug}/ideas", selector="#link-search")
    search.fill(q="lantaarnpalen")
    results = expect_status(await search.submit(editor), 200)
    found = text_of(results, ".link-results")
    assert "Bewegingssensoren op lantaarnpalen in Dorp" in found
    assert "nog in beoordeling" not in found  # not published
    assert "Rokkeveen" not in found  # already linked (routed)
    link = form_on(results, selector=f"#link-{second.id}")
    page = await follow(editor, await link.submit(editor))
    sources = text_of(page, ".register-sources")
    assert "Rokkeveen" in sources and "Bewegingssensoren" in sources
    assert await Routing.count().where(Routing.register_entry_id == entry.id) == 2
    assert await status_of(second) == "routed"


async def test_the_entry_lists_the_idea_it_was_routed_from(client, settings, people, events):
    from voting.services import support_idea

    idea = await make_idea(people["author"], title="Doorgestuurd idee over slimme bankjes", threshold_override=1)
    outcome = await support_idea(settings, people["member"], idea.id, events=events)
    page = await client.get(f"/register/{outcome.routed_entry_slug}?lang=en")
    sources = text_of(page, ".register-sources")
    assert "The idea this project came from" in sources
    assert "Doorgestuurd idee over slimme bankjes" in sources and "linked" not in sources
    assert f'href="/ideas/{idea.id}"' in page.text
    assert "Link a further idea" not in page.text  # members and visitors cannot link


async def test_a_member_is_refused_with_403(people, browser, entry):
    idea = await make_idea(people["author"], title="Een idee dat een lid wil koppelen")
    member = await browser("member@example.org")
    assert (await member.get(f"/register/{entry.slug}/ideas")).status_code == 403
    # The editor's form, sent from the member's session (with the member's own CSRF token), is refused too.
    token = csrf_from((await member.get("/account/password")).text)
    body = {"idea_id": str(idea.id), "_csrf_token": token}
    response = await member.post(f"/register/{entry.slug}/ideas", data=body)
    assert response.status_code == 403
    assert await status_of(idea) == "published"
    assert await Routing.count() == 0


@pytest.mark.parametrize("status", ["expired", "routed"])
async def test_an_idea_that_cannot_be_linked_is_refused(editor, entry, people, status):
    idea = await make_idea(people["author"], status=status, title=f"Idee met status {status} hier")
    form = await open_form(editor, f"/register/{entry.slug}/ideas?lang=en", selector="#link-by-number")
    form.fill(idea_id=str(idea.id))
    response = expect_status(await form.submit(editor), 409)
    assert "already in the project register" in response.text or "Only a published idea can be linked" in response.text
    assert await status_of(idea) == status
    assert await Routing.count() == 0


@pytest.mark.parametrize("status", ["submitted", "needs_changes", "rejected", "hidden"])
async def test_an_idea_the_editor_may_not_see_is_answered_as_unknown(editor, entry, people, status):
    idea = await make_idea(people["author"], status=status, title=f"Niet openbaar idee {status}")
    form = await open_form(editor, f"/register/{entry.slug}/ideas?lang=en", selector="#link-by-number")
    form.fill(idea_id=str(idea.id))
    response = expect_status(await form.submit(editor), 422)
    assert "There is no idea with this number" in response.text
    assert "Niet openbaar idee" not in response.text
    assert await status_of(idea) == status
    assert await Routing.count() == 0


@pytest.mark.parametrize("value", ["", "abc", "999999"])
async def test_an_unknown_or_malformed_number_is_a_form_error(editor, entry, value):
    form = await open_form(editor, f"/register/{entry.slug}/ideas?lang=en", selector="#link-by-number")
    form.fill(idea_id=value)
    response = expect_status(await form.submit(editor), 422)
    assert "Please correct the following" in response.text
    assert await Routing.count() == 0
