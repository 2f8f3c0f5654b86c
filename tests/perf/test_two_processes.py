"""Two app processes, one database, one Redis: what one process does, the other sees, and mail goes once.

This is the multi-host set-up of docs/deployment.md on one machine: two `participation serve`
processes on their own ports (as two app hosts behind a proxy), the test's database (PostgreSQL,
or one SQLite file both open) and one Redis database. A browser whose requests the "proxy"
spreads over both must meet one session, one rate limit and one count.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar.stores.redis import RedisStore

from ideas.tables import Idea
from participation import tasks
from participation.leases.services import lease_of
from participation.outbox.services import enqueue
from participation.outbox.tables import OutboxMessage
from tests.forms import follow, open_form
from tests.helpers import PASSWORD, make_account, post_form
from tests.voting.conftest import publish_idea
from voting.tables import Support

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL to run two app processes on Redis (CI does)")

REGISTRATIONS_PER_MINUTE = 4


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(database_url: str, var_dir: Path, name: str) -> Server:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL or "",
        # One secret and one public address for every host: sessions and CSRF tokens are signed with it.
        "SECRET_KEY": "two-processes-share-this-secret-key-0123456789",
        "BASE_URL": "http://participation.test",
        "PARTICIPATION_VAR_DIR": str(var_dir),
        "PERIODIC_TASKS": "on",
        # Both deliver mail; without SMTP_URL each saves what it sends under its own var/mail/.
        "OUTBOX_WORKER": "on",
        "PARTICIPATION_RATE_LIMITS": f"registration={REGISTRATIONS_PER_MINUTE}",
    }
    log = var_dir / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "participation.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def _wait_until_up(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.url} exited with {server.process.returncode}:\n{server.log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"{server.url} did not answer /healthz:\n{server.log.read_text()[-3000:]}")


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


async def _empty_redis() -> None:
    redis = RedisStore.with_client(url=REDIS_URL or "", namespace="participation")
    for name in ("sessions", "rate_limit", "cache"):
        await redis.with_namespace(name).delete_all()
    await redis._redis.aclose()


@pytest.fixture
async def two_hosts(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    await _empty_redis()
    servers: list[Server] = []
    try:
        for name in ("a", "b"):
            var_dir = tmp_path / name
            var_dir.mkdir()
            servers.append(_start(database_url, var_dir, name))
        deadline = time.monotonic() + 90
        for server in servers:
            await asyncio.to_thread(_wait_until_up, server, deadline)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            _stop(server)
        await _empty_redis()


async def _sign_in(browser: httpx.AsyncClient, email: str) -> None:
    form = await open_form(browser, "/login", action="/login")
    form.fill(email=email, password=PASSWORD)
    page = await follow(browser, await form.submit(browser))
    assert page.status_code == 200 and page.url.path == "/account", page.url


async def _signed_in_as(browser: httpx.AsyncClient, email: str) -> bool:
    page = await browser.get("/account")
    if page.status_code in (302, 303):
        assert page.headers["location"].startswith("/login")
        return False
    assert page.status_code == 200
    return email in page.text


async def test_two_app_processes_share_sessions_rate_limits_supports_mail_and_one_round_of_tasks(
    settings, two_hosts, tmp_path
):
    a, b = two_hosts
    # Mail for both outbox workers to race for while the rest goes on.
    for i in range(30):
        await enqueue(to=f"person{i}@example.org", subject=f"Bericht {i}", text="t", category="account", locale="nl")
    author = await make_account(settings, email="author@example.org", name="Auteur")
    await make_account(settings, email="member@example.org", name="Lid")
    idea = await publish_idea(settings, author)

    async with httpx.AsyncClient(base_url=a.url, timeout=30) as browser:
        # A session made by signing in on A is valid on B.
        await _sign_in(browser, "member@example.org")
        browser.base_url = b.url
        assert await _signed_in_as(browser, "member@example.org")

        # A support made on A is counted on B, and in the database exactly once, even when the
        # same form reaches both processes at once (a double click spread by the proxy).
        browser.base_url = a.url
        form = await open_form(browser, f"/ideas/{idea.id}", action=f"/ideas/{idea.id}/support")
        answer = await form.submit(browser)
        assert answer.status_code in (302, 303), answer.text[:300]
        browser.base_url = b.url
        assert (await browser.get(f"/api/v1/ideas/{idea.id}")).json()["support_count"] == 1
        hosts = [httpx.AsyncClient(base_url=server.url, cookies=browser.cookies, timeout=30) for server in (a, b)]
        async with hosts[0] as on_a, hosts[1] as on_b:
            await asyncio.gather(*(form.submit(client) for client in (on_a, on_b, on_a, on_b)))
        assert await Support.count().where(Support.idea == idea.id) == 1
        assert (await Idea.objects().get(Idea.id == idea.id)).support_count == 1
        assert (await browser.get(f"/api/v1/ideas/{idea.id}")).json()["support_count"] == 1

        # Signing out on B ends the session on A too (the old cookie is refused there).
        session = browser.cookies["session"]
        await post_form(browser, "/logout", {}, form_page="/account")
        browser.base_url = a.url
        assert not await _signed_in_as(browser, "member@example.org")
        async with httpx.AsyncClient(base_url=a.url, cookies={"session": session}) as replay:
            assert not await _signed_in_as(replay, "member@example.org"), "the session is gone from Redis"

    # A rate limit counts requests spread over A and B: 4 registrations a minute per address in all.
    async with httpx.AsyncClient(timeout=30) as anonymous:
        statuses = []
        for server in (a, b, a, b, a, b):
            anonymous.base_url = server.url
            statuses.append((await post_form(anonymous, "/account/register", {})).status_code)
        assert 429 not in statuses[:REGISTRATIONS_PER_MINUTE], statuses
        assert statuses[REGISTRATIONS_PER_MINUTE:] == [429, 429], statuses

    # The periodic tasks: both processes checked at start-up, one round ran.
    lease = None
    for _ in range(150):
        lease = await lease_of(tasks.JOB)
        if lease is not None and lease.holder is None:
            break
        await asyncio.sleep(0.2)
    assert lease is not None and lease.holder is None, "a round finished"
    await asyncio.sleep(1)
    assert (await lease_of(tasks.JOB)).runs == 1

    # Each message was sent once, by one of the two processes.
    for _ in range(150):
        if await OutboxMessage.count().where(OutboxMessage.status == "sent") == 30:
            break
        await asyncio.sleep(0.2)
    sent = [path.name for name in ("a", "b") for path in (tmp_path / name / "mail").glob("*.eml")]
    assert len(sent) == len(set(sent)) == 30, sorted(sent)
    assert {r["attempts"] for r in await OutboxMessage.select(OutboxMessage.attempts)} == {1}

    for server in (a, b):
        assert server.process.poll() is None, server.log.read_text()[-3000:]
