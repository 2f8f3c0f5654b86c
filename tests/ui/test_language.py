"""What people wrote is Dutch: on an English page a screen reader must read it as Dutch."""

from __future__ import annotations

import pytest

from tests.helpers import make_account
from tests.ideas.factories import make_comment, make_idea
from tests.register.conftest import editor, entry_fields  # noqa: F401  (fixture)
from tests.ui.page import Page

pytestmark = pytest.mark.anyio


async def test_idea_content_is_dutch_on_an_english_page(client, settings):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    idea = await make_idea(
        author,
        title="Taalcafé met vertaalhulp",
        summary="Elke week samen oefenen met de taal.",
        body="Op **woensdag**.",
    )
    await make_comment(idea, author, body="Wat een mooi plan voor de wijk.")
    page = Page((await client.get(f"/ideas/{idea.id}?lang=en")).text)
    assert page.one("html").attrs["lang"] == "en"
    for text in ("Taalcafé met vertaalhulp", "Elke week samen oefenen", "woensdag", "Wat een mooi plan"):
        assert page.lang_of(text) == "nl", text
    assert page.lang_of("Submitted by") == "en"
    listing = Page((await client.get("/ideas?lang=en")).text)
    assert listing.lang_of("Taalcafé met vertaalhulp") == "nl"
    assert listing.lang_of("Elke week samen oefenen") == "nl"


async def test_no_extra_lang_on_a_dutch_page(client, settings):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    idea = await make_idea(author, title="Taalcafé met vertaalhulp")
    html = (await client.get(f"/ideas/{idea.id}")).text
    assert html.count('lang="nl"') == 1, "only <html> says it"


async def test_register_content_is_dutch_on_an_english_page(client, settings, editor):  # noqa: F811
    from participation.register import services

    entry = await services.create_entry(
        settings, editor, entry_fields(title="Slimme lantaarnpalen in de wijk", data_description="Alleen aantallen.")
    )
    page = Page((await client.get(f"/register/{entry.slug}?lang=en")).text)
    assert page.lang_of("Slimme lantaarnpalen in de wijk") == "nl"
    assert page.lang_of("Lantaarnpalen die dimmen") == "nl"
    assert page.lang_of("Alleen aantallen.") == "nl"
    assert page.lang_of("About this project") == "en"
    index = Page((await client.get("/register?lang=en")).text)
    assert index.lang_of("Slimme lantaarnpalen in de wijk") == "nl"
