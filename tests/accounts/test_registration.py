"""Registration through the HTML form: residents, organisations, and the field errors."""

from __future__ import annotations

import pytest

from participation.accounts.tables import Account
from tests.accounts.tools import account_count, dutch, field_error, page_text
from tests.helpers import PASSWORD, post_form

KVK_RULE = "A KvK number is exactly 8 digits."
TOO_SHORT = "Use at least 12 characters."
TOO_COMMON = "This password is too common; choose one that is harder to guess."


def resident_form(**overrides) -> dict:
    return {
        "kind": "resident",
        "display_name": "Fatima",
        "email": "fatima@example.org",
        "password": PASSWORD,
        "neighbourhood": "palenstein",
        **overrides,
    }


def organisation_form(**overrides) -> dict:
    return {
        "kind": "organisation",
        "organisation_name": "Slimme Lantaarn BV",
        "kvk_number": "12345678",
        "contact_name": "Joost de Vries",
        "email": "info@slimmelantaarn.nl",
        "password": PASSWORD,
        **overrides,
    }


async def register(client, data: dict):
    form_page = "/account/register?kind=organisation" if data.get("kind") == "organisation" else "/account/register"
    return await post_form(client, "/account/register", data, form_page=form_page)


async def test_resident_registers_unverified_and_gets_a_verification_mail(client, outbox):
    response = await register(client, resident_form(email="Fatima@Example.org"))

    # Post/Redirect/Get: a reload of the result page does not post the form again.
    assert response.status_code == 303
    assert response.headers["location"] == "/account/register/sent"
    sent = await client.get("/account/register/sent")
    assert "fatima@example.org" in sent.text  # the "check your email" page names the address
    account = await Account.objects().get(Account.email == "fatima@example.org")
    assert account is not None, "email is stored lower-cased"
    assert (account.kind, account.display_name, account.neighbourhood) == ("resident", "Fatima", "palenstein")
    assert account.role == "member"
    assert account.email_verified_at is None
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
    assert [m.to for m in outbox] == ["fatima@example.org"]
    assert "/account/verify/" in outbox[0].body


async def test_organisation_registers_with_kvk_number(client, outbox):
    response = await register(client, organisation_form(kvk_number="1234 5678"))

    assert response.status_code == 303
    account = await Account.objects().get(Account.email == "info@slimmelantaarn.nl")
    assert account.kind == "organisation"
    assert account.organisation_name == "Slimme Lantaarn BV"
    assert account.kvk_number == "12345678"
    assert account.display_name == "Joost de Vries"
    assert len(outbox) == 1


async def test_organisation_form_is_offered(client):
    page = await client.get("/account/register?kind=organisation")
    assert page.status_code == 200
    assert 'name="kvk_number"' in page.text and 'name="organisation_name"' in page.text
    assert 'value="organisation"' in page.text


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234abcd", "", "12-345678"])
async def test_kvk_number_must_be_exactly_eight_digits(client, outbox, kvk):
    response = await register(client, organisation_form(kvk_number=kvk))

    assert response.status_code == 422
    assert field_error(response, "kvk_number") == dutch(KVK_RULE)
    assert 'name="organisation_name"' in response.text, "the organisation form is shown again"
    assert 'value="Slimme Lantaarn BV"' in response.text, "the person's input is kept"
    assert await account_count() == 0
    assert outbox == []


async def test_password_shorter_than_twelve_characters_is_refused(client, outbox):
    response = await register(client, resident_form(password="kort-maar-x"))  # 11 characters

    assert response.status_code == 422
    assert field_error(response, "password") == dutch(TOO_SHORT)
    assert "kort-maar-x" not in response.text, "a password is never echoed back"
    assert await account_count() == 0
    assert outbox == []


@pytest.mark.parametrize("password", ["passwordpassword", "wachtwoord123", "Zoetermeer2024", "abcabcabcabc"])
async def test_common_password_is_refused(client, outbox, password):
    response = await register(client, resident_form(password=password))

    assert response.status_code == 422
    assert field_error(response, "password") == dutch(TOO_COMMON)
    assert await account_count() == 0


async def test_missing_fields_are_reported_per_field(client):
    response = await register(client, {"kind": "resident", "display_name": "", "email": "not-an-email", "password": ""})

    assert response.status_code == 422
    assert field_error(response, "display_name") == dutch("Use at least %(min)s characters.", min=2)
    assert field_error(response, "email") == dutch("Enter a valid email address.")
    assert field_error(response, "password") == dutch(TOO_SHORT)
    assert dutch("Please correct the following") in page_text(response), "an error summary leads the form"
    assert await account_count() == 0


async def test_unknown_neighbourhood_is_refused(client):
    response = await register(client, resident_form(neighbourhood="atlantis"))
    assert response.status_code == 422
    assert field_error(response, "neighbourhood") == dutch("Choose a neighbourhood from the list.")
    assert await account_count() == 0


async def test_duplicate_email_differing_only_in_case_answers_as_for_a_new_one(client, outbox):
    """No account discovery: the form answers as for a new address; the owner hears of it by mail."""
    first = await register(client, resident_form(email="fatima@example.org"))
    assert first.status_code == 303
    outbox.clear()

    response = await register(client, resident_form(email="FATIMA@Example.ORG", display_name="Someone else"))

    assert (response.status_code, response.headers["location"]) == (303, first.headers["location"])
    assert await account_count() == 1
    assert [m.to for m in outbox] == ["fatima@example.org"], "a mail to the existing account's owner"
    assert "/account/verify" not in outbox[0].body
    assert "/account/forgot" in outbox[0].body and "/login" in outbox[0].body


async def test_duplicate_organisation_email_creates_nothing(client, outbox):
    assert (await register(client, organisation_form())).status_code == 303
    response = await register(client, organisation_form(email="INFO@slimmelantaarn.nl", kvk_number="87654321"))
    assert response.status_code == 303
    assert await account_count() == 1
    assert [m.to for m in outbox] == ["info@slimmelantaarn.nl"] * 2
