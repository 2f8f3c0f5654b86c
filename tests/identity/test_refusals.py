"""What the app refuses from a provider, with a clear message and nothing stored: a token from another
issuer, signed with a key the provider does not publish, expired, or with another nonce; a replayed
callback; a subject already linked to another account, also when two accounts race for it."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from urllib.parse import urljoin

import httpx
import pytest

from participation.accounts.identity.tables import IdentityLink
from participation.accounts.tables import Account
from participation.app import create_app
from participation.city_identity import SignInConfig
from tests.accounts.tools import dutch, page_text
from tests.helpers import make_account, sign_in
from tests.identity.conftest import APP
from tests.identity.flow import account, link_from_account, links, press, refusals, sign_in_with, to_provider_and_back

UNTRUSTED = "The answer from %(provider)s could not be trusted (%(reason)s). Nothing was stored; start again."
USED = "This sign-in has expired or was already used. Nothing was stored; start again."
IN_ZOETERMEER = {"postal_code": "2712 AB", "acr": "loa3"}


def _misbehave(behaviour, how: str, issuer: str) -> None:
    if how == "issuer":
        behaviour.issuer = "http://127.0.0.1:1/another-provider"
    elif how == "signature":
        behaviour.foreign_key = True
    elif how == "expired":
        behaviour.expires_in = -120  # beyond the minute of clock leeway
    elif how == "nonce":
        behaviour.nonce = "a-nonce-from-another-sign-in"


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("issuer", "wrong issuer"),
        ("signature", "invalid signature"),
        ("expired", "expired"),
        ("nonce", "it does not belong to this sign-in"),
    ],
)
async def test_an_untrusted_id_token_signs_no_one_in_and_stores_nothing(
    client, behaviour, identity_provider, how, reason
):
    behaviour.claims = {**IN_ZOETERMEER, "email": "noor@example.org"}
    _misbehave(behaviour, how, identity_provider.issuer)
    accounts_before = await Account.count()

    page = await sign_in_with(client)
    assert page.status_code == 400
    assert dutch(UNTRUSTED, provider="Digid", reason=dutch(reason)) in page_text(page)
    assert page.request.url.path == "/login/oidc/callback"
    assert await IdentityLink.count() == 0 and await Account.count() == accounts_before
    assert (await client.get("/account")).status_code in (302, 303, 401)  # not signed in
    assert (await client.get("/account/identity/sign-up")).status_code == 303  # no sign-up pending either
    [logged] = await refusals()
    assert logged == f"digid: {how}"


async def test_an_untrusted_token_does_not_verify_a_signed_in_account(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    behaviour.foreign_key = True
    await make_account(settings, email="noor@example.org", name="Noor")
    await sign_in(client, "noor@example.org")

    page = await link_from_account(client)
    assert page.status_code == 400
    assert await links() == [] and not (await account("noor@example.org")).verified_resident


async def test_a_replayed_callback_is_refused(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    await make_account(settings, email="noor@example.org", name="Noor")
    await sign_in(client, "noor@example.org")
    back = await to_provider_and_back(client, await press(client, "/account", "/account/identity/digid/link"))
    callback = str(back.request.url)
    assert back.is_redirect and await IdentityLink.count() == 1

    again = await client.get(callback)
    assert again.status_code == 400 and dutch(USED) in page_text(again)
    # In another browser too (an eavesdropped link): that session never started this flow.
    async with httpx.AsyncClient(transport=client._transport, base_url=APP) as other:
        elsewhere = await other.get(callback)
    assert elsewhere.status_code == 400 and dutch(USED) in page_text(elsewhere)
    assert await IdentityLink.count() == 1
    assert len(await refusals()) == 2


async def test_an_expired_flow_is_refused(client, behaviour, monkeypatch):
    """A person who comes back from the provider after the flow's lifetime starts again."""
    from participation.accounts.identity import pages

    behaviour.claims = IN_ZOETERMEER
    monkeypatch.setattr(pages, "FLOW_SECONDS", -1)  # the flow started now ends at once
    page = await sign_in_with(client)
    assert page.status_code == 400 and dutch(USED) in page_text(page)
    assert await IdentityLink.count() == 0


async def test_two_accounts_racing_for_one_subject_verify_only_one(client, behaviour, settings, identity_provider):
    """The unique index on the subject's hash decides, whatever the interleaving."""
    behaviour.claims = IN_ZOETERMEER
    browsers = []
    for n in range(2):
        email = f"racer{n}@example.org"
        await make_account(settings, email=email, name=f"Racer {n}")
        browser = httpx.AsyncClient(
            transport=client._transport,
            mounts={identity_provider.issuer: httpx.AsyncHTTPTransport()},
            base_url=APP,
        )
        await sign_in(browser, email)
        started = await press(browser, "/account", "/account/identity/digid/link")
        approved = await browser.get(started.headers["location"])  # the provider sends the browser back
        browsers.append((browser, urljoin(str(approved.request.url), approved.headers["location"])))

    answers = await asyncio.gather(*(browser.get(callback) for browser, callback in browsers))
    for browser, _ in browsers:
        await browser.aclose()

    assert sorted(a.status_code for a in answers) == [303, 409]
    [link] = await links()
    verified = await Account.select(Account.email).where(Account.verified_resident.eq(True))
    assert [row["email"] for row in verified] == [(await Account.objects().get(Account.id == link["account"])).email]


async def test_an_unreachable_provider_is_named_and_nothing_starts(client, settings):
    """The broker is down: the person is told, and no flow is left in the session."""
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = replace(settings.city.sign_in.providers[0], issuer=f"http://127.0.0.1:{port}")
    app_settings = replace(settings, city=replace(settings.city, sign_in=SignInConfig(providers=(down,))))
    app = create_app(app_settings)
    async with app.lifespan():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=APP) as browser:
            page = await press(browser, "/login", "/login/oidc/digid")
    assert page.status_code == 502
    assert dutch("%(provider)s cannot be reached at the moment. Try again later.", provider="Digid") in page_text(page)
    [logged] = await refusals()
    assert logged.startswith("digid: discovery")


async def test_a_state_with_any_characters_is_refused_cleanly(client, behaviour):
    await press(client, "/login", "/login/oidc/digid")
    page = await client.get("/login/oidc/callback", params={"state": "ĳsbeer🙂", "code": "x"})
    assert page.status_code == 400 and dutch(USED) in page_text(page)
