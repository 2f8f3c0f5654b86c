"""Verified supports: each idea knows how many of its supports come from verified residents and
organisations, whatever the city counts; a change of verification moves that figure in its own
transaction. (Routing on that figure: tests/voting/test_verified_routing.py.)"""

from __future__ import annotations

import asyncio

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.accounts.verification import set_verification
from participation.database import write_transaction
from tests.voting.conftest import make_supporters, publish_idea
from voting import services
from voting.tables import Support


async def counts(idea_id: int) -> tuple[int, int]:
    row = await Idea.select(Idea.support_count, Idea.verified_support_count).where(Idea.id == idea_id).first()
    return row["support_count"], row["verified_support_count"]


async def true_counts(idea_id: int) -> tuple[int, int]:
    """What the counters must equal: counted from the rows."""
    rows = await Support.raw(
        "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN account.verified_resident OR account.verified_organisation"
        " THEN 1 ELSE 0 END), 0) AS verified FROM support JOIN account ON account.id = support.account"
        " WHERE support.idea = {}",
        idea_id,
    )
    return int(rows[0]["total"]), int(rows[0]["verified"])


async def verify(accounts: list[Account], events, **flags) -> None:
    for account in accounts:
        await set_verification(account.id, events=events, **(flags or {"resident": True}))
        account.verified_resident = flags.get("resident", True)
        account.verified_organisation = flags.get("organisation", False)


async def test_a_support_counts_as_verified_only_from_a_verified_account(settings, idea, events):
    supporters = [a for a, _ in await make_supporters(settings, 3)]
    await verify(supporters[:1], events)
    await verify(supporters[1:2], events, organisation=True)
    for account in supporters:
        await services.support_idea(settings, account, idea.id, events=events)
    assert await counts(idea.id) == (3, 2)
    outcome = await services.withdraw_support(settings, supporters[0], idea.id, events=events)
    assert (outcome.support_count, outcome.verified_support_count) == (2, 1)
    await services.withdraw_support(settings, supporters[2], idea.id, events=events)
    assert await counts(idea.id) == (1, 1)


async def test_verification_recounts_every_idea_the_account_supports(settings, author, events):
    ideas = [await publish_idea(settings, author, title=f"Idee nummer {i}") for i in range(3)]
    [(account, _), (other, _)] = await make_supporters(settings, 2)
    for idea in ideas[:2]:
        await services.support_idea(settings, account, idea.id, events=events)
    await services.support_idea(settings, other, ideas[2].id, events=events)

    assert await set_verification(account.id, resident=True, events=events)
    assert [await counts(i.id) for i in ideas] == [(1, 1), (1, 1), (1, 0)]
    # Resident and organisation at once is still one verified supporter; dropping one flag keeps it verified.
    await set_verification(account.id, organisation=True, events=events)
    await set_verification(account.id, resident=False, events=events)
    assert [await counts(i.id) for i in ideas] == [(1, 1), (1, 1), (1, 0)]
    await set_verification(account.id, organisation=False, events=events)
    assert [await counts(i.id) for i in ideas] == [(1, 0), (1, 0), (1, 0)]


async def test_the_recount_rolls_back_with_the_verification(settings, idea, events):
    [(account, _)] = await make_supporters(settings, 1)
    await services.support_idea(settings, account, idea.id, events=events)
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await set_verification(account.id, resident=True, events=events)
            assert await counts(idea.id) == (1, 1)  # inside the transaction of the change
            raise RuntimeError("the caller's next step failed")
    assert await counts(idea.id) == (1, 0)
    assert not (await Account.objects().get(Account.id == account.id)).verified_resident


async def test_a_merge_moves_the_verified_supports_with_the_others(settings, author, events):
    source, target = await publish_idea(settings, author), await publish_idea(settings, author, title="Het origineel")
    supporters = [a for a, _ in await make_supporters(settings, 4)]
    await verify(supporters[:2], events)
    for account in supporters[:3]:
        await services.support_idea(settings, account, source.id, events=events)
    for account in supporters[1:]:  # two of them support both: they count once
        await services.support_idea(settings, account, target.id, events=events)
    await services.merge_ideas(settings, source.id, target.id, events=events)
    assert await counts(target.id) == await true_counts(target.id) == (4, 2)
    assert await counts(source.id) == (0, 0)


async def test_supports_withdrawals_and_verifications_at_once_keep_the_count_true(settings, idea, events, client):
    """Through the app, interleaved: supports and withdrawals by the API while the same accounts are verified."""
    supporters = await make_supporters(settings, 24)
    for account, _ in supporters[12:]:
        await services.support_idea(settings, account, idea.id, events=events)

    async def verify_one(account: Account) -> None:
        await set_verification(account.id, resident=True, events=events)

    calls = []
    for i, (account, headers) in enumerate(supporters):
        url = f"/api/v1/ideas/{idea.id}/support"
        calls.append(client.put(url, headers=headers) if i < 12 else client.delete(url, headers=headers))
        if i % 2 == 0:
            calls.append(verify_one(account))
    results = await asyncio.gather(*calls)
    assert all(r is None or r.status_code == 200 for r in results)
    assert await counts(idea.id) == await true_counts(idea.id) == (12, 6)


async def test_the_idea_page_list_and_api_give_both_figures(client, settings, idea, events):
    supporters = [a for a, _ in await make_supporters(settings, 3)]
    await verify(supporters[:2], events)
    for account in supporters:
        await services.support_idea(settings, account, idea.id, events=events)

    dutch_page = (await client.get(f"/ideas/{idea.id}")).text
    assert "3 steunbetuigingen, waarvan 2 van geverifieerde inwoners en organisaties" in dutch_page
    english_page = (await client.get(f"/ideas/{idea.id}?lang=en")).text
    assert "3 supports, 2 from verified residents and organisations" in english_page
    # The city counts every support here: the bar follows all three.
    assert "3 supports of the 100 needed" in english_page
    assert "3 supports, 2 from verified" in (await client.get("/ideas?lang=en")).text
    item = (await client.get("/api/v1/ideas")).json()["items"][0]
    assert (item["support_count"], item["verified_support_count"]) == (3, 2)
    detail = (await client.get(f"/api/v1/ideas/{idea.id}")).json()
    assert (detail["support_count"], detail["verified_support_count"], detail["threshold_counts"]) == (3, 2, "all")
