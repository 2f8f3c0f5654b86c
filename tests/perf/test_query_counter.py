"""The query counter the budget tests rely on sees ORM and raw queries alike."""

from __future__ import annotations

from ideas.tables import Idea
from tests.query_counter import counting_queries


async def test_counts_orm_and_raw_queries(client, monkeypatch):
    with counting_queries(monkeypatch) as statements:
        await Idea.count()
        await Idea.raw("SELECT 1")
    assert len(statements) == 2
    assert "SELECT 1" in statements[1]
