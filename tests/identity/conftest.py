"""Fixtures for signing in with an identity provider: a real provider (tests/identity/provider.py)
on a free port, a city configured with it, and a client that reaches both the app (in-process)
and the provider (over HTTP), as a browser follows the redirects between them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from participation.app import create_app
from participation.city_identity import IdentityProvider, SignInConfig
from tests.identity.provider import CLIENT_ID, CLIENT_SECRET, Behaviour, TestProvider
from tests.mail import DeliveringTransport

APP = "http://testserver.local"
SECRET_ENV = "TEST_OIDC_CLIENT_SECRET"


@pytest.fixture(scope="session")
def identity_provider() -> Iterator[TestProvider]:
    provider = TestProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def behaviour(identity_provider: TestProvider) -> Behaviour:
    """What the provider does in this test (a fresh default per test)."""
    return identity_provider.reset(f"{APP}/login/oidc/callback")


def configured(issuer: str, slug: str = "digid", verifies: str = "resident", **extra) -> IdentityProvider:
    return IdentityProvider(
        slug=slug,
        names={"nl": slug.capitalize(), "en": slug.capitalize()},
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret_env=SECRET_ENV,
        scopes=("openid",),
        verifies=verifies,
        claims={"subject": "sub", "postcode": "postal_code", "kvk": "kvk", "assurance": "acr", "email": "email"},
        municipality_codes=frozenset({"0637"}),
        postcode_ranges=((2711, 2729),),
        **extra,
    )


@pytest.fixture
def settings(settings, identity_provider: TestProvider, behaviour: Behaviour, monkeypatch):
    """The city offers DigiD (residents) and eHerkenning (organisations), both at the test provider."""
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    sign_in = SignInConfig(
        providers=(
            configured(identity_provider.issuer),
            configured(identity_provider.issuer, slug="eherkenning", verifies="organisation"),
        )
    )
    return replace(settings, base_url=APP, city=replace(settings.city, sign_in=sign_in))


@pytest.fixture
async def client(settings, outbox, identity_provider: TestProvider):
    app = create_app(settings)
    async with app.lifespan():
        async with httpx.AsyncClient(
            transport=DeliveringTransport(app, outbox),
            mounts={identity_provider.issuer: httpx.AsyncHTTPTransport()},
            base_url=APP,
        ) as http:
            yield http
