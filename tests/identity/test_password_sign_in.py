"""`password_sign_in = false`: residents sign up and in with a login service; organisations and city
staff keep their passwords (an organisation links eHerkenning to its account, staff add their code)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from participation.accounts.tables import Account, Role
from tests.accounts.tools import dutch, page_text
from tests.forms import form_on, open_form
from tests.helpers import PASSWORD, make_account, sign_in

REFUSAL = "Residents sign in and sign up with %(services)s here, not with a password."


@pytest.fixture
def settings(settings):
    city = settings.city
    return replace(settings, city=replace(city, sign_in=replace(city.sign_in, password_sign_in=False)))


async def test_a_resident_is_sent_to_the_login_service(client, settings):
    await make_account(settings, email="noor@example.org", name="Noor")
    form = await open_form(client, "/login", action="/login")
    form.fill(email="noor@example.org", password=PASSWORD)
    page = await form.submit(client)
    assert page.status_code == 403
    assert dutch(REFUSAL, services="Digid") in page_text(page)
    assert (await client.get("/account")).status_code in (302, 303, 401)


async def test_organisations_and_staff_keep_their_passwords(client, settings):
    await make_account(settings, email="info@lantaarn.example", name="Sam", organisation="Lantaarn", kvk="12345678")
    await make_account(settings, email="editor@example.org", name="Redactie", role=Role.editor)
    await sign_in(client, "info@lantaarn.example")
    assert (await client.get("/account")).status_code == 200
    client.cookies.clear()
    await sign_in(client, "editor@example.org")
    assert (await client.get("/account")).status_code == 200


async def test_residents_sign_up_with_a_login_service_only(client):
    page = await client.get("/account/register")
    assert 'href="/login/oidc/digid"' in page.text
    assert 'action="/account/register"' not in page.text
    organisation = await client.get("/account/register?kind=organisation")
    assert form_on(organisation, action="/account/register")

    form = form_on(organisation, action="/account/register")
    response = await client.post(
        "/account/register",
        data={**dict(form.data()), "kind": "resident", "display_name": "Noor", "email": "n@example.org"}
        | {"password": PASSWORD},
    )
    assert response.status_code == 403
    assert await Account.count() == 0


async def test_a_resident_gets_no_api_token_with_a_password_either(client, settings):
    """The rule is the sign-in's own, so the token endpoint keeps it too; an organisation still gets one."""
    await make_account(settings, email="noor@example.org", name="Noor")
    refused = await client.post("/api/v1/auth/token", json={"email": "noor@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    await make_account(settings, email="info@lantaarn.example", name="Sam", organisation="Lantaarn", kvk="12345678")
    issued = await client.post("/api/v1/auth/token", json={"email": "info@lantaarn.example", "password": PASSWORD})
    assert issued.status_code == 201
