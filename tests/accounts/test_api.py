"""The account API: personal access tokens, /api/v1/me, and problem details for every error."""

from __future__ import annotations

from participation.accounts.tables import ApiToken
from tests.helpers import PASSWORD, api_token, make_account

PROBLEM_JSON = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


async def test_token_for_right_credentials(client, settings):
    await make_account(settings, email="anna@example.org")

    response = await client.post("/api/v1/auth/token", json={"email": "Anna@example.org", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("pp_") and body["token_type"] == "bearer"
    stored = await ApiToken.select(ApiToken.token_hash).output(as_list=True)
    assert len(stored) == 1 and body["token"] not in stored, "only a hash of the token is stored"


async def test_wrong_credentials_give_401_problem_details(client, settings):
    await make_account(settings, email="anna@example.org")

    wrong = await client.post("/api/v1/auth/token", json={"email": "anna@example.org", "password": "not the password"})
    unknown = await client.post("/api/v1/auth/token", json={"email": "nobody@example.org", "password": PASSWORD})

    assert assert_problem(wrong, 401)["detail"] == "The email address or password is incorrect."
    assert assert_problem(unknown, 401)["detail"] == wrong.json()["detail"]


async def test_me_returns_the_tokens_account_without_email(client, settings):
    account = await make_account(
        settings, email="org@example.org", name="Joost", organisation="Lantaarn BV", kvk="12345678"
    )
    headers = await api_token(client, "org@example.org")

    response = await client.get("/api/v1/me", headers=headers)

    assert response.status_code == 200
    me = response.json()
    assert me["id"] == account.id
    assert me["display_name"] == "Joost"
    assert me["kind"] == "organisation"
    assert me["role"] == "member"
    assert "email" not in me and "org@example.org" not in response.text
    assert "kvk" not in response.text and "password" not in response.text


async def test_me_without_a_token_is_401_problem_details(client):
    body = assert_problem(await client.get("/api/v1/me"), 401)
    assert body["title"] == "Unauthorized"


async def test_me_with_an_invalid_token_is_401_problem_details(client, settings):
    await make_account(settings, email="anna@example.org")
    await api_token(client, "anna@example.org")
    for header in ("Bearer pp_not-a-real-token", "Basic YW5uYTpwdw==", "Bearer "):
        body = assert_problem(await client.get("/api/v1/me", headers={"Authorization": header}), 401)
        assert body["detail"], header


async def test_the_api_ignores_a_signed_in_session(client, settings):
    """Without a bearer token the API is anonymous, even with a session cookie: that is why it needs no CSRF token."""
    from tests.helpers import sign_in

    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org")
    assert (await client.get("/account")).status_code == 200
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_invalid_body_gives_400_with_per_field_errors(client):
    missing = await client.post("/api/v1/auth/token", json={"email": "anna@example.org"})
    body = assert_problem(missing, 400)
    assert "password" in body["errors"] and body["errors"]["password"]

    wrong_type = await client.post("/api/v1/auth/token", json={"email": 42, "password": PASSWORD})
    assert "email" in assert_problem(wrong_type, 400)["errors"]


async def test_malformed_json_gives_400_problem_details(client):
    response = await client.post(
        "/api/v1/auth/token", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert assert_problem(response, 400)["title"] == "Bad request"


async def test_unknown_api_path_is_404_problem_details(client):
    assert assert_problem(await client.get("/api/v1/no-such-thing"), 404)["title"] == "Not found"


async def test_openapi_schema_is_served_without_html_pages(client):
    response = await client.get("/api/v1/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/me" in paths and "/api/v1/auth/token" in paths
    assert "/login" not in paths and "/account/register" not in paths


async def test_api_write_with_a_bearer_token_needs_no_csrf_token(probe_client, settings):
    await make_account(settings, email="anna@example.org")
    await probe_client.get("/login")  # a CSRF cookie in the jar changes nothing
    headers = await api_token(probe_client, "anna@example.org")

    response = await probe_client.post("/api/v1/probe/participate", headers=headers)

    assert response.status_code == 201
    assert response.json() == {"ok": True}
