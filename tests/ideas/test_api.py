"""The ideas API: the same rules and errors as the pages, as JSON and problem details."""

from __future__ import annotations

import pytest

from ideas.tables import Comment, Idea
from participation.accounts.tables import Role
from tests.helpers import api_token, make_account
from tests.ideas.factories import make_idea

NEW_IDEA = {
    "title": "Deelscooters bij het Stadshart",
    "summary": "Elektrische deelscooters voor de laatste kilometer naar huis.",
    "theme": "mobility",
    "neighbourhood": "centrum",
    "scope": "narrow",
    "body": "Met vaste parkeerplekken.",
}


@pytest.fixture
async def author(settings):
    return await make_account(settings, email="author@example.org", name="Auteur")


async def test_list_shape_and_filters(client, settings, author):
    idea = await make_idea(author, theme="energy", title="Zonnepanelen op alle scholen")
    await make_idea(author, theme="mobility")
    response = await client.get("/api/v1/ideas", params={"theme": "energy"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    item = body["items"][0]
    assert set(item) == {
        "id",
        "title",
        "summary",
        "kind",
        "theme",
        "neighbourhood",
        "scope",
        "status",
        "support_count",
        "verified_support_count",
        "comment_count",
        "created_at",
        "published_at",
        "url",
    }
    assert item["url"].endswith(f"/ideas/{idea.id}")
    assert (await client.get("/api/v1/ideas", params={"theme": "nope"})).status_code == 400
    assert (await client.get("/api/v1/ideas", params={"sort": "random"})).status_code == 400
    assert (await client.get("/api/v1/ideas", params={"status": "submitted"})).status_code == 400
    searched = (await client.get("/api/v1/ideas", params={"q": "zonnepanelen"})).json()
    assert [i["id"] for i in searched["items"]] == [idea.id]


async def test_create_requires_a_token(client):
    response = await client.post("/api/v1/ideas", json=NEW_IDEA)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_create_patch_and_withdraw(client, settings, author):
    headers = await api_token(client, "author@example.org")
    created = await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)
    assert created.status_code == 201, created.text
    idea = created.json()
    assert idea["status"] == "submitted" and idea["author"] == "Auteur"
    invalid = await client.post("/api/v1/ideas", json={**NEW_IDEA, "title": "Kort"}, headers=headers)
    assert invalid.status_code == 422 and "title" in invalid.json()["errors"]
    patched = await client.patch(
        f"/api/v1/ideas/{idea['id']}", json={"summary": "Een nieuwe samenvatting die lang genoeg is."}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["summary"] == "Een nieuwe samenvatting die lang genoeg is."
    assert patched.json()["title"] == NEW_IDEA["title"]
    await make_account(settings, email="other@example.org")
    other = await api_token(client, "other@example.org")
    assert (
        await client.patch(f"/api/v1/ideas/{idea['id']}", json={"summary": "x" * 30}, headers=other)
    ).status_code == 404
    withdrawn = await client.post(f"/api/v1/ideas/{idea['id']}/withdraw", json={"reason": "duplicate"}, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await client.patch(f"/api/v1/ideas/{idea['id']}", json={"summary": "x" * 30}, headers=headers)
    assert again.status_code == 409


async def test_resident_pilot_refused_and_organisation_pilot_accepted(client, settings, author):
    pilot = {
        **NEW_IDEA,
        "kind": "pilot",
        "pilot_what": "Deelscooters met geofencing testen",
        "pilot_where": "Stadshart",
        "pilot_duration_weeks": 12,
        "pilot_asks": ["space"],
        "pilot_personal_data": True,
        "pilot_personal_data_details": "Ritgegevens zonder naam",
    }
    resident = await api_token(client, "author@example.org")
    assert (await client.post("/api/v1/ideas", json=pilot, headers=resident)).status_code == 403
    await make_account(settings, email="org@example.org", organisation="Scoot BV", kvk="12345678")
    org = await api_token(client, "org@example.org")
    created = await client.post("/api/v1/ideas", json=pilot, headers=org)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["kind"] == "pilot" and body["pilot_asks"] == ["space"] and body["author"] == "Scoot BV"


async def test_unverified_token_refused(client, settings):
    await make_account(settings, email="new@example.org", verified=False)
    headers = await api_token(client, "new@example.org")
    assert (await client.post("/api/v1/ideas", json=NEW_IDEA, headers=headers)).status_code == 403


async def test_comments_and_follow(client, settings, author):
    idea = await make_idea(author)
    headers = await api_token(client, "author@example.org")
    top = await client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Eerste"}, headers=headers)
    assert top.status_code == 201
    reply = await client.post(
        f"/api/v1/ideas/{idea.id}/comments", json={"body": "Antwoord", "parent_id": top.json()["id"]}, headers=headers
    )
    assert reply.status_code == 201
    deep = await client.post(
        f"/api/v1/ideas/{idea.id}/comments", json={"body": "Te diep", "parent_id": reply.json()["id"]}, headers=headers
    )
    assert deep.status_code == 400
    listed = (await client.get(f"/api/v1/ideas/{idea.id}/comments")).json()
    assert len(listed) == 1 and listed[0]["replies"][0]["body"] == "Antwoord"
    edited = await client.patch(
        f"/api/v1/comments/{top.json()['id']}", json={"body": "Eerste, aangepast"}, headers=headers
    )
    assert edited.status_code == 200 and edited.json()["edited_at"]
    assert (await client.delete(f"/api/v1/comments/{reply.json()['id']}", headers=headers)).status_code == 204
    assert (await Idea.objects().get(Idea.id == idea.id)).comment_count == 1
    for _ in range(2):
        followed = await client.put(f"/api/v1/ideas/{idea.id}/follow", headers=headers)
        assert followed.status_code == 200 and followed.json()["following"] is True
    assert (await client.delete(f"/api/v1/ideas/{idea.id}/follow", headers=headers)).json()["following"] is False


async def test_themes_and_neighbourhoods_come_from_the_city(client, settings):
    themes = (await client.get("/api/v1/themes")).json()
    assert [t["slug"] for t in themes] == [t.slug for t in settings.city.themes]
    hoods = (await client.get("/api/v1/neighbourhoods")).json()
    assert [n["slug"] for n in hoods] == [n.slug for n in settings.city.neighbourhoods]


async def test_moderator_message_only_for_author_and_moderators(client, settings, author):
    idea = await make_idea(author, status="needs_changes", moderator_message="Graag een locatie noemen.")
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    own = (await client.get(f"/api/v1/ideas/{idea.id}", headers=await api_token(client, "author@example.org"))).json()
    assert own["moderator_message"] == "Graag een locatie noemen."
    mod = (await client.get(f"/api/v1/ideas/{idea.id}", headers=await api_token(client, "mod@example.org"))).json()
    assert mod["moderator_message"]


async def test_demo_ideas_are_idempotent(settings, parts):
    from ideas.demo import DEMO_IDEAS, load_ideas_demo
    from participation.demo import load_demo

    await load_demo(parts)  # accounts, register, ideas and supports
    assert await load_ideas_demo(settings, parts.events) == 0
    assert await Idea.count() == len(DEMO_IDEAS) >= 40
    assert await Idea.count().where(Idea.kind == "pilot") == sum(1 for d in DEMO_IDEAS if d.pilot)
    # Across states, themes and neighbourhoods, with comments.
    statuses = set(await Idea.select(Idea.status).output(as_list=True))
    assert {"published", "submitted", "needs_changes", "rejected", "withdrawn", "routed", "expired"} <= statuses
    assert len(set(await Idea.select(Idea.theme).output(as_list=True))) == 8
    assert len(set(await Idea.select(Idea.neighbourhood).output(as_list=True))) >= 12
    assert await Comment.count() >= 10
