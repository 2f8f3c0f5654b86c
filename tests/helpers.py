"""Drive the app as a browser would: forms with their CSRF token, mail links, sign-in."""

from __future__ import annotations

import re
from html import unescape

from participation.accounts import services
from participation.accounts.tables import Account, Role
from participation.settings import Settings

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
    return account


async def sign_in(client, email: str, password: str = PASSWORD, remember: bool = False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "on"
    response = await post_form(client, "/login", data)
    assert response.status_code in (200, 302), response.text[:500]
    return response


async def api_token(client, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
