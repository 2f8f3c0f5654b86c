"""Supporting an idea with the button on its page (the plain form, as without JavaScript)."""

from __future__ import annotations

from ideas.tables import Idea
from participation.register.tables import RegisterEntry
from tests.forms import follow, form_on, forms_on, open_form
from tests.ideas.factories import make_idea
from voting.tables import Support


async def test_member_supports_and_withdraws_support(people, browser, published):
    member = await browser("member@example.org")
    form = await open_form(member, f"/ideas/{published.id}", action=f"/ideas/{published.id}/support")
    page = await follow(member, await form.submit(member))
    assert await Support.exists().where((Support.account == people["member"].id) & (Support.idea == published.id))
    assert (await Idea.objects().get(Idea.id == published.id)).support_count == 1

    withdraw = form_on(page, action=f"/ideas/{published.id}/support/withdraw")
    page = await follow(member, await withdraw.submit(member))
    assert not await Support.exists().where(Support.idea == published.id)
    assert (await Idea.objects().get(Idea.id == published.id)).support_count == 0
    form_on(page, action=f"/ideas/{published.id}/support")  # offered again


async def test_the_support_that_reaches_the_threshold_routes_the_idea(people, browser):
    idea = await make_idea(people["author"], status="published", title="Slimme bankjes", threshold_override=1)
    member = await browser("member@example.org")
    form = await open_form(member, f"/ideas/{idea.id}", action=f"/ideas/{idea.id}/support")
    page = await follow(member, await form.submit(member))

    assert (await Idea.objects().get(Idea.id == idea.id)).status == "routed"
    entry = await RegisterEntry.objects().get(RegisterEntry.idea_id == idea.id)
    assert entry.status == "received"
    assert f"/register/{entry.slug}" in page.text


async def test_the_author_is_offered_no_support_button(people, browser, published):
    author = await browser("author@example.org")
    page = await author.get(f"/ideas/{published.id}")
    assert not [f for f in forms_on(page) if f.action.endswith(f"/ideas/{published.id}/support")]
