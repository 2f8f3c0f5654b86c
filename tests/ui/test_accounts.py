"""Signing up as a new person meets it: KvK numbers as people type them, a result page, a kept form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from participation.accounts.tables import Account
from tests.accounts.tools import field_error
from tests.helpers import PASSWORD, post_form
from tests.ui.page import Page

pytestmark = pytest.mark.anyio


def organisation(**overrides) -> dict:
    return {
        "kind": "organisation",
        "organisation_name": "Slimme Lantaarn BV",
        "kvk_number": "12345678",
        "contact_name": "Joost de Vries",
        "email": "info@slimmelantaarn.nl",
        "password": PASSWORD,
        **overrides,
    }


async def test_kvk_number_with_spaces_fits_the_field_and_is_normalised(client):
    page = Page((await client.get("/account/register?kind=organisation")).text)
    # maxlength=8 cut "12 34 56 78" to "12 34 56" as it was typed.
    assert int(page.by_id("f-kvk_number").attrs["maxlength"]) >= len("12 34 56 78")
    response = await post_form(
        client, "/account/register", organisation(kvk_number="12 34 56 78"), "/account/register?kind=organisation"
    )
    assert response.status_code == 303
    account = await Account.objects().get(Account.email == "info@slimmelantaarn.nl")
    assert account.kvk_number == "12345678"


async def test_kvk_number_of_zeros_is_refused(client):
    response = await post_form(
        client, "/account/register", organisation(kvk_number="0000 0000"), "/account/register?kind=organisation"
    )
    assert response.status_code == 422
    assert "00000000 is geen KvK-nummer" in field_error(response, "kvk_number")
    assert await Account.count() == 0


async def test_sign_up_redirects_to_a_page_saying_the_mail_was_sent(client, outbox):
    form = {"kind": "resident", "display_name": "Noor", "email": "noor@example.org", "password": PASSWORD}
    response = await post_form(client, "/account/register", form)
    assert response.status_code == 303 and response.headers["location"] == "/account/register/sent"
    sent = await client.get(response.headers["location"])
    assert sent.status_code == 200
    assert "noor@example.org" in sent.text and "noor@example.org" not in response.headers["location"]
    assert len(outbox) == 1


@pytest.fixture
def settings(settings):
    return replace(settings, rate_limits=replace(settings.rate_limits, registration=1, comment=1))


async def test_the_rate_limit_page_keeps_what_was_typed(client):
    form = {"kind": "resident", "display_name": "Noor van Dijk", "email": "not-an-address", "password": PASSWORD}
    assert (await post_form(client, "/account/register", form)).status_code == 422
    limited = await post_form(client, "/account/register", {**form, "email": "noor@example.org"})
    assert limited.status_code == 429
    page = Page(limited.text)
    retry = page.one("form", action="/account/register")
    hidden = {e.attrs["name"]: e.attrs["value"] for e in page.find_all("input", type="hidden")}
    assert hidden["display_name"] == "Noor van Dijk" and hidden["email"] == "noor@example.org"
    assert hidden["kind"] == "resident" and hidden["_csrf_token"]
    assert PASSWORD not in limited.text, "a password is asked again, never echoed"
    assert page.one("input", name="password").attrs["type"] == "password"
    assert retry.attrs["method"] == "post"
