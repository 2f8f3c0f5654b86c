"""A KvK number belongs to one organisation account: normalised, unique, refused clearly when taken."""

from __future__ import annotations

import asyncio
import importlib
from collections import Counter

import pytest

from participation.accounts import services
from participation.accounts.kvk import KVK_TAKEN
from participation.accounts.tables import Account
from participation.database import is_unique_violation
from participation.validation import FormErrors
from tests.accounts.test_registration import organisation_form, register
from tests.accounts.tools import dutch, field_error
from tests.helpers import PASSWORD, csrf_from, make_account


async def test_a_taken_kvk_number_is_refused_however_it_is_typed(client, settings, outbox):
    await make_account(settings, email="first@lab.example", name="Eva", organisation="Lab B.V.", kvk="12345678")
    response = await register(client, organisation_form(kvk_number="12.34.56.78", email="second@lab.example"))

    assert response.status_code == 422
    assert field_error(response, "kvk_number") == dutch(KVK_TAKEN)
    assert 'value="Slimme Lantaarn BV"' in response.text, "the person's input is kept"
    assert await Account.count().where(Account.kvk_number == "12345678") == 1
    assert outbox == []


async def test_an_address_with_an_account_still_gets_the_same_answer_as_any_other(client, settings, outbox):
    """The address check comes first: a taken KvK number must not reveal whether an address has an account."""
    await make_account(settings, email="first@lab.example", name="Eva", organisation="Lab B.V.", kvk="12345678")
    response = await register(client, organisation_form(kvk_number="12345678", email="first@lab.example"))
    assert response.status_code == 303
    assert [m.to for m in outbox] == ["first@lab.example"]  # "you already have an account"


async def test_staff_created_accounts_are_refused_a_taken_number_too(settings):
    await services.create_account(
        settings, email="a@lab.example", name="Eva", password=PASSWORD, organisation="Lab", kvk="87654321"
    )
    with pytest.raises(FormErrors) as refused:
        await services.create_account(
            settings, email="b@lab.example", name="Ruben", password=PASSWORD, organisation="Lab 2", kvk="8765 4321"
        )
    assert refused.value.errors["kvk_number"].msgid == KVK_TAKEN


async def test_the_database_refuses_a_second_account_with_the_same_number(settings):
    """The unique index, not only the check: written past the services, the second row fails."""
    await make_account(settings, email="a@lab.example", name="Eva", organisation="Lab", kvk="11223344")
    with pytest.raises(Exception) as failed:
        await Account(email="b@lab.example", password_hash="x", display_name="B", kvk_number="11223344").save()
    assert is_unique_violation(failed.value)
    # Residents have none, and NULLs never collide.
    await make_account(settings, email="r1@example.org", name="R1")
    await make_account(settings, email="r2@example.org", name="R2")
    assert await Account.count().where(Account.kvk_number.is_null()) >= 2


async def test_concurrent_registrations_with_one_kvk_number_one_wins_the_others_are_told(client, outbox):
    token = csrf_from((await client.get("/account/register?kind=organisation")).text)

    async def register_as(i: int):
        return await client.post(
            "/account/register",
            data={
                "_csrf_token": token,
                **organisation_form(email=f"org{i}@lab.example", kvk_number="5566 7788" if i % 2 else "55667788"),
            },
        )

    responses = await asyncio.gather(*(register_as(i) for i in range(8)))

    assert Counter(r.status_code for r in responses) == {303: 1, 422: 7}  # no 500
    assert all(field_error(r, "kvk_number") == dutch(KVK_TAKEN) for r in responses if r.status_code == 422)
    holders = await Account.select(Account.email).where(Account.kvk_number == "55667788")
    assert len(holders) == 1
    assert [m.to for m in outbox] == [holders[0]["email"]]  # only the winner got a confirmation mail


async def test_the_migration_keeps_a_duplicated_number_on_the_oldest_account(settings):
    """What the unique index's migration does with data from before it (none in the demo)."""
    migration = importlib.import_module("participation.accounts.piccolo_migrations.accounts_2026_11_29t13_20_00_000000")
    engine = Account._meta.db
    await engine.run_ddl("DROP INDEX account_kvk_number_uniq")
    older = await make_account(settings, email="a@lab.example", name="Eva", organisation="Lab", kvk="12345678")
    newer = await make_account(settings, email="b@lab.example", name="Ruben", organisation="Lab 2", kvk="87654321")
    resident = await make_account(settings, email="r@example.org", name="Noor")
    await Account.update({Account.kvk_number: "12345678"}).where(Account.id == newer.id)
    await Account.update({Account.kvk_number: ""}).where(Account.id == resident.id)

    for statement in migration.FORWARDS:
        await engine.run_ddl(statement)

    rows = {r["id"]: r["kvk_number"] for r in await Account.select(Account.id, Account.kvk_number)}
    assert (rows[older.id], rows[newer.id], rows[resident.id]) == ("12345678", None, None)
    with pytest.raises(Exception) as failed:
        await Account.update({Account.kvk_number: "12345678"}).where(Account.id == newer.id)
    assert is_unique_violation(failed.value)
