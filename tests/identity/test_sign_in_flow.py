"""Signing up, signing in and linking with a real OpenID Connect provider (tests/identity/provider.py).

The whole authorization-code flow runs: the app's button, the provider's authorization endpoint,
the callback, the token exchange with PKCE, the ID token's checks against the provider's JWKS.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from participation.accounts.identity.tables import IdentityLink
from participation.accounts.tables import AccountKind, Role
from tests.accounts.tools import dutch, page_text
from tests.forms import form_on
from tests.helpers import make_account, sign_in
from tests.identity.flow import (
    account,
    link_from_account,
    links,
    log_kinds,
    press,
    settle,
    sign_in_with,
    to_provider_and_back,
)

IN_ZOETERMEER = {"postal_code": "2712 AB", "acr": "urn:etoegang:core:assurance-class:loa3", "email": "noor@example.org"}


async def test_sign_up_with_digid_creates_a_verified_resident_and_keeps_only_the_minimum(client, behaviour, outbox):
    behaviour.subject = "pairwise-subject-noor"
    behaviour.claims = {**IN_ZOETERMEER, "bsn": "999993653", "street": "Markt 1"}

    page = await sign_in_with(client)
    assert page.request.url.path == "/account/identity/sign-up"
    form = form_on(page, action="/account/identity/sign-up")
    assert dict(form.data())["email"] == "noor@example.org"  # the provider's address, to confirm or change
    form.fill(display_name="Noor")
    shown = await settle(client, await form.submit(client))
    assert shown.request.url.path == "/account" and shown.status_code == 200

    noor = await account("noor@example.org")
    assert noor.kind == AccountKind.resident.value and noor.verified_resident and not noor.verified_organisation
    assert noor.verified_at is not None and noor.email_verified_at is None
    [link] = await links()
    assert link["account"] == noor.id and link["provider"] == "digid" and link["in_municipality"] is True
    assert link["assurance"] == "urn:etoegang:core:assurance-class:loa3"
    stored = " ".join(str(v) for v in link.values())
    for secret in ("pairwise-subject-noor", "999993653", "Markt", "2712"):
        assert secret not in stored
    assert len(link["subject_hash"]) == 64
    assert "identity_linked" in await log_kinds(noor.id)
    assert outbox and outbox[-1].to == "noor@example.org"  # the address is confirmed by mail, as at registration

    # The request the provider saw: PKCE with S256, a state and a nonce, the one redirect URI.
    [request] = behaviour.seen
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) >= 43
    assert request["state"] and request["nonce"] and request["scope"] == "openid"
    assert request["redirect_uri"] == "http://testserver.local/login/oidc/callback"


async def test_a_linked_identity_signs_in_under_a_new_session_id(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    noor = await make_account(settings, email="noor@example.org", name="Noor")
    await sign_in(client, "noor@example.org")
    await link_from_account(client)
    await client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken", "")})
    client.cookies.clear()

    await client.get("/login")
    before = client.cookies.get("session")
    start = await press(client, "/login?next=/ideas", "/login/oidc/digid")
    back = await to_provider_and_back(client, start)
    assert back.status_code in (302, 303) and back.headers["location"] == "/ideas"
    assert client.cookies.get("session") not in (None, before)
    account_page = await client.get("/account")
    assert account_page.status_code == 200 and "Noor" in account_page.text
    assert (await log_kinds(noor.id))[-2:] == ["identity_sign_in", "sign_in"]


async def test_link_from_the_account_page_then_unlink_withdraws_the_verification(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    noor = await make_account(settings, email="noor@example.org", name="Noor")
    await sign_in(client, "noor@example.org")
    offered = (await client.get("/account")).text
    assert 'href="/account/identity/digid/link"' in offered
    assert "/account/identity/eherkenning/link" not in offered  # eHerkenning is for organisations

    page = await link_from_account(client)
    assert page.request.url.path == "/account"
    assert dutch("%(provider)s is linked: you are a verified resident.", provider="Digid") in page_text(page)
    assert (await account("noor@example.org")).verified_resident

    unlinked = await settle(client, await press(client, "/account", "/account/identity/digid/unlink"))
    assert unlinked.request.url.path == "/account"
    noor = await account("noor@example.org")
    assert not noor.verified_resident and noor.verified_at is None
    assert await links() == []
    assert [k for k in await log_kinds(noor.id) if k.startswith("identity")] == ["identity_linked", "identity_unlinked"]


async def test_a_postcode_outside_the_municipality_links_without_verifying(client, behaviour, settings):
    behaviour.claims = {"postal_code": "2511 CV", "acr": "loa3"}  # The Hague
    await make_account(settings, email="jan@example.org", name="Jan")
    await sign_in(client, "jan@example.org")

    page = await link_from_account(client)
    assert "does not place you in the municipality" in page_text(page) or page.status_code == 200
    jan = await account("jan@example.org")
    assert not jan.verified_resident
    [link] = await links()
    assert link["in_municipality"] is False


async def test_eherkenning_verifies_the_organisation_whose_kvk_number_it_confirms(client, behaviour, settings):
    behaviour.claims = {"kvk": "12 34 56 78", "acr": "eh3"}
    await make_account(
        settings, email="info@lantaarn.example", name="Sam", organisation="Slimme Lantaarn", kvk="12345678"
    )
    await sign_in(client, "info@lantaarn.example")

    await link_from_account(client, "eherkenning")
    organisation = await account("info@lantaarn.example")
    assert organisation.verified_organisation and not organisation.verified_resident


async def test_eherkenning_with_another_kvk_number_stores_nothing(client, behaviour, settings):
    behaviour.claims = {"kvk": "87654321"}
    await make_account(
        settings, email="info@lantaarn.example", name="Sam", organisation="Slimme Lantaarn", kvk="12345678"
    )
    await sign_in(client, "info@lantaarn.example")

    page = await link_from_account(client, "eherkenning")
    assert page.status_code == 409
    message = "%(provider)s confirmed another KvK number than your account's. Nothing was stored."
    assert dutch(message, provider="Eherkenning") in page_text(page)
    assert await links() == []
    assert not (await account("info@lantaarn.example")).verified_organisation


async def test_a_subject_linked_to_one_account_cannot_verify_another(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    await make_account(settings, email="noor@example.org", name="Noor")
    await make_account(settings, email="second@example.org", name="Tweede")
    await sign_in(client, "noor@example.org")
    await link_from_account(client)
    client.cookies.clear()

    await sign_in(client, "second@example.org")
    page = await link_from_account(client)
    assert page.status_code == 409
    assert "Digid" in page_text(page)
    assert not (await account("second@example.org")).verified_resident
    assert [row["account"] for row in await links()] == [(await account("noor@example.org")).id]


async def test_staff_signing_in_with_an_identity_still_give_their_code(client, behaviour, settings):
    behaviour.claims = IN_ZOETERMEER
    await make_account(settings, email="moderator@example.org", name="Moderator", role=Role.moderator)
    await sign_in(client, "moderator@example.org")
    await link_from_account(client)
    client.cookies.clear()

    back = await to_provider_and_back(client, await press(client, "/login", "/login/oidc/digid"))
    assert back.headers["location"] == "/login/code"
    assert (await client.get("/login/code")).status_code == 200  # the pending sign-in asks for the code
    assert (await client.get("/account")).status_code in (302, 303, 401)  # and nobody is signed in yet


async def test_a_provider_that_refuses_stores_nothing(client, behaviour):
    behaviour.deny = True
    page = await sign_in_with(client)
    assert page.status_code == 400
    assert dutch("Signing in with %(provider)s was cancelled or refused. Nothing was stored.", provider="Digid") in (
        page_text(page)
    )
    assert await links() == [] and await IdentityLink.count() == 0


async def test_the_state_in_the_callback_must_be_this_sessions(client, behaviour):
    start = await press(client, "/login", "/login/oidc/digid")
    authorize = urlsplit(start.headers["location"])
    assert parse_qs(authorize.query)["state"]
    # A callback with a state this session never started (a forged or another browser's link).
    page = await client.get("/login/oidc/callback?state=forged&code=whatever")
    assert page.status_code == 400
    message = "This sign-in has expired or was already used. Nothing was stored; start again."
    assert dutch(message) in page_text(page)


async def test_sign_up_never_takes_over_an_existing_address(client, behaviour, settings):
    """The provider's email is only a suggestion: an address with an account stays that account's."""
    behaviour.claims = IN_ZOETERMEER  # its email is noor@example.org
    await make_account(settings, email="noor@example.org", name="Noor")
    page = await sign_in_with(client)
    form = form_on(page, action="/account/identity/sign-up")
    form.fill(display_name="Iemand anders")
    answer = await form.submit(client)
    assert answer.status_code == 422
    assert "noor@example.org" in answer.text and await links() == []
    assert not (await account("noor@example.org")).verified_resident


async def test_an_unlinked_eherkenning_identity_cannot_sign_up(client, behaviour):
    behaviour.claims = {"kvk": "12345678"}
    page = await sign_in_with(client, "eherkenning")
    assert page.status_code == 409
    message = (
        "No account is linked to this %(provider)s identity. Create an organisation account first, "
        "then link %(provider)s from your account page."
    )
    assert dutch(message, provider="Eherkenning") in page_text(page)
    assert await links() == []


async def test_deleting_the_account_frees_the_identity(client, behaviour, settings, events):
    """After deletion the person may verify a new account: the link went with the account."""
    from participation.accounts.deletion import delete_account

    behaviour.claims = IN_ZOETERMEER
    noor = await make_account(settings, email="noor@example.org", name="Noor")
    await sign_in(client, "noor@example.org")
    await link_from_account(client)
    await delete_account(noor.id, events=events)
    assert await links() == []

    client.cookies.clear()
    page = await sign_in_with(client)
    assert page.request.url.path == "/account/identity/sign-up"  # unknown again: a new account may link it
