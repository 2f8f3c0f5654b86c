"""The support write path: its cost in queries, and its exactly-once rules under concurrency, on both databases.

A support is one read without locks, then the support row and one conditional UPDATE of the
counter; these tests pin that cost (flat however many supports the idea has), show that an idea
changing between the read and the write undoes the support, and race supports and withdrawals
from many accounts around the threshold.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from ideas import trending
from ideas.services import hide_idea
from ideas.tables import Comment, Idea
from participation.database import current_engine, for_update, write_transaction
from participation.lib.clock import utcnow
from participation.validation import DomainError
from tests.query_counter import counting_queries
from tests.voting.conftest import make_supporters, publish_idea
from voting import services
from voting.tables import Routing, Support
from voting.trending import refresh_trending


async def _state(idea_id: int) -> tuple[int, int, str]:
    idea = await Idea.objects().where(Idea.id == idea_id).first()
    return await Support.count().where(Support.idea == idea_id), idea.support_count, idea.status


async def _add_old_supports(idea: Idea, count: int, prefix: str) -> None:
    """`count` supports from other accounts, as an idea that is already popular has them."""
    if not count:
        return
    accounts = await make_supporters_without_tokens(count, prefix)
    await Support.insert(*[Support(account=a, idea=idea.id, created_at=utcnow() - timedelta(days=2)) for a in accounts])
    await Idea.update({Idea.support_count: Idea.support_count + count}).where(Idea.id == idea.id)


async def make_supporters_without_tokens(count: int, prefix: str) -> list[int]:
    from participation.accounts.tables import Account

    now = utcnow()
    await Account.insert(
        *[
            Account(
                email=f"{prefix}{i}@example.org", password_hash="-", display_name=f"{prefix} {i}", email_verified_at=now
            )
            for i in range(count)
        ]
    )
    return await Account.select(Account.id).where(Account.email.like(f"{prefix}%@example.org")).output(as_list=True)


@pytest.mark.parametrize("supports_before", [0, 1000])
async def test_a_support_costs_three_queries_and_a_repeat_one_however_popular_the_idea(
    settings, author, events, monkeypatch, supports_before
):
    idea = await publish_idea(settings, author, threshold_override=5000)
    await _add_old_supports(idea, supports_before, "earlier")
    [(fan, _)] = await make_supporters(settings, 1, prefix="fan")

    with counting_queries(monkeypatch) as new:
        outcome = await services.support_idea(settings, fan, idea.id, events=events)
    with counting_queries(monkeypatch) as repeat:
        again = await services.support_idea(settings, fan, idea.id, events=events)
    with counting_queries(monkeypatch) as withdraw:
        withdrawn = await services.withdraw_support(settings, fan, idea.id, events=events)
    with counting_queries(monkeypatch) as withdraw_again:
        await services.withdraw_support(settings, fan, idea.id, events=events)

    assert outcome.support_count == again.support_count == supports_before + 1
    assert withdrawn.support_count == supports_before
    # The read, the support row, the counter (BEGIN and COMMIT besides); a repeat only reads.
    assert [len(new), len(repeat), len(withdraw), len(withdraw_again)] == [3, 1, 3, 1]
    assert new[1].startswith("INSERT INTO") and new[2].startswith("UPDATE")
    # Nothing counts the idea's supports per support: the cost stays flat however many it has.
    assert not any("COUNT(" in statement for statement in [*new, *withdraw])
    assert await _state(idea.id) == (supports_before, supports_before, "published")


async def test_the_api_support_stays_within_its_query_budget(client, settings, idea, monkeypatch):
    supporters = await make_supporters(settings, 2)
    await client.put(f"/api/v1/ideas/{idea.id}/support", headers=supporters[1][1])  # the app warmed up
    _, headers = supporters[0]
    await client.get("/api/v1/auth/tokens", headers=headers)  # the token's hourly "last used" written once
    with counting_queries(monkeypatch) as new:
        first = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    with counting_queries(monkeypatch) as repeat:
        again = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert first.status_code == again.status_code == 200
    # Signing in with the token (2) plus the support (3, a repeat 1); the test client's outbox check is one more.
    assert len(new) <= 6 and len(repeat) <= 4, (new, repeat)


async def _until(condition, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "the support never reached its write"
        await asyncio.sleep(0.01)


async def _support_waits_for_the_idea() -> bool:
    """The support has read the idea and now waits for the write lock (PostgreSQL: the row; SQLite: the database)."""
    engine = current_engine()
    if engine.engine_type == "postgres":
        rows = await Idea.raw(
            "SELECT count(*) AS waiting FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE%'"
        )
        return rows[0]["waiting"] > 0
    from participation.database import _sqlite_write_lock

    return bool(_sqlite_write_lock()._waiters)  # the FIFO of writers in this process


async def test_an_idea_hidden_between_the_read_and_the_write_takes_no_support(settings, author, events):
    idea = await publish_idea(settings, author)
    [(fan, _)] = await make_supporters(settings, 1)
    hidden, release = asyncio.Event(), asyncio.Event()

    async def moderator_hides() -> None:
        async with write_transaction():
            await hide_idea(idea.id, "spam", events=events)
            hidden.set()
            await release.wait()  # the decision is not committed yet: the support reads the idea as published

    moderation = asyncio.create_task(moderator_hides())
    await hidden.wait()
    support = asyncio.create_task(services.support_idea(settings, fan, idea.id, events=events))
    await _until(_support_waits_for_the_idea)
    release.set()
    await moderation
    with pytest.raises(DomainError) as refused:
        await support
    # Decided again under the lock: a hidden idea is not there for the supporter, and the row was undone.
    assert refused.value.status_code == 404
    assert await _state(idea.id) == (0, 0, "hidden")


async def test_many_accounts_support_and_withdraw_around_the_threshold(settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=30)
    early = await make_supporters(settings, 20, prefix="early")
    for account, _ in early:
        await services.support_idea(settings, account, idea.id, events=events)
    late = await make_supporters(settings, 25, prefix="late")

    async def attempt(call, account):
        try:
            return await call(settings, account, idea.id, events=events)
        except DomainError as exc:
            return exc.status_code

    calls = [attempt(services.support_idea, a) for a, _ in late]
    calls += [attempt(services.withdraw_support, a) for a, _ in early[:12]]
    calls += [attempt(services.support_idea, a) for a, _ in late[:5]]  # repeats racing their first support
    outcomes = await asyncio.gather(*calls)

    rows, count, status = await _state(idea.id)
    assert rows == count  # nothing lost, nothing doubled
    # Exactly the accounts whose support was accepted and not withdrawn have a support row.
    ok = [not isinstance(o, int) for o in outcomes]
    late_accounts = [a for a, _ in late] + [a for a, _ in late[:5]]
    withdrawn = {a.id for (a, _), done in zip(early[:12], ok[25:37], strict=True) if done}
    supported = {a.id for a, done in zip(late_accounts, ok[:25] + ok[37:], strict=True) if done}
    expected = {a.id for a, _ in early} - withdrawn | supported
    assert set(await Support.select(Support.account).where(Support.idea == idea.id).output(as_list=True)) == expected
    routings = await Routing.objects().where(Routing.idea == idea.id)
    reported = [o for o in outcomes if not isinstance(o, int) and o.routed_entry_slug]
    if status == "routed":  # the support that reached 30 routed it, once, said so, and nothing changed after
        assert len(routings) == 1 and routings[0].support_count == 30 and len(reported) == 1 and count == 30
    else:
        assert routings == [] and reported == [] and count < 30
    assert {o for o in outcomes if isinstance(o, int)} <= {409}  # refused only as "no longer open", after routing


async def test_concurrent_withdrawals_by_many_accounts_each_count_once(settings, idea, events):
    supporters = await make_supporters(settings, 30)
    for account, _ in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    outcomes = await asyncio.gather(
        *(services.withdraw_support(settings, a, idea.id, events=events) for a, _ in supporters + supporters[:10])
    )
    assert await _state(idea.id) == (0, 0, "published")
    # Each of 30 withdrawals took the counter down by one and saw its own value; the 10 repeats changed nothing.
    assert {o.support_count for o in outcomes} == set(range(30))
    assert not any(o.supported for o in outcomes)


async def test_the_trending_score_follows_supports_without_a_recount(settings, author, events):
    idea = await publish_idea(settings, author, published_at=utcnow() - timedelta(hours=5))
    await refresh_trending(idea.id)
    supporters = await make_supporters(settings, 8)
    for account, _ in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    await services.withdraw_support(settings, supporters[0][0], idea.id, events=events)

    stored = (await Idea.select(Idea.trending_score).where(Idea.id == idea.id).first())["trending_score"]
    age_hours = (utcnow() - idea.published_at).total_seconds() / 3600
    comments = await Comment.count().where(Comment.idea == idea.id)
    # Each support added its weight and the withdrawal took one back: the formula with 7 supports.
    assert stored == pytest.approx(trending.trending_score(7, comments, age_hours), rel=0.01)
    assert stored > trending.trending_score(6, comments, age_hours)
    # The exact recount (activity, the periodic task) agrees.
    assert await refresh_trending(idea.id) == pytest.approx(stored, rel=0.01)


async def test_a_support_caught_in_a_merge_moving_the_same_support_is_decided_again(settings, author, events):
    """A merge moves a support of this account onto the idea while this support waits for the idea's lock.

    On PostgreSQL the two wait for each other (the merge for the uncommitted support row, the support
    for the row lock): the database rolls the support back to break the deadlock, and the support is
    decided again under the lock, finding the moved support. On SQLite the merge simply goes first.
    """
    idea = await publish_idea(settings, author)
    [(fan, _)] = await make_supporters(settings, 1)
    locked, release = asyncio.Event(), asyncio.Event()

    async def merge_moves_the_support() -> None:
        async with write_transaction():
            await for_update(Idea.select(Idea.id).where(Idea.id == idea.id))  # as merge_ideas locks both ideas
            locked.set()
            await release.wait()
            # As merge_ideas moves a duplicate's supports: into the original, once per account.
            moved = await Support.raw(
                "INSERT INTO support (account, idea, created_at) VALUES ({}, {}, {}) "
                "ON CONFLICT (account, idea) DO NOTHING RETURNING id",
                fan.id,
                idea.id,
                utcnow(),
            )
            await Idea.update({Idea.support_count: Idea.support_count + len(moved)}).where(Idea.id == idea.id)

    merge = asyncio.create_task(merge_moves_the_support())
    await locked.wait()
    support = asyncio.create_task(services.support_idea(settings, fan, idea.id, events=events))
    await _until(_support_waits_for_the_idea)
    release.set()
    outcome = await support
    await merge
    assert outcome.supported and outcome.support_count == 1
    assert await _state(idea.id) == (1, 1, "published")
