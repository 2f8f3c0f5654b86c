"""Scale data (`participation demo --scale`): valid, consistent, skewed, searchable, loaded once.

Loaded at a small factor of the 1k scale (50 ideas, 1,000 supports) on both databases; the
same code generates the city and national scales.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import pytest

from ideas import lifecycle
from ideas.search import IdeaFilters, list_ideas
from ideas.tables import Comment, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.demo import DEMO_PASSWORD
from participation.lib.clock import utcnow
from participation.register.permissions import lessons_complete
from participation.register.tables import RegisterEntry, RegisterUpdate, Status
from participation.scale_data import CITY, EMAIL_DOMAIN, ScaleDataError, load_scale_data, sizes_for
from tests.helpers import sign_in
from voting import trending
from voting.services import route_ideas_over_threshold
from voting.tables import Routing, Support

FACTOR = 0.05
S = IdeaStatus


async def _scale_ideas() -> list[dict]:
    return await Idea.select(*Idea.all_columns()).where(Idea.author.email.like(f"%@{EMAIL_DOMAIN}"))


def test_sizes_keep_the_city_ratios():
    city, small, national = sizes_for("city"), sizes_for("1k"), sizes_for("national")
    assert (city.ideas, city.supports, city.accounts, city.comments, city.entries) == (
        50_000,
        1_000_000,
        20_000,
        250_000,
        2_000,
    )
    assert (small.ideas, small.supports, small.accounts, small.comments, small.entries) == (
        1_000,
        20_000,
        400,
        5_000,
        40,
    )
    assert national.ideas == 20 * city.ideas and national.supports == 20 * city.supports
    assert small.hot_comments == city.hot_comments == CITY.hot_comments >= 2_000
    with pytest.raises(ScaleDataError):
        sizes_for("village")


async def test_counters_equal_rows_statuses_are_valid_supports_skewed_and_a_second_load_adds_nothing(parts, settings):
    report = await load_scale_data(parts, "1k", FACTOR)
    sizes = sizes_for("1k", FACTOR, settings.city.support_threshold)
    assert report.loaded and report.counts["idea"] == sizes.ideas and report.counts["support"] == sizes.supports
    ideas = await _scale_ideas()
    assert len(ideas) == sizes.ideas
    supports = Counter(r["idea"] for r in await Support.select(Support.idea))
    visible = Counter(r["idea"] for r in await Comment.select(Comment.idea).where(Comment.status == "visible"))
    for idea in await Idea.select(Idea.id, Idea.support_count, Idea.comment_count):
        assert (idea["support_count"], idea["comment_count"]) == (supports[idea["id"]], visible[idea["id"]])
    # No author supports their own idea; only ideas that were open took supports.
    own = await Support.raw(
        "SELECT COUNT(*) AS n FROM support JOIN idea ON idea.id = support.idea WHERE support.account = idea.author"
    )
    closed = await Support.count().where(Support.idea.status.is_in([S.submitted.value, S.rejected.value]))
    assert own[0]["n"] == 0 and closed == 0
    # Valid for the lifecycle: nothing for the periodic tasks to expire or route.
    assert await lifecycle.expire_due_ideas(events=parts.events) == 0
    assert await route_ideas_over_threshold(settings, events=parts.events) == 0
    statuses = Counter(i["status"] for i in ideas)
    assert {S.published, S.expired, S.routed, S.submitted, S.rejected} <= {S(s) for s in statuses}
    # Every routed idea has its routing record and register entry, from that idea.
    routed = {i["id"] for i in ideas if i["status"] == S.routed.value}
    routings = await Routing.select(Routing.idea, Routing.register_entry_id).where(Routing.idea.is_in(list(routed)))
    entries = {e["id"]: e for e in await RegisterEntry.select(*RegisterEntry.all_columns())}
    assert {r["idea"] for r in routings} == routed
    assert all(entries[r["register_entry_id"]]["idea_id"] == r["idea"] for r in routings)
    # Every register status, each entry's timeline ending in its status, lessons where required.
    assert {e["status"] for e in entries.values()} == {s.value for s in Status}
    last = {}
    for update in (
        await RegisterUpdate.select().where(RegisterUpdate.status.is_not_null()).order_by(RegisterUpdate.created_at)
    ):
        last[update["entry"]] = update["status"]
    assert all(last[i] == e["status"] for i, e in entries.items())
    assert all(lessons_complete(e) for e in entries.values() if e["status"] in ("completed", "stopped"))
    # The stored trending score is what the app computes from the rows.
    hot = report.hot_idea_id
    stored = next(i["trending_score"] for i in ideas if i["id"] == hot)
    assert math.isclose(stored, await trending.refresh_trending(hot), rel_tol=1e-3)

    # Skewed like real participation: the top 5% of ideas hold more than half of the supports.
    counts = sorted((i["support_count"] for i in ideas), reverse=True)
    top = counts[: math.ceil(len(counts) * 0.05)]
    assert sum(top) > sum(counts) / 2
    # Popular open ideas stay open: an administrator's higher threshold, never a published idea over its own.
    for idea in ideas:
        if idea["status"] == S.published.value:
            assert idea["support_count"] < (idea["threshold_override"] or settings.city.support_threshold)
    hot_idea = next(i for i in ideas if i["id"] == hot)
    rows = await Comment.select(Comment.parent, Comment.status).where(Comment.idea == hot)
    assert hot_idea["status"] == S.published.value
    assert len(rows) == sizes.hot_comments
    assert hot_idea["comment_count"] == max(i["comment_count"] for i in await Idea.select(Idea.comment_count))
    assert any(r["parent"] is not None for r in rows) and any(r["status"] == "hidden" for r in rows)

    before = [await t.count() for t in (Account, Idea, Support, Comment, RegisterEntry)]
    again = await load_scale_data(parts, "1k", FACTOR)
    assert not again.loaded and again.counts == {} and again.hot_idea_id == hot
    assert [await t.count() for t in (Account, Idea, Support, Comment, RegisterEntry)] == before


async def test_generated_ideas_are_searchable_and_the_main_pages_answer(parts, client):
    report = await load_scale_data(parts, "1k", FACTOR)
    found = await list_ideas(IdeaFilters(q="sensor", sort="relevance"))
    listed = await Idea.count().where(
        Idea.status.is_in([S.published.value, S.routed.value, S.expired.value])
        & Idea.author.email.like(f"%@{EMAIL_DOMAIN}")
    )
    assert found.total >= listed // 10 > 0
    entry = await RegisterEntry.select(RegisterEntry.slug).where(RegisterEntry.idea_id.is_not_null()).first()
    for path in (
        "/ideas",
        "/ideas?q=sensor",
        f"/ideas/{report.hot_idea_id}",
        "/register",
        f"/register/{entry['slug']}",
        "/api/v1/ideas",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
    page = await client.get("/ideas?q=sensor")
    assert "ensor" in page.text
    # The search index still follows new ideas after the bulk load (SQLite's triggers are back).
    author = await Account.select(Account.id).where(Account.email.like(f"%@{EMAIL_DOMAIN}")).first()
    await Idea.insert(
        Idea(
            author=author["id"],
            title="Zeldzame kwartelkoningsensor",
            summary="Telt kwartelkoningen.",
            theme="mobility",
            neighbourhood="centrum",
            scope="narrow",
            status=S.published.value,
            published_at=utcnow(),
            support_closes_at=utcnow() + timedelta(days=30),
        )
    )
    assert (await list_ideas(IdeaFilters(q="kwartelkoning"))).total == 1
    # Generated people sign in with the demo password.
    account = await Account.select(Account.email).where(Account.email.like(f"%@{EMAIL_DOMAIN}")).first()
    await sign_in(client, account["email"], DEMO_PASSWORD)
    assert (await client.get("/account")).status_code == 200


async def test_a_database_with_other_ideas_is_refused(parts, settings):
    author = Account(email="someone@example.net", password_hash="x", display_name="Iemand")
    await author.save()
    await Idea.insert(
        Idea(
            author=author.id,
            title="Een echt idee",
            summary="Van een echte inwoner.",
            theme="mobility",
            neighbourhood="centrum",
            scope="narrow",
            created_at=utcnow() - timedelta(days=1),
        )
    )
    with pytest.raises(ScaleDataError, match="not demo data"):
        await load_scale_data(parts, "1k", FACTOR)
    assert await Account.count().where(Account.email.like(f"%@{EMAIL_DOMAIN}")) == 0


async def test_national_scale_is_refused_on_sqlite(parts, database_kind):
    if database_kind != "sqlite":
        pytest.skip("the national scale is meant for PostgreSQL")
    with pytest.raises(ScaleDataError, match="PostgreSQL"):
        await load_scale_data(parts, "national", FACTOR)
    assert await Idea.count() == 0


async def test_the_demo_command_loads_scale_data_without_serving(cli, database_kind):
    result = await cli("demo", "--scale", "1k", "--factor", str(FACTOR), "--no-serve")
    assert result.exit_code == 0, result.output
    assert "1k scale (x0.05)" in result.output and "/ideas/" in result.output
    assert await Account.count().where(Account.email.like(f"%@{EMAIL_DOMAIN}")) == sizes_for("1k", FACTOR).accounts
    again = await cli("demo", "--scale", "1k", "--factor", str(FACTOR), "--no-serve")
    assert again.exit_code == 0 and "already loaded" in again.output
    if database_kind == "sqlite":
        refused = await cli("demo", "--scale", "national", "--no-serve")
        assert refused.exit_code != 0 and "needs PostgreSQL" in refused.output
