"""Search as Dutch is written: accents folded, words found inside compounds, on both engines."""

from __future__ import annotations

import pytest

from ideas.search import IdeaFilters, list_ideas
from tests.helpers import make_account
from tests.ideas.factories import make_idea
from tests.ui.page import Page

pytestmark = pytest.mark.anyio


@pytest.fixture
async def ideas(settings):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    return {
        "cafe": await make_idea(author, title="Taalcafé met vertaalhulp in De Leyens"),
        "creche": await make_idea(author, title="Een CRÈCHE met zonnepanelen op het dak"),
        "bikes": await make_idea(author, title="Slimme fietsenstallingen bij het station"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("café", {"cafe"}),
        ("cafe", {"cafe"}),
        ("CAFÉ", {"cafe"}),
        ("taalcafe", {"cafe"}),
        ("creche", {"creche"}),
        ("crèche zonnepanelen", {"creche"}),
        ("fietsenstalling", {"bikes"}),
        ("stalling", {"bikes"}),
        ("café station", set()),
    ],
)
async def test_accents_folded_and_words_inside_compounds(ideas, query, expected):
    page = await list_ideas(IdeaFilters(q=query, sort="relevance"))
    assert {name for name, idea in ideas.items() if idea.id in {i.id for i in page.items}} == expected
    assert page.total == len(expected)


async def test_an_edit_is_found_by_its_new_words(ideas):
    idea = ideas["bikes"]
    idea.title = "Overdekte fietsparkeerplaats bij het café"
    await idea.save()
    found = await list_ideas(IdeaFilters(q="cafe"))
    assert {i.id for i in found.items} == {ideas["cafe"].id, idea.id}
    assert not (await list_ideas(IdeaFilters(q="stalling"))).items


async def test_the_idea_list_finds_taalcafe_for_cafe(client, ideas):
    page = Page((await client.get("/ideas?q=caf%C3%A9")).text)
    assert "Taalcafé met vertaalhulp in De Leyens" in page.text
