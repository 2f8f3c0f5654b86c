"""Search and filter forms (GET) send parameters their pages read: a filter chosen narrows the list."""

from __future__ import annotations

from participation.moderation.tables import ModerationDecision
from participation.register import services as register
from tests.forms import open_form, text_of
from tests.ideas.factories import make_idea


async def test_idea_list_filters_and_search(people, browser):
    await make_idea(people["author"], status="published", title="Slimme lantaarnpalen in Dorp", theme="energy")
    await make_idea(people["author"], status="published", title="Deelscooters bij het station", theme="mobility")
    visitor = await browser()

    form = await open_form(visitor, "/ideas", action="/ideas", method="get")
    form.fill(theme="energy")
    page = await form.submit(visitor)
    assert page.status_code == 200
    assert "Slimme lantaarnpalen in Dorp" in text_of(page) and "Deelscooters" not in text_of(page)

    form = await open_form(visitor, "/ideas", action="/ideas", method="get")
    form.fill(q="deelscooters")
    page = await form.submit(visitor)
    assert "Deelscooters bij het station" in text_of(page) and "lantaarnpalen" not in text_of(page)


async def test_register_filters(settings, people, browser):
    for title, theme in (("Slimme lantaarnpalen in de wijk", "energy"), ("Parkeersensoren in het centrum", "mobility")):
        await register.create_entry(
            settings,
            people["editor"],
            {"title": title, "summary": "Een samenvatting.", "theme": theme, "scope": "narrow", "origin": "city"},
        )
    visitor = await browser()
    form = await open_form(visitor, "/register", action="/register", method="get")
    form.fill(theme="mobility")
    page = await form.submit(visitor)
    assert page.status_code == 200
    assert "Parkeersensoren in het centrum" in text_of(page) and "lantaarnpalen" not in text_of(page)


async def test_moderation_queue_filter(people, browser):
    await make_idea(people["author"], status="submitted", title="Slimme bankjes in het Stadshart", theme="public-space")
    await make_idea(people["author"], status="submitted", title="Laadpalen bij de bibliotheek", theme="energy")
    moderator = await browser("mod@example.org")
    form = await open_form(moderator, "/moderation/", method="get", selector="form.moderation-filters")
    form.fill(theme="energy")
    page = await form.submit(moderator)  # action "/moderation": Litestar matches "/moderation/" too
    assert page.status_code == 200
    assert "Laadpalen bij de bibliotheek" in text_of(page) and "Slimme bankjes" not in text_of(page)


async def test_moderation_log_filter(people, browser):
    for action, target_type, reason in (
        ("publish", "idea", "Over een idee"),
        ("suspend", "account", "Over een account"),
    ):
        await ModerationDecision(
            actor=people["moderator"].id, action=action, target_type=target_type, target_id=7, reason=reason
        ).save()
    moderator = await browser("mod@example.org")
    form = await open_form(moderator, "/moderation/log", action="/moderation/log", method="get")
    form.fill(target_type="account")
    page = await form.submit(moderator)
    assert page.status_code == 200
    rows = text_of(page, "tbody tr")
    assert "Over een account" in rows and "Over een idee" not in rows


async def test_moderation_account_search(people, browser):
    moderator = await browser("mod@example.org")
    form = await open_form(moderator, "/moderation/accounts", action="/moderation/accounts", method="get")
    form.fill(q="member@example.org")
    page = await form.submit(moderator)
    assert page.status_code == 200
    assert f"/moderation/accounts/{people['member'].id}" in page.text
    assert f"/moderation/accounts/{people['author'].id}" not in page.text
