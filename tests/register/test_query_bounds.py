"""List pages cost a fixed number of queries, however many entries, partners and neighbourhoods there are."""

from __future__ import annotations

import pytest

from participation.register import services
from participation.register.tables import RegisterEntry

pytestmark = pytest.mark.anyio


@pytest.fixture
def count_queries(monkeypatch):
    engine_class = type(RegisterEntry._meta.db)
    calls = []
    original = engine_class.run_querystring

    async def counting(self, querystring, *args, **kwargs):
        calls.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    return calls


async def _queries_for_listing(count_queries) -> int:
    count_queries.clear()
    await services.list_entries(services.EntryFilters(), per_page=50)
    await services.portfolio_summary()
    await services.all_entries_for_export()
    return len(count_queries)


async def test_listing_does_not_grow_with_the_number_of_entries(new_entry, count_queries):
    for i in range(2):
        await new_entry(
            title=f"Eerste project nummer {i}",
            neighbourhoods=["dorp", "meerzicht"],
            partners=[{"name": "A-partner", "kind": "business"}, {"name": "B-partner", "kind": "other"}],
        )
    few = await _queries_for_listing(count_queries)
    for i in range(10):
        await new_entry(
            title=f"Tweede project nummer {i}",
            neighbourhoods=["dorp", "meerzicht"],
            partners=[{"name": "A-partner", "kind": "business"}, {"name": "B-partner", "kind": "other"}],
        )
    many = await _queries_for_listing(count_queries)
    assert 0 < few == many
    # list (count, entries, partners, places), summary, export (+ goals, indicators, measurements)
    assert many <= 3 + 1 + 3 + 3 + 3
