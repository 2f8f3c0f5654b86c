"""The register's public pages and API lists cost a fixed number of SQL queries, the same at 10 and 1,000 entries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.lib.clock import utcnow
from participation.register.tables import RegisterEntry, RegisterNeighbourhood, RegisterPartner, RegisterUpdate
from tests.query_counter import counting_queries, plain_client

pytestmark = pytest.mark.anyio

BUDGET = 6
# Pages that grew with the programme (issue 15) and places and images (issue 17): the overview
# and lessons read programme lines and goals; the entry page reads its owner, goals, measurements,
# assessment, links both ways, public field changes, budget lines, sensors and images, one query
# each. Still flat; folding them is a known next step (the closing note of issues 15, 17 and 18).
BUDGETS = {
    "/register": 7,
    "/register?theme=mobility": 7,
    "/register/lessons": 8,
    "/register/{slug}": 17,
    "/register.json": 8,
    "/register.csv": 8,
    "/api/v1/register/{slug}": 11,
}
PAGES = (
    "/register",
    "/register?theme=mobility",
    "/register/lessons",
    "/register/{slug}",
    "/register.json",
    "/register.csv",
    "/api/v1/register",
    "/api/v1/register?status=received&per_page=100",
    "/api/v1/register/{slug}",
)


async def add_entries(start: int, count: int) -> None:
    """Entries with partners, neighbourhoods and a timeline, inserted in bulk (the services would take minutes)."""
    now = utcnow()
    rows = [
        RegisterEntry(
            slug=f"project-{i}",
            title=f"Project {i}",
            summary="Een project.",
            theme=("mobility", "energy")[i % 2],
            scope="narrow",
            programme_line="sustainable-city",
            status="received",
            response_due_at=now + timedelta(days=i % 30 - 15),
            lessons_tried="Geprobeerd." if i % 3 == 0 else None,
            created_at=now,
            updated_at=now + timedelta(microseconds=i),
        )
        for i in range(start, start + count)
    ]
    for chunk in range(0, len(rows), 200):
        await RegisterEntry.insert(*rows[chunk : chunk + 200])
    ids = await RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.slug.is_in([r.slug for r in rows]))
    for chunk in range(0, len(ids), 200):
        part = ids[chunk : chunk + 200]
        await RegisterPartner.insert(*(RegisterPartner(entry=r["id"], name="Partner", kind="business") for r in part))
        await RegisterNeighbourhood.insert(*(RegisterNeighbourhood(entry=r["id"], neighbourhood="dorp") for r in part))
        await RegisterUpdate.insert(
            *(RegisterUpdate(entry=r["id"], text="Ontvangen.", author_role="system", created_at=now) for r in part)
        )


async def queries_per_page(client, monkeypatch) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        path = page.format(slug="project-3")
        with counting_queries(monkeypatch) as statements:
            response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[page] = len(statements)
    return counts


async def test_register_pages_stay_within_the_budget_whatever_the_size(settings, monkeypatch):
    async with plain_client(settings) as client:
        await add_entries(0, 10)
        few = await queries_per_page(client, monkeypatch)
        await add_entries(10, 990)
        many = await queries_per_page(client, monkeypatch)
    assert few == many, "no page's queries grow with the register"
    over = {page: n for page, n in many.items() if n > BUDGETS.get(page, BUDGET)}
    assert not over, over
