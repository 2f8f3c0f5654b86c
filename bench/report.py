"""The pure part of the benchmark: wrk's output read, runs combined, the table and the targets.

No I/O here, so the rules are unit tested (tests/unit/test_bench_report.py).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

# The line bench/wrk.lua prints in done(); everything else wrk prints is ignored.
_WRK_LINE = re.compile(r"^BENCH (?P<fields>(?:\w+=-?\d+ ?)+)$", re.MULTILINE)


@dataclass
class Load:
    """One wrk run (or the median of several): throughput, latency and what went wrong."""

    requests: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx: int = 0
    errors: int = 0  # connect, read, write errors and timeouts
    client_cpu: float = 0.0  # the load generator's CPU time / wall time (1.0: it used its whole core)
    server_cpu_ms: float | None = None  # the server's CPU time per answered request


def parse_wrk(output: str) -> Load:
    """Read the BENCH line of bench/wrk.lua (latencies in microseconds)."""
    match = _WRK_LINE.search(output)
    if not match:
        raise ValueError(f"no BENCH line in wrk's output:\n{output}")
    values = {name: int(value) for name, value in (pair.split("=") for pair in match["fields"].split())}
    return Load(
        requests=values["requests"],
        per_second=values["requests"] / (values["duration_us"] / 1e6) if values["duration_us"] else 0.0,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        non_2xx=values["non2xx"],
        errors=sum(values[k] for k in ("connect", "read", "write", "timeout")),
    )


def median_of_runs(runs: list[Load]) -> Load:
    """Each figure's median over the runs (taken one figure at a time: a noisy run moves none of them far)."""
    if not runs:
        raise ValueError("no runs")
    return Load(
        requests=round(statistics.median(r.requests for r in runs)),
        per_second=statistics.median(r.per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p95_ms=statistics.median(r.p95_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        non_2xx=max(r.non_2xx for r in runs),
        errors=max(r.errors for r in runs),
        client_cpu=statistics.median(r.client_cpu for r in runs),
        server_cpu_ms=_median_known([r.server_cpu_ms for r in runs]),
    )


def _median_known(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def ratio(value: float, ceiling: float) -> float | None:
    return value / ceiling if ceiling > 0 else None


@dataclass
class Endpoint:
    """One measured endpoint of one configuration; `load` is None when it did not answer 200 ("n/a")."""

    name: str
    path: str
    load: Load | None = None
    single_ms: float | None = None  # median of sequential single requests on the otherwise idle server
    runs: list[Load] = field(default_factory=list)
    note: str = ""


@dataclass
class Supports:
    """The write test: each account supports one idea once, through HTTP."""

    accounts: int
    per_second: float
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int]
    exact: bool  # every support counted once: the counters equal the rows, for the idea and for all ideas
    checked: dict[str, int]
    client_cpu: float


@dataclass
class Run:
    """One database, scale, server and worker count."""

    database: str
    scale: str
    server: str
    workers: int
    ceiling: Endpoint
    endpoints: list[Endpoint]
    supports: Supports | None = None
    rss_mb: float | None = None  # the app's largest process, peak (VmHWM)
    ceiling_rss_mb: float | None = None

    def endpoint(self, name: str) -> Endpoint | None:
        return next((e for e in self.endpoints if e.name == name), None)


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def _cpu(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def run_table(run: Run, flat_base: Run | None = None) -> str:
    """The table of one run; `flat_base` (the same database and workers at 1k) adds the flat-cost column."""
    ceiling_rate = run.ceiling.load.per_second if run.ceiling.load else 0.0
    header = (
        f"{'endpoint':<14} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x ceil':>7} "
        f"{'non2xx':>6} {'err':>5} {'wrk cpu':>7} {'cpu ms':>7} {'1 req ms':>9} {'city/1k':>7}"
    )
    lines = [
        f"\n{run.database} · {run.scale} · {run.server} · {run.workers} worker(s)"
        f" · app peak RSS {_ms(run.rss_mb)} MB (ceiling app {_ms(run.ceiling_rss_mb)} MB)",
        header,
        "-" * len(header),
    ]
    for endpoint in [run.ceiling, *run.endpoints]:
        load = endpoint.load
        if load is None:
            lines.append(f"{endpoint.name:<14} {'n/a':>8}  {endpoint.note}")
            continue
        share = ratio(load.per_second, ceiling_rate)
        flat = ""
        if flat_base and (base := flat_base.endpoint(endpoint.name)) and base.single_ms and endpoint.single_ms:
            flat = f"{endpoint.single_ms / base.single_ms:.2f}"
        lines.append(
            f"{endpoint.name:<14} {load.per_second:>8,.0f} {load.p50_ms:>8,.1f} {load.p95_ms:>8,.1f} "
            f"{load.p99_ms:>8,.1f} {'' if share is None else f'{share:.2f}':>7} {load.non_2xx:>6} "
            f"{load.errors:>5} {load.client_cpu:>7.0%} {_cpu(load.server_cpu_ms):>7} {_ms(endpoint.single_ms):>9} "
            f"{flat:>7}"
        )
    if run.supports:
        s = run.supports
        lines.append(
            f"{'supports':<14} {s.per_second:>8,.0f} {s.p50_ms:>8,.1f} {s.p95_ms:>8,.1f} {'':>8} "
            f"{'':>7} {'':>6} {'':>5} {s.client_cpu:>7.0%} {'':>7}  {s.accounts} accounts, statuses {s.statuses}, "
            f"{'exact' if s.exact else 'MISMATCH'} {s.checked}"
        )
    return "\n".join(lines)


@dataclass
class Target:
    name: str
    met: bool | None  # None: not measured in this run
    figure: str


# The targets of issue 14: city scale, one worker, 32 connections, both databases.
PAGES = ("ideas", "ideas_theme", "idea_detail", "register")
PAGE_SHARE = 0.20
PAGE_P95_MS = 60.0
HEALTHZ_SHARE = 0.50
SEARCH_P95_MS = 150.0
FLAT_FACTOR = 1.5
SUPPORTS_PER_SECOND = {"postgres": 500.0, "sqlite": 200.0}
RSS_MB = 300.0


def evaluate_targets(runs: list[Run]) -> list[Target]:
    """Each target for each database, judged on the one-worker city run (or the largest scale run)."""
    targets: list[Target] = []
    several_servers = len({r.server for r in runs}) > 1
    for database, server in dict.fromkeys((r.database, r.server) for r in runs):
        ours = [r for r in runs if (r.database, r.server) == (database, server)]
        mine = [r for r in ours if r.workers == 1] or ours
        judged = next((r for r in mine if r.scale == "city"), mine[-1])
        small = next((r for r in mine if r.scale == "1k"), None)
        where = f"{database} {judged.scale}" + (f" {server}" if several_servers else "")
        ceiling = judged.ceiling.load.per_second if judged.ceiling.load else 0.0
        for name in PAGES:
            endpoint = judged.endpoint(name)
            if endpoint is None:
                continue  # not asked for (--endpoints)
            if endpoint.load is None:
                targets.append(Target(f"{where}: {name} ≥20% of ceiling, p95 ≤60 ms", None, "not measured"))
                continue
            share = ratio(endpoint.load.per_second, ceiling) or 0.0
            targets.append(
                Target(
                    f"{where}: {name} ≥20% of ceiling, p95 ≤60 ms",
                    share >= PAGE_SHARE and endpoint.load.p95_ms <= PAGE_P95_MS,
                    f"{share:.0%} of ceiling, p95 {endpoint.load.p95_ms:,.0f} ms",
                )
            )
        healthz = judged.endpoint("healthz")
        if healthz and healthz.load:
            share = ratio(healthz.load.per_second, ceiling) or 0.0
            targets.append(Target(f"{where}: /healthz ≥50% of ceiling", share >= HEALTHZ_SHARE, f"{share:.0%}"))
        search = judged.endpoint("search")
        if search and search.load:
            p95 = search.load.p95_ms
            targets.append(Target(f"{where}: search p95 ≤150 ms", p95 <= SEARCH_P95_MS, f"p95 {p95:,.0f} ms"))
        for endpoint in judged.endpoints:
            base = small.endpoint(endpoint.name) if small and small is not judged else None
            if base and base.single_ms and endpoint.single_ms:
                factor = endpoint.single_ms / base.single_ms
                targets.append(
                    Target(
                        f"{database}{f' {server}' if several_servers else ''}: flat cost {endpoint.name} city/1k ≤1.5x",
                        factor <= FLAT_FACTOR,
                        f"{factor:.2f}x ({base.single_ms:,.1f} -> {endpoint.single_ms:,.1f} ms)",
                    )
                )
        if judged.supports:
            s = judged.supports
            wanted = SUPPORTS_PER_SECOND.get(database, 0.0)
            targets.append(
                Target(
                    f"{where}: supports ≥{wanted:.0f}/s, each counted once",
                    s.per_second >= wanted and s.exact,
                    f"{s.per_second:,.0f}/s, {'exact' if s.exact else 'MISMATCH'}",
                )
            )
        if judged.rss_mb is not None:
            targets.append(
                Target(f"{where}: app process <300 MB RSS", judged.rss_mb < RSS_MB, f"{judged.rss_mb:,.0f} MB")
            )
    return targets


def targets_table(targets: list[Target]) -> str:
    lines = ["\nTargets (issue 14; judged on one worker at city scale where it ran)"]
    for target in targets:
        verdict = {True: "met   ", False: "MISSED", None: "n/a   "}[target.met]
        lines.append(f"  {verdict} {target.name}: {target.figure}")
    return "\n".join(lines)
