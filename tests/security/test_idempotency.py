"""Idempotency-Key on the API's creating POSTs (ideas, comments, reports), on both databases.

A repeat with the same key gets the first answer and creates nothing; ten at once create one;
the same key with another request is a 422; keys belong to one account; keys live 24 hours.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from ideas.tables import Comment, Idea
from participation.idempotency.tables import IdempotencyKey
from participation.lib.clock import utcnow
from participation.moderation.tables import Report
from participation.tasks import run_once
from tests.voting.conftest import make_supporters, publish_idea

NEW_IDEA = {
    "title": "Deelscooters bij het Stadshart",
    "summary": "Elektrische deelscooters voor de laatste kilometer naar huis.",
    "theme": "mobility",
    "neighbourhood": "centrum",
    "scope": "narrow",
    "body": "Met vaste parkeerplekken.",
}
KEY = "6f1c2a9e-3b7d-4f0a-9c55-2e8d1b4a7c30"


@pytest.fixture
async def tokens(settings):
    """Two verified members with API tokens."""
    return [headers for _, headers in await make_supporters(settings, 2, prefix="member")]


@pytest.fixture
async def idea(settings, tokens):
    author = (await make_supporters(settings, 1, prefix="author"))[0][0]
    return await publish_idea(settings, author)


def creations(idea_id: int) -> dict[str, tuple[str, dict, type]]:
    """Each creating route: its path, a valid body, and the table a creation adds a row to."""
    return {
        "idea": ("/api/v1/ideas", NEW_IDEA, Idea),
        "comment": (f"/api/v1/ideas/{idea_id}/comments", {"body": "Goed plan, ik doe mee."}, Comment),
        "report": ("/api/v1/reports", {"target_type": "idea", "target_id": idea_id, "reason": "spam"}, Report),
    }


ROUTES = ["idea", "comment", "report"]


@pytest.mark.parametrize("route", ROUTES)
async def test_a_repeat_returns_the_first_answer_and_creates_nothing(client, tokens, idea, route):
    path, body, table = creations(idea.id)[route]
    before = await table.count()
    headers = {**tokens[0], "Idempotency-Key": KEY}
    first = await client.post(path, json=body, headers=headers)
    again = await client.post(path, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.content == first.content
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    assert await table.count() == before + 1


@pytest.mark.parametrize("route", ROUTES)
async def test_ten_concurrent_requests_with_one_key_create_one(client, tokens, idea, route):
    path, body, table = creations(idea.id)[route]
    before = await table.count()
    headers = {**tokens[0], "Idempotency-Key": KEY}
    responses = await asyncio.gather(*(client.post(path, json=body, headers=headers) for _ in range(10)))
    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    assert len({r.content for r in responses}) == 1
    assert sum(1 for r in responses if "idempotent-replayed" not in r.headers) == 1
    assert await table.count() == before + 1


async def test_the_same_key_with_another_body_or_route_is_refused(client, tokens, idea):
    headers = {**tokens[0], "Idempotency-Key": KEY}
    assert (await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)).status_code == 201
    other_body = await client.post("/api/v1/ideas", json={**NEW_IDEA, "title": "Een heel ander idee"}, headers=headers)
    assert other_body.status_code == 422
    assert other_body.headers["content-type"].startswith("application/problem+json")
    assert other_body.json()["status"] == 422 and "Idempotency-Key" in other_body.json()["detail"]
    other_route = await client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Hallo"}, headers=headers)
    assert other_route.status_code == 422
    assert await Idea.count().where(Idea.title == "Een heel ander idee") == 0
    assert await Comment.count() == 0


async def test_the_same_body_in_another_field_order_is_a_repeat(client, tokens):
    headers = {**tokens[0], "Idempotency-Key": KEY}
    first = await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)
    reordered = await client.post("/api/v1/ideas", json=dict(reversed(NEW_IDEA.items())), headers=headers)
    assert reordered.status_code == 201 and reordered.json()["id"] == first.json()["id"]


async def test_keys_belong_to_one_account(client, tokens):
    mine = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[0], "Idempotency-Key": KEY})
    theirs = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[1], "Idempotency-Key": KEY})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert await Idea.count() == 2


async def test_without_a_key_each_request_creates(client, tokens):
    for _ in range(2):
        assert (await client.post("/api/v1/ideas", json=NEW_IDEA, headers=tokens[0])).status_code == 201
    assert await Idea.count() == 2


async def test_a_refused_request_keeps_its_key_free(client, tokens):
    headers = {**tokens[0], "Idempotency-Key": KEY}
    invalid = await client.post("/api/v1/ideas", json={**NEW_IDEA, "title": "Kort"}, headers=headers)
    assert invalid.status_code == 422 and "title" in invalid.json()["errors"]
    assert await IdempotencyKey.count() == 0
    fixed = await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)
    assert fixed.status_code == 201 and "idempotent-replayed" not in fixed.headers


async def test_the_structured_field_form_of_the_key_is_the_same_key(client, tokens):
    first = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[0], "Idempotency-Key": f'"{KEY}"'})
    again = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[0], "Idempotency-Key": KEY})
    assert again.headers["idempotent-replayed"] == "true" and again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize("key", ['""', "x" * 256, "tab\there"])
async def test_a_malformed_key_is_a_bad_request(client, tokens, key):
    response = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[0], "Idempotency-Key": key})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await Idea.count() == 0


async def test_a_key_older_than_24_hours_is_free_again_and_purged(client, parts, tokens):
    headers = {**tokens[0], "Idempotency-Key": KEY}
    first = await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)
    await IdempotencyKey.update({IdempotencyKey.created_at: utcnow() - timedelta(hours=25)}, force=True)
    later = await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)
    assert later.status_code == 201 and "idempotent-replayed" not in later.headers
    assert later.json()["id"] != first.json()["id"]

    fresh = await client.post("/api/v1/ideas", json=NEW_IDEA, headers={**tokens[0], "Idempotency-Key": "fresh"})
    assert fresh.status_code == 201
    await IdempotencyKey.update({IdempotencyKey.created_at: utcnow() - timedelta(hours=24, minutes=1)}).where(
        IdempotencyKey.key == KEY
    )
    assert (await run_once(parts))["idempotency_keys_purged"] == 1
    assert await IdempotencyKey.select(IdempotencyKey.key).output(as_list=True) == ["fresh"]


async def test_the_openapi_documents_the_header_on_the_creating_routes(client):
    schema = (await client.get("/api/v1/schema/openapi.json")).json()
    for path in ("/api/v1/ideas", "/api/v1/ideas/{idea_id}/comments", "/api/v1/reports"):
        parameters = schema["paths"][path]["post"]["parameters"]
        [header] = [p for p in parameters if p["name"] == "Idempotency-Key"]
        assert header["in"] == "header" and header["required"] is False
