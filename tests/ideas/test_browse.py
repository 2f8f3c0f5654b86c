"""Browsing: filters, sorts, search (ranked, Dutch words), paging, bounded queries."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from ideas import services
from ideas.search import IdeaFilters, dutch_prefix, filters_from_params, list_ideas
from ideas.tables import Idea
from participation.database import current_engine
from tests.helpers import make_account
from tests.ideas.factories import make_idea


@pytest.fixture
async def author(settings):
    return await make_account(settings, email="author@example.org")


async def _titles(**filters) -> list[str]:
    return [i.title for i in (await list_ideas(IdeaFilters(**filters))).items]


@pytest.mark.parametrize(
    ("field", "wanted", "other"),
    [
        ("theme", "energy", "mobility"),
        ("neighbourhood", "oosterheem", "whole-city"),
        ("kind", "pilot", "idea"),
        ("scope", "broad", "narrow"),
        ("status", "routed", "published"),
    ],
)
async def test_each_filter(author, field, wanted, other):
    await make_idea(author, title="Het gezochte idee hier", **{field: wanted})
    await make_idea(author, title="Een ander idee daar", **{field: other})
    assert await _titles(**{field: wanted}) == ["Het gezochte idee hier"]


async def test_only_public_statuses_are_listed(author):
    for status in (
        "submitted",
        "needs_changes",
        "published",
        "routed",
        "expired",
        "hidden",
        "rejected",
        "merged",
        "withdrawn",
    ):
        await make_idea(author, status=status, title=f"Idee met status {status}")
    assert sorted(await _titles()) == sorted(f"Idee met status {s}" for s in ("published", "routed", "expired"))


async def test_sorts(author):
    now = datetime.now(UTC)
    a = await make_idea(
        author, title="Idee A nieuwste", published_at=now - timedelta(hours=1), support_count=1, trending_score=0.5
    )
    b = await make_idea(
        author, title="Idee B meest steun", published_at=now - timedelta(days=10), support_count=50, trending_score=0.1
    )
    c = await make_idea(
        author, title="Idee C trending", published_at=now - timedelta(days=5), support_count=5, trending_score=3.0
    )
    await Idea.update({Idea.support_closes_at: now + timedelta(days=2)}).where(Idea.id == b.id)
    await Idea.update({Idea.support_closes_at: now + timedelta(days=30)}).where(Idea.id == c.id)
    await Idea.update({Idea.support_closes_at: now + timedelta(days=60)}).where(Idea.id == a.id)
    assert await _titles(sort="trending") == [c.title, a.title, b.title]
    assert await _titles(sort="supports") == [b.title, c.title, a.title]
    assert await _titles(sort="newest") == [a.title, c.title, b.title]
    assert await _titles(sort="closing") == [b.title, c.title, a.title]


async def test_pagination_bounds(client, settings, author):
    for i in range(45):
        await make_idea(author, title=f"Idee voor pagina nummer {i:02d}")
    first = await list_ideas(IdeaFilters(page=1))
    last = await list_ideas(IdeaFilters(page=3))
    beyond = await list_ideas(IdeaFilters(page=4))
    assert (len(first.items), len(last.items), len(beyond.items)) == (20, 5, 0)
    assert first.total == 45 and first.pages == 3 and not first.has_previous and first.has_next
    assert last.has_previous and not last.has_next
    ids = {i.id for p in (1, 2, 3) for i in (await list_ideas(IdeaFilters(page=p))).items}
    assert len(ids) == 45
    page = await client.get("/ideas", params={"page": "3"})
    assert page.status_code == 200 and 'rel="prev"' in page.text and 'rel="next"' not in page.text
    # Nonsense page numbers fall back to the first page.
    assert filters_from_params(settings.city, {"page": "-3", "sort": "nonsense"}) == IdeaFilters(
        page=1, sort="trending"
    )
    api = (await client.get("/api/v1/ideas", params={"per_page": "100"})).json()
    assert len(api["items"]) == 45 and api["per_page"] == 100
    assert (await client.get("/api/v1/ideas", params={"per_page": "101"})).status_code == 400
    assert (await client.get("/api/v1/ideas", params={"page": "0"})).status_code == 400


async def test_filters_live_in_the_query_string(client, author):
    await make_idea(author, title="Zonnepanelen op sporthallen", theme="energy")
    response = await client.get("/ideas", params={"theme": "energy", "sort": "newest", "q": "zonnepanelen"})
    assert response.status_code == 200
    assert "Zonnepanelen op sporthallen" in response.text
    assert '<option value="energy" selected>' in response.text
    assert '<option value="newest" selected>' in response.text


async def test_search_ranks_exact_title_first(author):
    await make_idea(
        author,
        title="Meer groen en een fietsenstalling bij het station",
        summary="Fietsenstalling fietsenstalling fietsenstalling, overal fietsenstallingen.",
    )
    await make_idea(author, title="Fietsenstalling", summary="Een korte titel, maar precies wat je zoekt.")
    await make_idea(author, title="Bankjes in het park", summary="Niets met fietsen te maken hier.")
    titles = await _titles(q="Fietsenstalling", sort="relevance")
    assert titles[0] == "Fietsenstalling"
    assert "Bankjes in het park" not in titles
    assert len(titles) == 2


async def test_search_finds_dutch_word_forms(author):
    await make_idea(
        author, title="Slimme lantaarnpalen in de wijk", summary="Verlichting die dimt als het stil is op straat."
    )
    await make_idea(
        author, title="Nieuwe fietsenstallingen bij scholen", summary="Veilig je fiets kwijt bij elke school."
    )
    await make_idea(author, title="Bomen langs de Dorpsstraat", summary="Meer schaduw in de zomer voor iedereen.")
    assert await _titles(q="lantaarnpaal") == ["Slimme lantaarnpalen in de wijk"]
    assert await _titles(q="lantaarnpalen") == ["Slimme lantaarnpalen in de wijk"]
    assert await _titles(q="fietsenstalling") == ["Nieuwe fietsenstallingen bij scholen"]
    assert await _titles(q="verlichting") == ["Slimme lantaarnpalen in de wijk"]
    assert await _titles(q="zzzonbekendwoord") == []


async def test_search_covers_description_and_follows_edits(settings, author, events):
    idea = await make_idea(
        author,
        status="submitted",
        title="Een titel zonder het woord",
        body="In de beschrijving staat waterberging centraal.",
    )
    await services.publish(settings, idea.id, events=events)
    assert await _titles(q="waterberging") == ["Een titel zonder het woord"]
    await Idea.update({Idea.body: "Nu over iets anders."}).where(Idea.id == idea.id)
    assert await _titles(q="waterberging") == []


async def test_search_with_only_punctuation_finds_nothing(author):
    await make_idea(author)
    page = await list_ideas(IdeaFilters(q="!!! ???"))
    assert page.items == [] and page.total == 0


def test_dutch_prefix():
    assert dutch_prefix("lantaarnpalen") == dutch_prefix("lantaarnpaal")
    assert "fietsenstallingen".startswith(dutch_prefix("fietsenstalling"))
    assert dutch_prefix("boom") == "boom"


class QueryCounter:
    def __init__(self, monkeypatch):
        self.count = 0
        engine = current_engine()
        original = type(engine).run_querystring

        async def counting(engine_self, querystring, *args, **kwargs):
            self.count += 1
            return await original(engine_self, querystring, *args, **kwargs)

        monkeypatch.setattr(type(engine), "run_querystring", counting)


async def _insert_ideas(author, n: int, start: int = 0) -> None:
    now = datetime.now(UTC)
    rows = [
        Idea(
            author=author.id,
            kind="idea",
            title=f"Bulk idee nummer {start + i}",
            summary="Een samenvatting voor de test.",
            body="",
            theme="mobility",
            neighbourhood="centrum",
            scope="narrow",
            status="published",
            published_at=now - timedelta(minutes=i),
            support_closes_at=now + timedelta(days=90),
            trending_score=float(i),
        )
        for i in range(n)
    ]
    for chunk in range(0, n, 100):
        await Idea.insert(*rows[chunk : chunk + 100])


@pytest.mark.parametrize("params", [{}, {"q": "bulk idee"}, {"theme": "mobility", "sort": "closing"}])
async def test_list_page_query_count_does_not_grow(client, author, monkeypatch, params):
    await _insert_ideas(author, 10)
    counter = QueryCounter(monkeypatch)
    assert (await client.get("/ideas", params=params)).status_code == 200
    at_10 = counter.count
    await _insert_ideas(author, 490, start=10)
    counter.count = 0
    response = await client.get("/ideas", params=params)
    assert response.status_code == 200
    assert response.text.count('class="idea-card"') == 20
    assert counter.count == at_10
    assert at_10 <= 5
    counter.count = 0
    assert (await client.get("/api/v1/ideas", params=params)).status_code == 200
    assert counter.count <= 5


async def test_past_the_count_cap_the_list_says_more_than_and_still_pages_through_everything(
    author, client, monkeypatch
):
    """At city scale counting every match is a scan: the count stops at the cap, the paging still works."""
    from ideas import search

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for n in range(5):
        await make_idea(author, title=f"Bankje in het park nummer {n}")
    seen, path = [], "/ideas?per_page=2"
    while path:
        page = await client.get(path)
        assert page.status_code == 200
        assert "Meer dan 3 ideeën gevonden" in page.text and " van " not in page.text.split("Pagina", 1)[-1][:20]
        seen += [n for n in range(5) if f"Bankje in het park nummer {n}<" in page.text]
        found = re.search(r'rel="next" href="([^"]+)"', page.text)
        path = html.unescape(found.group(1)) if found else None
    assert sorted(seen) == [0, 1, 2, 3, 4]
    api = (await client.get("/api/v1/ideas?per_page=2")).json()
    assert (api["total"], api["total_exact"], api["has_next"]) == (3, False, True)
    last = (await client.get("/api/v1/ideas?per_page=2&page=3")).json()
    assert (len(last["items"]), last["has_next"]) == (1, False)


async def test_a_common_word_ranks_only_the_newest_matches_but_an_exact_title_always_first(author, monkeypatch):
    from ideas import search

    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 2)
    exact = await make_idea(author, title="Sensor", published_at=datetime.now(UTC) - timedelta(days=30))
    for n in range(4):
        await make_idea(author, title=f"Een sensor bij de brug nummer {n}")
    page = await list_ideas(IdeaFilters(q="sensor", sort="relevance"))
    assert page.items[0].id == exact.id
    assert len(page.items) == 3, "the exact title and the two newest matches are ranked"
    assert page.total == 5 and page.total_exact, "the count is not bounded by the ranking"
