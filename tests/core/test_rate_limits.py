"""Rate limits on sensitive routes, with a low login limit for this module."""

from __future__ import annotations

from dataclasses import replace

import pytest

from participation.settings import RateLimits
from tests.helpers import csrf_from


@pytest.fixture
def settings(settings):
    """Overrides the shared fixture, so the app (the `client` fixture) is built with these limits."""
    return replace(settings, rate_limits=RateLimits(login=3, registration=2, password_reset=1000))


async def test_fourth_login_within_a_minute_is_refused(client):
    token = csrf_from((await client.get("/login")).text)
    statuses = []
    for _ in range(4):
        response = await client.post(
            "/login", data={"email": "anna@example.org", "password": "wrong password!!", "_csrf_token": token}
        )
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 429]
    assert (await client.get("/login")).status_code == 200, "only POSTs count, and pages stay reachable"


async def test_buckets_are_counted_separately(client):
    token = csrf_from((await client.get("/login")).text)
    for _ in range(3):
        await client.post(
            "/login", data={"email": "anna@example.org", "password": "wrong password!!", "_csrf_token": token}
        )
    form = {"kind": "resident", "display_name": "", "email": "x", "password": "", "_csrf_token": token}
    assert [(await client.post("/account/register", data=form)).status_code for _ in range(3)] == [422, 422, 429]


async def test_api_token_endpoint_shares_the_login_limit(client):
    statuses = [
        (await client.post("/api/v1/auth/token", json={"email": "a@example.org", "password": "x"})).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
