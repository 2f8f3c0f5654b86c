"""`python -m bench`: the platform under load, as production serves it, against its own ceiling.

For each database and scale: a scratch database filled by `participation demo --scale <scale>
--no-serve` (PostgreSQL: the public schema of BENCH_POSTGRES_URL is DROPPED first), then for each
worker count: the bare Litestar ceiling app and then `participation serve` (PARTICIPATION_ENV=production,
a secret key, the chosen ASGI server), each pinned to core 0, driven by wrk (32 connections, one
thread) pinned to core 1. Every endpoint is warmed up, timed alone (sequential single requests) and
then loaded `--repeats` times; the table shows the medians. Then the write test (supports, each by a
new account) and its count check. See docs/performance.md for reading the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import data, writes
from bench.report import Endpoint, Run, evaluate_targets, median_of_runs, run_table, targets_table
from bench.servers import Server, get, single_request_ms
from bench.wrk import CLIENT_CORE, run_wrk

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/bench"
ENDPOINT_NAMES = ("healthz", "ideas", "ideas_theme", "search", "idea_detail", "register", "api_ideas", "stats")
SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnop"  # a throwaway database, never production


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def options(argv: list[str] | None = None) -> argparse.Namespace:
    from participation.cli import ASGI_SERVERS, DEFAULT_ASGI_SERVER

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--databases", type=_list, default=["sqlite", "postgres"], help="sqlite,postgres")
    parser.add_argument("--scales", type=_list, default=["1k", "city"], help="1k,city")
    parser.add_argument("--workers", type=lambda v: [int(w) for w in _list(v)], default=[1, 2], help="1,2")
    parser.add_argument(
        "--server", type=_list, default=[DEFAULT_ASGI_SERVER], help=f"{'|'.join(ASGI_SERVERS)}, or both to compare"
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="wrk runs per endpoint (the median is shown)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of wrk before the measured runs")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--single", type=int, default=30, help="sequential requests for the single-request median")
    parser.add_argument("--accounts", type=int, default=1000, help="supports in the write test (0: skip it)")
    parser.add_argument("--search-word", default="sensor")
    parser.add_argument("--endpoints", type=_list, default=None, help=f"only some of {','.join(ENDPOINT_NAMES)}")
    parser.add_argument("--port", type=int, default=8210, help="the ceiling's port; the app uses the next one")
    parser.add_argument("--json", type=Path, default=None, help="write the raw figures here")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1k, SQLite, one worker, short runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.databases, args.scales, args.workers = ["sqlite"], ["1k"], [1]
        args.duration, args.repeats, args.warmup, args.single, args.accounts = 3.0, 2, 1.0, 10, 200
    for server in args.server:
        if server not in ASGI_SERVERS:
            parser.error(f"--server: {server!r} is not one of {', '.join(ASGI_SERVERS)}")
    return args


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work = args, work
        self.runs: list[Run] = []
        self.facts: dict[str, dict] = {}
        self.network = 0  # each write test supports from its own address range

    def environment(self, database_url: str, port: int, mode: str = "production") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY", "BASE_URL", "SMTP_URL")}
        env.update(
            DATABASE_URL=database_url,
            PARTICIPATION_ENV=mode,
            SECRET_KEY=SECRET_KEY,
            BASE_URL=f"http://127.0.0.1:{port}",
            PARTICIPATION_VAR_DIR=str(self.work / "var"),
            FORWARDED_ALLOW_IPS="127.0.0.1",  # the benchmark is the local reverse proxy
            # The web path alone: periodic tasks and mail run in their own processes in a larger set-up
            # (docs/deployment.md); in the app process a task round at start-up would land in the figures.
            PERIODIC_TASKS="off",
            OUTBOX_WORKER="off",
        )
        if redis := os.environ.get("BENCH_REDIS_URL"):
            env["REDIS_URL"] = redis  # sessions, rate limits and caches shared by the workers, as in production
        return env

    def database_url(self, database: str) -> str:
        if database == "sqlite":
            return f"sqlite:///{self.work / 'bench.sqlite3'}"
        return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)

    def load(self, database: str, scale: str) -> tuple[str, data.Facts]:
        url = self.database_url(database)
        if database == "sqlite":
            for stale in self.work.glob("bench.sqlite3*"):
                stale.unlink()
        else:
            print(f"  dropping the public schema of {url.split('@')[-1]} (a scratch database)", flush=True)
            data.reset_postgres(url)
        started = time.monotonic()
        how = data.load(scale, self.environment(url, self.args.port + 1, "development"), self.work / "load.log")
        facts = data.facts(url)
        print(
            f"  loaded in {time.monotonic() - started:,.0f} s by {how}: {facts.ideas:,} ideas, "
            f"{facts.supports:,} supports, {facts.comments:,} comments; most comments: idea {facts.busiest_idea} "
            f"({facts.busiest_comments:,}); commonest theme {facts.common_theme}",
            flush=True,
        )
        self.facts[f"{database}/{scale}"] = {"loaded_by": how, **dataclasses.asdict(facts)}
        return url, facts

    def measure(self, name: str, port: int, path: str, server: Server) -> Endpoint:
        endpoint = Endpoint(name=name, path=path)
        status, _body = get(port, path)
        if status != 200:
            endpoint.note = f"answered {status}"
            return endpoint
        url = f"http://127.0.0.1:{port}{path}"
        run_wrk(url, connections=self.args.connections, seconds=self.args.warmup)
        endpoint.single_ms = single_request_ms(port, path, self.args.single)
        for _ in range(self.args.repeats):
            cpu_before = server.cpu_seconds()
            load = run_wrk(url, connections=self.args.connections, seconds=self.args.duration)
            if load.requests:
                load.server_cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / load.requests
            endpoint.runs.append(load)
        endpoint.load = median_of_runs(endpoint.runs)
        return endpoint

    def ceiling(self, server: str, workers: int) -> tuple[Endpoint, float | None]:
        port = self.args.port
        command = [sys.executable, "-m", "bench.ceiling", "--server", server, "--port", str(port)]
        process = Server("ceiling", [*command, "--workers", str(workers)], os.environ.copy(), port, self.log("ceiling"))
        try:
            process.wait_ready("/")
            endpoint = self.measure("ceiling", port, "/", process)
            return endpoint, process.peak_rss_mb()
        finally:
            process.stop()

    def log(self, label: str) -> Path:
        return self.work / f"{label}-{len(self.runs)}.log"

    def app(self, database: str, scale: str, server: str, workers: int, url: str, facts: data.Facts) -> Run:
        ceiling, ceiling_rss = self.ceiling(server, workers)
        port = self.args.port + 1
        env = self.environment(url, port)
        command = [sys.executable, "-m", "participation.cli", "serve", "--port", str(port)]
        command += ["--workers", str(workers), "--server", server]
        process = Server("app", command, env, port, self.log("app"))
        run = Run(database, scale, server, workers, ceiling, [], ceiling_rss_mb=ceiling_rss)
        try:
            process.wait_ready("/healthz")
            for name, path in self.endpoints(facts):
                print(f"    {name} {path}", flush=True)
                run.endpoints.append(self.measure(name, port, path, process))
            if self.args.accounts:
                print(f"    supports: {self.args.accounts} accounts", flush=True)
                self.network += 1
                run.supports = writes.run(
                    url, port, env, self.work, self.args.accounts, self.args.connections, self.network
                )
            run.rss_mb = process.peak_rss_mb()
        finally:
            process.stop()
        return run

    def endpoints(self, facts: data.Facts) -> list[tuple[str, str]]:
        found = [
            ("healthz", "/healthz"),
            ("ideas", "/ideas"),
            ("ideas_theme", f"/ideas?theme={facts.common_theme}"),
            ("search", f"/ideas?q={self.args.search_word}"),
            ("idea_detail", f"/ideas/{facts.busiest_idea}"),
            ("register", "/register"),
            ("api_ideas", "/api/v1/ideas"),
            ("stats", "/stats"),
        ]
        wanted = self.args.endpoints
        return [(name, path) for name, path in found if "None" not in path and (not wanted or name in wanted)]

    def flat_base(self, run: Run) -> Run | None:
        return next(
            (
                r
                for r in self.runs
                if r.scale == "1k"
                and r.scale != run.scale
                and (r.database, r.server, r.workers) == (run.database, run.server, run.workers)
            ),
            None,
        )

    def all(self) -> None:
        for database in self.args.databases:
            for scale in self.args.scales:
                print(f"\n== {database}, {scale}", flush=True)
                url, facts = self.load(database, scale)
                for server in self.args.server:
                    for workers in self.args.workers:
                        print(f"  {server}, {workers} worker(s)", flush=True)
                        run = self.app(database, scale, server, workers, url, facts)
                        self.runs.append(run)
                        print(run_table(run, self.flat_base(run)), flush=True)


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            print(f"{tool} is not installed (Debian: apt install {'wrk' if tool == 'wrk' else 'util-linux'})")
            return 2
    if (os.cpu_count() or 1) < 2:
        print("Needs two cores: the server on core 0, wrk on core 1.")
        return 2
    os.sched_setaffinity(0, {int(CLIENT_CORE)})  # this process and its helpers stay off the server's core
    about = machine()
    configurations = len(args.databases) * len(args.scales) * len(args.workers) * len(args.server)
    per_endpoint = args.warmup + args.repeats * args.duration
    print(f"Machine: {about['cpu']}, {about['cores']} cores, {about['memory_gb']} GB, Python {about['python']}")
    endpoints = 1 + len(args.endpoints or ENDPOINT_NAMES)
    print(
        f"{configurations} configuration(s) x {endpoints} endpoints x {per_endpoint:.0f} s of wrk "
        f"(+ single requests, supports and data loading): about {configurations * endpoints * per_endpoint / 60:.0f}"
        " min of load alone"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    bench = Bench(args, work)
    try:
        bench.all()
    finally:
        targets = evaluate_targets(bench.runs) if bench.runs else []
        print(targets_table(targets))
        print(f"\nServer logs and the SQLite file: {work}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": about,
                        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                        "data": bench.facts,
                        "runs": [dataclasses.asdict(r) for r in bench.runs],
                        "targets": [dataclasses.asdict(t) for t in targets],
                    },
                    indent=2,
                )
            )
            print(f"Raw figures: {args.json}")
    exact = all(r.supports.exact for r in bench.runs if r.supports)
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
