"""The fixed cost of a request: reads and anonymous visits touch no store, only bucketed writes count.

Recording stores stand in for the app's "rate_limit" and "sessions" stores (they are real memory
stores that also note every call), so each test sees exactly which requests reached them.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from litestar.stores.memory import MemoryStore

from participation.app import create_app
from tests.helpers import csrf_from, make_account, sign_in
from tests.mail import DeliveringTransport
from tests.voting.conftest import publish_idea


class RecordingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        self.calls.append(("get", key))
        return await super().get(key, renew_for)

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        self.calls.append(("set", key))
        await super().set(key, value, expires_in)

    async def delete(self, key: str) -> None:
        self.calls.append(("delete", key))
        await super().delete(key)


@pytest.fixture
async def app(settings):
    app = create_app(settings)
    app.stores.register("rate_limit", RecordingStore(), allow_override=True)
    app.stores.register("sessions", RecordingStore(), allow_override=True)
    async with app.lifespan():
        yield app


@pytest.fixture
async def browser(app, outbox):
    transport = DeliveringTransport(app, outbox)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        yield http


def calls(app, store: str) -> list[tuple[str, str]]:
    return app.stores.get(store).calls


async def test_reads_and_unbucketed_writes_never_reach_the_rate_limit_store(app, browser):
    for path in ("/", "/ideas", "/login", "/healthz", "/api/v1/ideas"):
        assert (await browser.get(path)).status_code == 200, path
    token = csrf_from((await browser.get("/login")).text)
    assert (await browser.post("/logout", data={"_csrf_token": token})).status_code in (302, 303)
    assert calls(app, "rate_limit") == []

    response = await browser.post("/login", data={"_csrf_token": token, "email": "a@example.org", "password": "x"})
    assert response.status_code == 401
    assert [kind for kind, _ in calls(app, "rate_limit")] == ["get", "set"], "one counter: the address's"
    assert response.headers["RateLimit-Limit"] == "10000" and response.headers["RateLimit-Remaining"] == "9999"


async def test_a_page_or_health_check_runs_nothing_in_litestars_worker_threads(browser, monkeypatch):
    """Each of the 14 former rate-limit middlewares sent its synchronous check through a thread."""
    import litestar.concurrency

    hops = []
    run_in_thread = litestar.concurrency._run_sync_asyncio

    async def recording(fn, *args, **kwargs):
        hops.append(fn)
        return await run_in_thread(fn, *args, **kwargs)

    monkeypatch.setattr(litestar.concurrency, "_run_sync_asyncio", recording)
    for path in ("/healthz", "/", "/ideas"):
        assert (await browser.get(path)).status_code == 200
    assert hops == []


async def test_a_signed_in_write_counts_per_address_and_per_account(app, browser, settings):
    account = await make_account(settings, email="anna@example.org")
    await sign_in(browser, "anna@example.org")
    calls(app, "rate_limit").clear()
    token = csrf_from((await browser.get("/account/password")).text)
    form = {"_csrf_token": token, "current_password": "a wrong guess", "password": "another long passphrase"}
    assert (await browser.post("/account/password", data=form)).status_code == 422
    written = [key for kind, key in calls(app, "rate_limit") if kind == "set"]
    assert written == ["login::127.0.0.1", f"login::account:{account.id}"]


async def test_anonymous_pages_create_no_session(app, settings, outbox):
    idea = await publish_idea(settings, await make_account(settings, email="author@example.org"))
    for path in ("/", "/ideas", f"/ideas/{idea.id}", "/register", "/login", "/healthz"):
        # A new visitor each time, as a crawler or a load test: no cookies carried over.
        async with httpx.AsyncClient(transport=DeliveringTransport(app, outbox), base_url="http://t.local") as http:
            response = await http.get(path)
        assert response.status_code == 200, path
        cookies = " ".join(response.headers.get_list("set-cookie"))
        assert "session=" not in cookies, path
    assert calls(app, "sessions") == [], "no session was read, written or deleted"
    assert app.stores.get("sessions")._store == {}  # type: ignore[attr-defined]


async def test_the_language_choice_is_the_one_thing_an_anonymous_session_keeps(app, browser):
    english = await browser.get("/ideas?lang=en")
    assert '<html lang="en"' in english.text and "session=" in " ".join(english.headers.get_list("set-cookie"))
    assert '<html lang="en"' in (await browser.get("/")).text
    assert len(app.stores.get("sessions")._store) == 1  # type: ignore[attr-defined]


async def test_a_signed_in_page_reads_its_session_without_writing_it_again(app, browser, settings):
    await make_account(settings, email="anna@example.org")
    await sign_in(browser, "anna@example.org")
    await browser.get("/")  # shows (and so removes) the "signed in" message: a change, written
    calls(app, "sessions").clear()
    for path in ("/", "/ideas", "/account"):
        response = await browser.get(path)
        assert response.status_code == 200 and "session=" not in " ".join(response.headers.get_list("set-cookie"))
    assert {kind for kind, _ in calls(app, "sessions")} == {"get"}, "unchanged within the minute: no write"
    assert "anna@example.org" in (await browser.get("/account")).text, "still signed in"


async def test_an_unknown_session_cookie_costs_one_store_read_and_no_account_query(app, browser, monkeypatch):
    from tests.query_counter import counting_queries

    browser.cookies.set("session", "an-id-the-store-never-issued")
    with counting_queries(monkeypatch) as statements:
        response = await browser.get("/login")
    assert response.status_code == 200 and "session=" not in " ".join(response.headers.get_list("set-cookie"))
    assert calls(app, "sessions") == [("get", "an-id-the-store-never-issued")]
    assert not [s for s in statements if "account" in s.lower()], statements
