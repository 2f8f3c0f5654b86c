"""Open data (CSV, JSON) and the register API: documented public fields only, filters, paging, editor writes."""

from __future__ import annotations

import csv
import io

import pytest

from participation.register.exports import COLUMNS
from participation.register.tables import RegisterEntry
from tests.helpers import api_token
from tests.register.conftest import LESSONS

pytestmark = pytest.mark.anyio

INTERNAL = ("editor@example.org", "created_by", '"id"', '"author"')


@pytest.fixture
async def entries(new_entry):
    return [
        await new_entry(
            title="Parkeersensoren in het centrum",
            partners=[{"name": "ParkSense", "kind": "business"}, {"name": "TU Delft", "kind": "knowledge_institution"}],
            neighbourhoods=["centrum", "dorp"],
            personal_data=True,
            budget_eur=1000,
            **LESSONS,
        ),
        await new_entry(title='=HYPERLINK("http://evil") formule', personal_data=None, neighbourhoods=[], partners=[]),
    ]


def test_columns_are_documented():
    from participation.register import exports

    for column in COLUMNS:
        assert f"`{column}`" in exports.__doc__, column


async def test_csv_has_exactly_the_public_columns(client, entries):
    response = await client.get("/register.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(csv.reader(io.StringIO(response.text)).__next__()) == COLUMNS
    assert len(rows) == 2
    parking = next(r for r in rows if r["slug"] == entries[0].slug)
    assert parking["partners"] == "ParkSense (business); TU Delft (knowledge_institution)"
    assert parking["neighbourhoods"] == "centrum;dorp"
    assert parking["personal_data"] == "true" and parking["budget_eur"] == "1000"
    assert parking["theme_name"] == "Energie" and parking["url"].endswith(f"/register/{entries[0].slug}")
    assert parking["lessons_decision"] == "scale_up" and parking["contact_email"] == "team@example.org"
    formula = next(r for r in rows if r["slug"] == entries[1].slug)
    assert formula["title"].startswith("'=") and formula["personal_data"] == ""
    for internal in INTERNAL:
        assert internal not in response.text


async def test_json_has_exactly_the_public_columns(client, entries):
    response = await client.get("/register.json")
    assert response.status_code == 200
    document = response.json()
    assert document["columns"] == list(COLUMNS)
    assert len(document["entries"]) == 2
    for row in document["entries"]:
        assert tuple(row) == COLUMNS
    parking = next(r for r in document["entries"] if r["slug"] == entries[0].slug)
    assert parking["partners"] == [
        {"name": "ParkSense", "kind": "business"},
        {"name": "TU Delft", "kind": "knowledge_institution"},
    ]
    assert parking["neighbourhoods"] == ["centrum", "dorp"] and parking["personal_data"] is True
    formula = next(r for r in document["entries"] if r["slug"] == entries[1].slug)
    assert formula["personal_data"] is None and formula["title"].startswith("=")
    for internal in INTERNAL:
        assert internal not in response.text


async def test_api_list_is_paged(client, new_entry):
    for i in range(5):
        await new_entry(title=f"Project nummer {i} van vijf")
    first = (await client.get("/api/v1/register?per_page=2")).json()
    assert set(first) == {"items", "total", "page", "per_page"}
    assert first["total"] == 5 and first["page"] == 1 and first["per_page"] == 2 and len(first["items"]) == 2
    third = (await client.get("/api/v1/register?per_page=2&page=3")).json()
    assert len(third["items"]) == 1
    seen = {
        i["slug"]
        for p in (1, 2, 3)
        for i in (await client.get(f"/api/v1/register?per_page=2&page={p}")).json()["items"]
    }
    assert len(seen) == 5
    assert (await client.get("/api/v1/register?per_page=1000")).json()["per_page"] == 100


async def test_api_detail_has_the_timeline_and_no_internal_fields(client, settings, editor, entries):
    headers = await api_token(client, editor.email)
    await client.post(
        f"/api/v1/register/{entries[0].slug}/updates",
        json={"text": "Beoordeling start.", "status": "under_assessment"},
        headers=headers,
    )
    await client.post(f"/api/v1/register/{entries[0].slug}/updates", json={"text": "Tussenstand."}, headers=headers)
    response = await client.get(f"/api/v1/register/{entries[0].slug}")
    assert response.status_code == 200
    body = response.json()
    assert [t["text"] for t in body["timeline"]][1:] == ["Beoordeling start.", "Tussenstand."]
    assert [t["status"] for t in body["timeline"]] == ["received", "under_assessment", None]
    assert {t["author_role"] for t in body["timeline"]} == {"editor"}
    for internal in INTERNAL:
        assert internal not in response.text


async def test_api_editor_creates_patches_and_posts_updates(client, settings, editor):
    headers = await api_token(client, editor.email)
    response = await client.post(
        "/api/v1/register",
        headers=headers,
        json={
            "title": "Slimme verkeerslichten voor fietsers",
            "summary": "Eerder groen bij regen.",
            "theme": "mobility",
            "scope": "narrow",
            "neighbourhoods": ["centrum"],
            "partners": [{"name": "Verkeerslab", "kind": "business"}],
            "personal_data": False,
            "status": "under_assessment",
        },
    )
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert response.json()["status"] == "under_assessment"

    response = await client.patch(
        f"/api/v1/register/{slug}", headers=headers, json={"budget_eur": 5000, "personal_data": None}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["budget_eur"] == 5000 and body["personal_data"] is None
    assert body["partners"] == [{"name": "Verkeerslab", "kind": "business"}], "fields not sent stay as they were"

    response = await client.post(
        f"/api/v1/register/{slug}/updates", headers=headers, json={"text": "Besloten.", "status": "declined"}
    )
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = await client.post(
        f"/api/v1/register/{slug}/updates", headers=headers, json={"text": "Besloten.", "status": "running"}
    )
    assert response.status_code == 422 and "status" in response.json()["errors"]
    response = await client.post(
        f"/api/v1/register/{slug}/updates",
        headers=headers,
        json={"text": "Besloten.", "status": "declined", "reason": "Past niet in de begroting."},
    )
    assert response.status_code == 201 and response.json()["status"] == "declined"
    assert (await client.get(f"/api/v1/register/{slug}")).json()["declined_reason"] == "Past niet in de begroting."


async def test_api_validation_errors_are_problem_details(client, editor):
    headers = await api_token(client, editor.email)
    response = await client.post(
        "/api/v1/register",
        headers=headers,
        json={
            "title": "Kort",
            "summary": "x",
            "theme": "nope",
            "scope": "wide",
            "neighbourhoods": ["atlantis"],
        },
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {"title", "theme", "scope", "neighbourhoods"} <= set(response.json()["errors"])
    assert await RegisterEntry.count() == 0
    response = await client.post("/api/v1/register", headers=headers, json={"title": "x", "secret": 1})
    # An unknown field fails decoding (forbid_unknown_fields) before any validation of the values: 400.
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_openapi_documents_the_register_api(client):
    paths = (await client.get("/api/v1/schema/openapi.json")).json()["paths"]
    assert {"/api/v1/register", "/api/v1/register/{slug}", "/api/v1/register/{slug}/updates"} <= set(paths)
    assert "scope" in {p["name"] for p in paths["/api/v1/register"]["get"]["parameters"]}
    assert "/register/new" not in paths and "/register.csv" not in paths


async def test_exports_are_cached_yet_show_every_change_on_the_next_request(client, editor, entries, monkeypatch):
    """Built once per version of the register; an edit, a timeline update and a new entry each show at once."""
    from participation.register import exports

    builds = []
    real = exports.services.all_entries_for_export

    async def counted():
        builds.append(1)
        return await real()

    monkeypatch.setattr(exports.services, "all_entries_for_export", counted)
    first, again = await client.get("/register.json"), await client.get("/register.json")
    assert first.content == again.content and len(builds) == 1, "the second request is served from the cache"

    headers = await api_token(client, editor.email)
    slug = entries[0].slug
    response = await client.patch(f"/api/v1/register/{slug}", headers=headers, json={"budget_eur": 7777})
    assert response.status_code == 200, response.text
    row = next(e for e in (await client.get("/register.json")).json()["entries"] if e["slug"] == slug)
    assert row["budget_eur"] == 7777
    csv_rows = list(csv.DictReader(io.StringIO((await client.get("/register.csv")).text)))
    assert next(r for r in csv_rows if r["slug"] == slug)["budget_eur"] == "7777"

    response = await client.post(
        f"/api/v1/register/{slug}/updates", headers=headers, json={"text": "Gestart.", "status": "under_assessment"}
    )
    assert response.status_code == 201, response.text
    row = next(e for e in (await client.get("/register.json")).json()["entries"] if e["slug"] == slug)
    assert row["status"] == "under_assessment"

    response = await client.post(
        "/api/v1/register",
        headers=headers,
        json={"title": "Deelfietsen bij het station", "summary": "Fietsen.", "theme": "mobility", "scope": "narrow"},
    )
    assert response.status_code == 201, response.text
    assert len((await client.get("/register.json")).json()["entries"]) == 3


async def test_exports_answer_a_conditional_request_with_304_until_the_register_changes(client, editor, entries):
    first = await client.get("/register.json")
    etag = first.headers["etag"]
    unchanged = await client.get("/register.json", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert (await client.get("/register.csv", headers={"If-None-Match": etag})).status_code == 200, "one tag per format"

    headers = await api_token(client, editor.email)
    response = await client.patch(f"/api/v1/register/{entries[1].slug}", headers=headers, json={"budget_eur": 12})
    assert response.status_code == 200, response.text
    changed = await client.get("/register.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
