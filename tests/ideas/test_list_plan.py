"""The idea list reads its page from an index instead of sorting every listed idea (SQLite's query plan).

SQLite only: PostgreSQL rightly prefers a scan and a top-N sort over a few hundred rows, so its plan
at test size says nothing about city scale (there the issue's figures and the README's EXPLAIN show it).
"""

from __future__ import annotations

import pytest

from ideas.search import IdeaFilters, list_ideas
from ideas.tables import Idea
from participation.database import refresh_statistics
from tests.helpers import make_account
from tests.query_counter import counting_queries

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("sort", ["trending", "supports", "newest"])
async def test_the_default_list_and_its_sorts_follow_an_index(settings, database_kind, monkeypatch, sort):
    if database_kind != "sqlite":
        pytest.skip("PostgreSQL's plan for a few hundred rows is a scan by design")
    author = await make_account(settings, email="author@example.org")
    statuses = ("published",) * 8 + ("expired", "routed", "submitted", "withdrawn")
    await Idea.insert(
        *(
            Idea(
                author=author.id,
                title=f"Idee {n}",
                summary="Een idee.",
                theme="mobility",
                neighbourhood="centrum",
                scope="narrow",
                status=statuses[n % len(statuses)],
                trending_score=n % 17,
                support_count=n % 23,
            )
            for n in range(600)
        )
    )
    await refresh_statistics(full=True)
    with counting_queries(monkeypatch) as statements:
        await list_ideas(IdeaFilters(sort=sort))
    page_query = next(s for s in statements if "ORDER BY" in s)
    plan = " | ".join(row["detail"] for row in await Idea.raw("EXPLAIN QUERY PLAN " + page_query))
    assert "TEMP B-TREE" not in plan, plan
    assert "USING INDEX idea_" in plan, plan
