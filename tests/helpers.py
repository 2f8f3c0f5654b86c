"""Drive the app as a browser would: forms with their CSRF token, mail links, sign-in."""

from __future__ import annotations

import re
from html import unescape

from participation.accounts import services, two_factor
from participation.accounts.permissions import is_staff
from participation.accounts.tables import Account, Role
from participation.settings import Settings
from tests.sign_in_codes import STAFF_TOTP_SECRET, code_after, sign_in_code

PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


async def post_form(client, url: str, data: dict, form_page: str | None = None):
    """GET the page holding the form (for its CSRF token), then POST the form."""
    page = await client.get(form_page or url)
    return await client.post(url, data={**data, "_csrf_token": csrf_from(page.text)})


def link_from(mail_body: str, path: str) -> str:
    # Account links carry the token as a path segment (/account/reset/<token>), others as ?token=.
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"(?:/|\?token=)[^\s]+)", mail_body)
    assert match, f"no {path} link in mail"
    return unescape(match.group(1))


async def make_account(
    settings: Settings,
    email: str = "resident@example.org",
    name: str = "Resident",
    role: Role = Role.member,
    verified: bool = True,
    **extra,
) -> Account:
    account = await services.create_account(settings, email=email, name=name, password=PASSWORD, role=role, **extra)
    if not verified:
        account.email_verified_at = None
        await account.save([Account.email_verified_at])
    if is_staff(account):  # staff cannot work without a second factor: enrolled as if with an app
        await two_factor.set_up(account, STAFF_TOTP_SECRET)
    return account


async def sign_in(client, email: str, password: str = PASSWORD, remember: bool = False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "on"
    response = await post_form(client, "/login", data)
    assert response.status_code in (200, 302), response.text[:500]
    if response.headers.get("location") == "/login/code":  # the second step, with the app's code
        response = await post_form(client, "/login/code", {"code": await sign_in_code(email)})
        assert response.status_code == 302, response.text[:500]
    elif response.headers.get("location") == "/login/enrol":  # staff without an app yet: type in the key shown
        page = await client.get("/login/enrol")
        code = code_after(secret_on(page.text), last_used_step=0)
        response = await client.post("/login/enrol", data={"code": code, "_csrf_token": csrf_from(page.text)})
        assert response.status_code == 200 and "recovery-codes" in response.text, response.text[:500]
    return response


def secret_on(html: str) -> str:
    """The key an enrolment page shows for typing into an app."""
    match = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', html)
    assert match, "no key on the enrolment page"
    return match.group(1).replace(" ", "")


async def api_token(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    body = {"email": email, "password": password}
    if code := await sign_in_code(email):
        body["code"] = code
    response = await client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
