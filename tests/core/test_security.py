"""App-wide protections: CSRF on forms, security headers, and no email on public pages."""

from __future__ import annotations

from participation.accounts.tables import Account
from tests.helpers import PASSWORD, api_token, csrf_from, make_account, post_form, sign_in


async def test_form_post_without_csrf_token_is_refused(client, settings):
    await make_account(settings, email="anna@example.org")
    await client.get("/login")  # the browser holds the CSRF cookie; only the form field is missing

    login = await client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    register = await client.post(
        "/account/register",
        data={"kind": "resident", "display_name": "Eve", "email": "eve@example.org", "password": PASSWORD},
    )
    forged = await client.post(
        "/login", data={"email": "anna@example.org", "password": PASSWORD, "_csrf_token": "forged"}
    )

    for response in (login, register, forged):
        assert response.status_code == 403
        assert '<html lang="nl"' in response.text, "the refusal is a page in the site layout"
    assert await Account.count().where(Account.email == "eve@example.org") == 0
    assert (await client.get("/account")).status_code in (302, 303), "not signed in"


async def test_sign_out_needs_the_csrf_token(client, settings):
    await make_account(settings, email="anna@example.org")
    await sign_in(client, "anna@example.org")
    assert (await client.post("/logout")).status_code == 403
    assert (await client.get("/account")).status_code == 200, "a cross-site form cannot sign someone out"


async def test_csrf_token_from_one_browser_does_not_work_in_another(client, settings):
    from tests.accounts.tools import another_browser

    await make_account(settings, email="anna@example.org")
    token = csrf_from((await client.get("/login")).text)
    async with another_browser(client) as other:
        await other.get("/login")
        response = await other.post(
            "/login", data={"email": "anna@example.org", "password": PASSWORD, "_csrf_token": token}
        )
    assert response.status_code == 403


async def test_api_needs_no_csrf_token(client, settings):
    await make_account(settings, email="anna@example.org")
    await client.get("/login")  # even with a CSRF cookie in the jar
    headers = await api_token(client, "anna@example.org")  # a POST without any CSRF token
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200


async def test_security_headers_on_a_page(client):
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";")}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers, "only in production"


async def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/login", "/account/register", "/account/register?kind=organisation", "/account/forgot"):
        html = (await client.get(path)).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html, path


async def test_security_headers_on_errors_and_api(client):
    for response in (await client.get("/no-such-page"), await client.get("/api/v1/me")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_email_never_on_public_pages_or_the_public_api(client, settings):
    response = await post_form(
        client,
        "/account/register",
        {"kind": "resident", "display_name": "Fatima", "email": "fatima@example.org", "password": PASSWORD},
    )
    assert response.status_code == 303
    account = await Account.objects().get(Account.email == "fatima@example.org")
    account.email_verified_at = account.created_at
    await account.save([Account.email_verified_at])
    await sign_in(client, "fatima@example.org")

    signed_in_home = await client.get("/")
    assert "Fatima" in signed_in_home.text, "the display name is public"
    assert "fatima@example.org" not in signed_in_home.text
    await post_form(client, "/logout", {}, form_page="/")
    assert "fatima@example.org" not in (await client.get("/")).text
    headers = await api_token(client, "fatima@example.org")
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert "email" not in me and "fatima@example.org" not in str(me)


async def test_error_pages_use_the_site_layout(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="nl"' in response.text and 'href="/privacy"' in response.text
