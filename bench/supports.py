"""Benchmark: supports per second through HTTP, on SQLite and PostgreSQL.

    python -m bench.supports [--accounts 1000] [--clients 32] [--existing 0]
    BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/bench python -m bench.supports

For each database: a fresh migrated database, N verified accounts with API
tokens and one published idea with threshold N; then a real server
(`participation serve`, one uvicorn worker) and C keep-alive clients on raw
asyncio sockets (an HTTP library as load generator measures mostly itself).
Each account sends from its own address (X-Forwarded-For, trusted from the
local proxy address only), so the default rate limits apply as in production.
Pass 1: every account supports once (new rows; the last one routes the idea).
Pass 2: every account supports again (idempotent, no new rows).
At the end the counts are verified: N rows, support_count N, routed once.
`--existing E` first gives the idea E supports from the last days (other accounts, bulk
inserted): a hot idea, where anything that counts its recent supports per support shows.
The PostgreSQL database's public schema is dropped first: use a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def prepare(database_url: str, accounts: int, existing: int = 0) -> tuple[int, list[str]]:
    from ideas.tables import Idea
    from participation.accounts import tokens as api_tokens
    from participation.accounts.passwords import hash_password
    from participation.accounts.tables import Account
    from participation.database import bind_engine, migrate
    from participation.engines import build_engine
    from participation.settings import get_settings

    engine = build_engine(database_url)
    bind_engine(engine)
    if database_url.startswith("postgres"):
        await engine.run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await migrate()
    now = datetime.now(UTC)
    password_hash = await hash_password("benchmark-password", fast=True)
    author = Account(
        email="author@bench.example", password_hash=password_hash, display_name="Author", email_verified_at=now
    )
    await author.save()
    idea = Idea(
        author=author.id,
        kind="idea",
        title="Benchmark idea for supports",
        summary="An idea that many accounts support at once.",
        body="",
        theme="energy",
        neighbourhood="whole-city",
        scope="narrow",
        status="published",
        published_at=now,
        support_closes_at=now + timedelta(days=90),
        threshold_override=existing + accounts,
    )
    await idea.save()
    if existing:
        await add_existing_supports(idea, existing, password_hash, now)
    batch = [
        Account(
            email=f"b{i}@bench.example", password_hash=password_hash, display_name=f"Bench {i}", email_verified_at=now
        )
        for i in range(accounts)
    ]
    for start in range(0, accounts, 500):
        await Account.insert(*batch[start : start + 500])
    created = await Account.objects().where(Account.email.like("b%@bench.example")).order_by(Account.id)
    settings = get_settings()  # the environment main() set up: this run's database and var directory
    tokens = [(await api_tokens.create_api_token(settings, a, name="bench")).secret for a in created]
    return idea.id, tokens


async def add_existing_supports(idea, existing: int, password_hash: str, now: datetime) -> None:
    """`existing` supports on `idea` from as many other accounts, all within the trending window."""
    from ideas.tables import Idea
    from participation.accounts.tables import Account
    from voting.tables import Support

    for start in range(0, existing, 1000):
        await Account.insert(
            *[
                Account(
                    email=f"e{i}@existing.example",
                    password_hash=password_hash,
                    display_name=f"Existing {i}",
                    email_verified_at=now,
                )
                for i in range(start, min(start + 1000, existing))
            ]
        )
    await Support.raw(
        "INSERT INTO support (account, idea, created_at) SELECT id, {}, {} FROM account WHERE email LIKE {}",
        idea.id,
        now - timedelta(days=3),
        "e%@existing.example",
    )
    await Idea.update({Idea.support_count: existing}).where(Idea.id == idea.id)


async def verify(database_url: str, idea_id: int) -> dict[str, object]:
    from ideas.tables import Idea
    from participation.database import bind_engine
    from participation.engines import build_engine
    from participation.register.tables import RegisterEntry
    from voting.tables import Routing, Support

    bind_engine(build_engine(database_url))
    idea = await Idea.objects().where(Idea.id == idea_id).first()
    return {
        "rows": await Support.count().where(Support.idea == idea_id),
        "support_count": idea.support_count,
        "status": idea.status,
        "register_entries": await RegisterEntry.count().where(RegisterEntry.idea_id == idea_id),
        "routings": await Routing.count().where(Routing.idea == idea_id),
    }


async def http_put(reader, writer, path: str, token: str, client_address: str) -> tuple[int, float]:
    started = time.perf_counter()
    writer.write(
        f"PUT {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
        f"X-Forwarded-For: {client_address}\r\nContent-Length: 0\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1]), time.perf_counter() - started


async def load(
    port: int, idea_id: int, tokens: list[str], clients: int, network: int | None = None
) -> tuple[float, list[float], dict[int, int]]:
    """Each token's support once; `network` gives a run its own address range (10.<network>.x.y), so an
    earlier run's per-minute counts do not apply."""
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for number, token in enumerate(tokens):
        queue.put_nowait((number, token))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                number, token = queue.get_nowait()
                # Each account from its own address, as through the reverse proxy: the default rate limits apply.
                second = number // 65536 % 256 if network is None else network % 256
                address = f"10.{second}.{number // 256 % 256}.{number % 256}"
                status, latency = await http_put(reader, writer, f"/api/v1/ideas/{idea_id}/support", token, address)
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(latency)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, statuses


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_one(label: str, database_url: str, accounts: int, clients: int, existing: int = 0) -> bool:
    var_dir = tempfile.mkdtemp(prefix="bench-var-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PARTICIPATION_VAR_DIR": var_dir,
        "PARTICIPATION_ENV": "development",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "PARTICIPATION_VAR_DIR")})
    idea_id, tokens = asyncio.run(prepare(database_url, accounts, existing))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "participation.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, server)
        first_seconds, first_latencies, first_statuses = asyncio.run(load(port, idea_id, tokens, clients))
        second_seconds, second_latencies, second_statuses = asyncio.run(load(port, idea_id, tokens, clients))
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    server_errors = server.stderr.read().decode(errors="replace").strip().splitlines() if server.stderr else []
    state = asyncio.run(verify(database_url, idea_id))
    ok = state == {
        "rows": existing + accounts,
        "support_count": existing + accounts,
        "status": "routed",
        "register_entries": 1,
        "routings": 1,
    }
    ok = ok and first_statuses == {200: accounts} and second_statuses == {200: accounts}

    def figures(seconds: float, latencies: list[float]) -> str:
        q = statistics.quantiles(latencies, n=100)
        return f"{len(latencies) / seconds:7.0f} supports/s   p50 {q[49] * 1000:6.1f} ms   p95 {q[94] * 1000:6.1f} ms"

    print(f"\n{label}: {accounts} accounts, {clients} concurrent clients, one uvicorn worker")
    if existing:
        print(f"  the idea already had {existing} recent supports")
    print(f"  new supports        {figures(first_seconds, first_latencies)}")
    print(f"  repeated (no-op)    {figures(second_seconds, second_latencies)}")
    if rss:
        print(f"  server peak memory  {rss:7.1f} MB")
    print(
        f"  verified            {state}  statuses {first_statuses} / {second_statuses}  -> {'OK' if ok else 'MISMATCH'}"
    )
    if not ok:  # what the server said about it (the end of its error output)
        print("\n".join(f"  server: {line}" for line in server_errors[-15:]))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--existing", type=int, default=0, help="recent supports the idea has before the run")
    args = parser.parse_args()
    sqlite_path = Path(tempfile.mkdtemp(prefix="bench-db-")) / "bench.sqlite3"
    results = [run_one("SQLite", f"sqlite:///{sqlite_path}", args.accounts, args.clients, args.existing)]
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        results.append(run_one("PostgreSQL", postgres, args.accounts, args.clients, args.existing))
    else:
        print("\nPostgreSQL: skipped (set BENCH_POSTGRES_URL to a scratch database)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
