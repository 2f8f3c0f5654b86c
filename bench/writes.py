"""The write test on the loaded data: N new accounts each support one new idea once, through HTTP.

Reuses bench/supports.py's client (`load` with `http_put`: raw keep-alive sockets, each account from its own
address through the trusted proxy header, so the default rate limits apply as in production).
The accounts, their API tokens and the idea are added to the scale data by a subprocess (the app's
settings are read once per process). Afterwards: the idea's support_count equals its rows, it was
routed once, and no idea's counter differs from its rows more than before the test.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.data import facts, query
from bench.report import Supports
from bench.servers import ROOT
from bench.supports import load


async def _add_accounts(accounts: int, prefix: str) -> dict[str, object]:
    from datetime import UTC, datetime, timedelta

    from ideas.tables import Idea
    from participation.accounts import tokens as api_tokens
    from participation.accounts.passwords import hash_password
    from participation.accounts.tables import Account
    from participation.settings import get_settings

    now = datetime.now(UTC)
    password_hash = await hash_password("benchmark-password", fast=True)
    emails = [f"{prefix}{i}@bench.example" for i in range(accounts + 1)]
    batch = [
        Account(email=email, password_hash=password_hash, display_name=f"Bench {i}", email_verified_at=now)
        for i, email in enumerate(emails)
    ]
    for start in range(0, len(batch), 500):
        await Account.insert(*batch[start : start + 500])
    created = await Account.objects().where(Account.email.is_in(emails)).order_by(Account.id)
    author, supporters = created[0], created[1:]
    idea = Idea(
        author=author.id,
        kind="idea",
        title=f"Benchmark idea for supports ({prefix})",
        summary="An idea that many accounts support at once.",
        body="",
        theme="energy",
        neighbourhood="whole-city",
        scope="narrow",
        status="published",
        published_at=now,
        support_closes_at=now + timedelta(days=90),
        threshold_override=accounts,
    )
    await idea.save()
    settings = get_settings()
    tokens = [(await api_tokens.create_api_token(settings, a, name="bench")).secret for a in supporters]
    return {"idea": idea.id, "tokens": tokens}


def prepare(accounts: int, prefix: str, env: dict[str, str], out: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.writes", str(accounts), prefix, str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing the write test failed:\n{done.stdout}{done.stderr}")
    prepared = json.loads(out.read_text())
    return prepared["idea"], prepared["tokens"]


def run(database_url: str, port: int, env: dict[str, str], work: Path, accounts: int, clients: int, network: int):
    """Prepare, send every support once, verify; the client's CPU share is this process's own."""
    mismatches_before = facts(database_url).support_mismatches
    idea_id, tokens = prepare(accounts, f"w{network}-", env, work / f"writes-{network}.json")
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    seconds, latencies, by_status = asyncio.run(load(port, idea_id, tokens, clients, network))
    statuses = {str(code): n for code, n in by_status.items()}
    cpu_share = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)
    rows = query(database_url, f"SELECT COUNT(*) FROM support WHERE idea = {int(idea_id)}")[0][0]
    counted, status = query(database_url, f"SELECT support_count, status FROM idea WHERE id = {int(idea_id)}")[0]
    routings = query(database_url, f"SELECT COUNT(*) FROM routing WHERE idea = {int(idea_id)}")[0][0]
    mismatches_after = facts(database_url).support_mismatches
    checked = {
        "rows": rows,
        "support_count": counted,
        "routings": routings,
        "ideas_mismatched_before": mismatches_before,
        "ideas_mismatched_after": mismatches_after,
    }
    exact = (
        rows == counted == accounts
        and routings == 1
        and status == "routed"
        and statuses == {"200": accounts}
        and mismatches_after <= mismatches_before
    )
    q = statistics.quantiles(latencies, n=100)
    return Supports(
        accounts=accounts,
        per_second=len(latencies) / seconds,
        p50_ms=q[49] * 1000,
        p95_ms=q[94] * 1000,
        statuses=statuses,
        exact=exact,
        checked=checked,
        client_cpu=cpu_share,
    )


def main() -> None:
    from participation.cli import _settings, _with_database

    accounts, prefix, out = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    prepared = _with_database(_settings(), lambda: _add_accounts(accounts, prefix))
    out.write_text(json.dumps(prepared))


if __name__ == "__main__":
    main()
