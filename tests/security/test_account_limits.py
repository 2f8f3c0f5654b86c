"""Per-account limits on signed-in actions: an account cannot spread its requests over many addresses.

Each request here comes from its own address, so the per-address limits never trigger; the
per-account count (in the "rate_limit" store, keyed by account id) does.
"""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from participation.app import create_app
from participation.settings import AccountRateLimits, RateLimits
from tests.helpers import PASSWORD, csrf_from, make_account
from tests.mail import DeliveringTransport


@pytest.fixture
async def app(settings):
    app = create_app(replace(settings, rate_limits=RateLimits(), account_rate_limits=AccountRateLimits(login=5)))
    async with app.lifespan():
        yield app


def browser_at(app, outbox, address: str, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    transport = DeliveringTransport(app, outbox)
    transport.client = (address, 50000)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local", cookies=cookies)


async def signed_in(app, outbox, email: str) -> httpx.Cookies:
    async with browser_at(app, outbox, "198.51.100.1") as http:
        token = csrf_from((await http.get("/login")).text)
        response = await http.post("/login", data={"_csrf_token": token, "email": email, "password": PASSWORD})
        assert response.status_code in (302, 303)
        return http.cookies


async def guess_current_password(app, outbox, cookies: httpx.Cookies, address: str) -> int:
    async with browser_at(app, outbox, address, cookies) as http:
        token = csrf_from((await http.get("/account/password")).text)
        form = {"_csrf_token": token, "current_password": "a wrong guess", "password": "another long passphrase"}
        return (await http.post("/account/password", data=form)).status_code


async def test_password_change_guesses_are_limited_per_account_across_addresses(app, settings, outbox):
    await make_account(settings, email="anna@example.org")
    await make_account(settings, email="bob@example.org")
    anna = await signed_in(app, outbox, "anna@example.org")
    bob = await signed_in(app, outbox, "bob@example.org")

    statuses = [await guess_current_password(app, outbox, anna, f"203.0.113.{i}") for i in range(1, 8)]
    other_account = await guess_current_password(app, outbox, bob, "203.0.113.1")

    assert statuses == [422] * 5 + [429] * 2
    assert other_account == 422, "another account (even from an address Anna used) has its own count"
