"""set_verification: the flags change only through it, and each change is announced once, in the transaction."""

from __future__ import annotations

import pytest

from participation.accounts.events import VerificationChanged
from participation.accounts.tables import Account
from participation.accounts.verification import set_verification
from participation.database import write_transaction
from participation.lib.events import DomainEvents
from tests.helpers import make_account


def recording() -> tuple[DomainEvents, list[VerificationChanged]]:
    seen: list[VerificationChanged] = []

    async def record(event: VerificationChanged) -> None:
        seen.append(event)

    return DomainEvents({VerificationChanged: (record,)}), seen


async def flags(account_id: int) -> dict:
    return (
        await Account.select(Account.verified_resident, Account.verified_organisation, Account.verified_at)
        .where(Account.id == account_id)
        .first()
    )


async def test_verifying_sets_the_flag_and_announces_the_change(settings):
    account = await make_account(settings)
    events, seen = recording()
    assert await set_verification(account.id, resident=True, events=events) is True
    row = await flags(account.id)
    assert row["verified_resident"] is True and row["verified_organisation"] is False
    assert row["verified_at"] is not None
    assert seen == [VerificationChanged(account.id, True, False, False, False)]


async def test_an_unchanged_verification_is_not_announced(settings):
    account = await make_account(settings)
    events, seen = recording()
    await set_verification(account.id, resident=True, events=events)
    assert await set_verification(account.id, resident=True, organisation=False, events=events) is False
    assert len(seen) == 1


async def test_withdrawing_the_last_verification_clears_the_time(settings):
    account = await make_account(settings)
    events, seen = recording()
    await set_verification(account.id, organisation=True, events=events)
    await set_verification(account.id, organisation=False, events=events)
    row = await flags(account.id)
    assert row["verified_organisation"] is False and row["verified_at"] is None
    assert seen[-1] == VerificationChanged(account.id, False, False, False, True)


async def test_a_failing_reaction_rolls_the_change_back(settings):
    account = await make_account(settings)

    async def refuse(event: VerificationChanged) -> None:
        raise RuntimeError("recount failed")

    with pytest.raises(RuntimeError):
        async with write_transaction():
            await set_verification(account.id, resident=True, events=DomainEvents({VerificationChanged: (refuse,)}))
    assert (await flags(account.id))["verified_resident"] is False


async def test_an_unknown_account_is_an_error(settings):
    events, _ = recording()
    with pytest.raises(LookupError):
        await set_verification(999_999, resident=True, events=events)
