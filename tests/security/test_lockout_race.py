"""Finding 4: 40 wrong passwords sent at once from 40 addresses checked 25 passwords before the lock.

Now each attempt is counted in the database before its password is checked, so at most
`login_lockout_attempts` (10) are checked however the requests interleave, on both databases.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

import httpx
import pytest

from participation.accounts import services
from participation.accounts.security_log import SecurityEventKind, email_digest
from participation.accounts.tables import SecurityEvent
from participation.app import create_app
from participation.settings import AccountRateLimits, RateLimits
from tests.accounts.tools import dutch, page_text
from tests.helpers import PASSWORD, csrf_from, make_account
from tests.mail import DeliveringTransport

LOCKED = "Too many failed attempts for this email address. Try again in %(minutes)s minutes or reset your password."


@pytest.fixture
def checked_passwords(monkeypatch) -> list[str]:
    """Every password the sign-in actually verified (the real argon2 check still runs)."""
    checked: list[str] = []
    verify = services.verify_password

    async def counting(password_hash: str, password: str, **options) -> bool:
        checked.append(password)
        return await verify(password_hash, password, **options)

    monkeypatch.setattr(services, "verify_password", counting)
    return checked


async def people_at(app, outbox, count: int) -> list[tuple[httpx.AsyncClient, str]]:
    """`count` browsers, each from its own address (203.0.113.x), each with the login page open."""
    people = []
    for i in range(count):
        transport = DeliveringTransport(app, outbox)
        transport.client = (f"203.0.113.{i + 1}", 40000 + i)
        http = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
        people.append((http, csrf_from((await http.get("/login")).text)))
    return people


async def test_forty_simultaneous_guesses_from_forty_addresses_check_ten_passwords(settings, outbox, checked_passwords):
    anna = await make_account(settings, email="anna@example.org")
    # The shipped limits per address (10 sign-ins a minute): 40 addresses pass them, the lock must not.
    app = create_app(replace(settings, rate_limits=RateLimits(), account_rate_limits=AccountRateLimits()))
    async with app.lifespan():
        people = await people_at(app, outbox, 40)

        async def guess(i: int, http: httpx.AsyncClient, csrf: str) -> httpx.Response:
            form = {"_csrf_token": csrf, "email": "anna@example.org", "password": f"wrong guess number {i}"}
            return await http.post("/login", data=form)

        responses = await asyncio.gather(*(guess(i, http, csrf) for i, (http, csrf) in enumerate(people)))
        after = await people[0][0].post(
            "/login", data={"_csrf_token": people[0][1], "email": "anna@example.org", "password": PASSWORD}
        )
        for http, _ in people:
            await http.aclose()

    assert len(checked_passwords) == settings.login_lockout_attempts == 10
    assert Counter(r.status_code for r in responses) == {401: 10, 429: 30}
    assert all(dutch(LOCKED, minutes=15) in page_text(r) for r in responses if r.status_code == 429)
    assert after.status_code == 429, "locked: even the right password is refused, and not checked"
    assert len(checked_passwords) == 10
    kinds = Counter(e["kind"] for e in await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.account))
    assert kinds == {SecurityEventKind.sign_in_failed.value: 10, SecurityEventKind.lockout.value: 1}
    assert {e["account"] for e in await SecurityEvent.select(SecurityEvent.account)} == {anna.id}


async def test_guesses_at_an_address_without_account_lock_alike_and_log_only_a_digest(
    settings, client, checked_passwords
):
    csrf = csrf_from((await client.get("/login")).text)

    async def guess(i: int) -> httpx.Response:
        form = {"_csrf_token": csrf, "email": "Nobody@Example.org", "password": f"guess {i}"}
        return await client.post("/login", data=form)

    responses = await asyncio.gather(*(guess(i) for i in range(12)))

    assert sorted(r.status_code for r in responses) == [401] * 10 + [429] * 2
    assert len(checked_passwords) == 10, "the dummy hash is checked, so the timing matches a real account"
    events = await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.account, SecurityEvent.email_digest)
    assert {e["account"] for e in events} == {None}
    assert {e["email_digest"] for e in events} == {email_digest(settings.secret_key, "nobody@example.org")}
    assert Counter(e["kind"] for e in events)[SecurityEventKind.lockout.value] == 1


async def test_a_right_password_within_the_limit_signs_in_and_clears_the_count(settings, client, checked_passwords):
    await make_account(settings, email="anna@example.org")
    csrf = csrf_from((await client.get("/login")).text)

    async def attempt(password: str) -> httpx.Response:
        form = {"_csrf_token": csrf, "email": "anna@example.org", "password": password}
        return await client.post("/login", data=form)

    wrong = await asyncio.gather(*(attempt(f"wrong password {i}") for i in range(9)))
    right = await attempt(PASSWORD)
    after = [await attempt(f"again wrong {i}") for i in range(9)]

    assert {r.status_code for r in wrong} == {401}
    assert right.status_code in (302, 303)
    assert {r.status_code for r in after} == {401}, "the success started a new count: 9 more do not lock"
