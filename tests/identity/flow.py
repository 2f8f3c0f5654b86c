"""Driving the OpenID Connect flow as a browser does: press the button, follow the redirects
to the provider and back, and look at what was (or was not) stored."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser

from participation.accounts.identity.tables import IdentityLink
from participation.accounts.tables import Account, SecurityEvent
from tests.forms import form_on

ACCOUNT_PAGE = "/account"


async def press(client: httpx.AsyncClient, page: str, action: str) -> httpx.Response:
    """Load `page` and follow its link (sign in, link) to `action`, or submit its form there (unlink)."""
    shown = await client.get(page)
    assert shown.status_code == 200, f"GET {page} answered {shown.status_code}"
    links = [a.attributes.get("href") or "" for a in LexborHTMLParser(shown.text).css("a")]
    target = next((href for href in links if urlsplit(href).path == action), None)
    if target is not None:
        return await client.get(urljoin(str(shown.url), target))
    return await form_on(shown, action=action).submit(client)


async def to_provider_and_back(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """Follow redirects until the provider has sent the browser back; returns the app's callback redirect
    (or page) without following it further, so a test can replay the callback URL."""
    for _ in range(5):
        if not response.is_redirect:
            return response
        target = urljoin(str(response.request.url), response.headers["location"])
        response = await client.get(target)
        if response.request.url.path == "/login/oidc/callback":
            return response
    raise AssertionError("the flow did not come back to the callback")


async def settle(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """Follow the app's own redirects to the page shown."""
    for _ in range(5):
        if not response.is_redirect:
            return response
        response = await client.get(urljoin(str(response.request.url), response.headers["location"]))
    raise AssertionError("too many redirects")


async def sign_in_with(client: httpx.AsyncClient, slug: str = "digid") -> httpx.Response:
    """The whole flow from the sign-in page; returns the page shown at the end."""
    started = await press(client, "/login", f"/login/oidc/{slug}")
    return await settle(client, await to_provider_and_back(client, started))


async def link_from_account(client: httpx.AsyncClient, slug: str = "digid") -> httpx.Response:
    back = await to_provider_and_back(client, await press(client, ACCOUNT_PAGE, f"/account/identity/{slug}/link"))
    return await settle(client, back)


async def links() -> list[dict]:
    return await IdentityLink.select().order_by(IdentityLink.id)


async def account(email: str) -> Account:
    found = await Account.objects().get(Account.email == email)
    assert found is not None, f"no account {email}"
    return found


async def log_kinds(account_id: int | None = None) -> list[str]:
    query = SecurityEvent.select(SecurityEvent.kind, SecurityEvent.detail).order_by(SecurityEvent.id)
    if account_id is not None:
        query = query.where(SecurityEvent.account == account_id)
    return [row["kind"] for row in await query]


async def refusals() -> list[str]:
    rows = await SecurityEvent.select(SecurityEvent.detail).where(SecurityEvent.kind == "identity_refused")
    return [row["detail"] for row in rows]
