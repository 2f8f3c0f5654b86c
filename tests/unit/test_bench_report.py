"""The benchmark's pure parts: wrk's output read, runs combined, ratios to the ceiling, targets judged."""

from __future__ import annotations

import pytest

from bench.report import (
    Endpoint,
    Load,
    Run,
    Supports,
    evaluate_targets,
    median_of_runs,
    parse_wrk,
    ratio,
    run_table,
)

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8211/ideas
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   615.20ms  120.11ms   1.20s    70.00%
    Req/Sec    52.10     10.00    80.00     70.00%
  261 requests in 5.01s, 3.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     52.10
Transfer/sec:    633.54KB
""" + (
    "BENCH requests=261 duration_us=5010000 p50_us=600125 p95_us=910500 p99_us=1150000"
    " non2xx=3 connect=0 read=1 write=0 timeout=2\n"
)


def load(per_second: float, p95_ms: float = 10.0, **extra) -> Load:
    return Load(requests=int(per_second * 5), per_second=per_second, p50_ms=1.0, p95_ms=p95_ms, p99_ms=p95_ms, **extra)


def test_the_bench_line_of_wrk_is_read_in_milliseconds_and_requests_per_second():
    result = parse_wrk(WRK_OUTPUT)

    assert result.requests == 261
    assert result.per_second == pytest.approx(261 / 5.01)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (600.125, 910.5, 1150.0)
    assert result.non_2xx == 3
    assert result.errors == 3, "read errors and timeouts count as errors"


def test_wrk_output_without_the_bench_line_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="no BENCH line"):
        parse_wrk("unable to connect to 127.0.0.1:8211 Connection refused")


def test_the_median_of_runs_is_taken_figure_by_figure_and_keeps_the_worst_error_count():
    runs = [
        Load(100, 20.0, p50_ms=5, p95_ms=50, p99_ms=90, non_2xx=0, errors=0, client_cpu=0.1, server_cpu_ms=None),
        Load(300, 60.0, p50_ms=4, p95_ms=400, p99_ms=80, non_2xx=2, errors=0, client_cpu=0.3, server_cpu_ms=3.0),
        Load(200, 40.0, p50_ms=6, p95_ms=40, p99_ms=70, non_2xx=0, errors=1, client_cpu=0.2, server_cpu_ms=5.0),
    ]

    combined = median_of_runs(runs)

    assert combined.per_second == 40.0
    assert (combined.p50_ms, combined.p95_ms, combined.p99_ms) == (5, 50, 80)
    assert (combined.non_2xx, combined.errors) == (2, 1)
    assert combined.client_cpu == pytest.approx(0.2)
    assert combined.server_cpu_ms == 4.0, "a run without a CPU reading does not count"
    with pytest.raises(ValueError):
        median_of_runs([])


def test_a_ratio_to_a_ceiling_that_was_not_measured_is_none():
    assert ratio(600, 3000) == pytest.approx(0.2)
    assert ratio(600, 0) is None


def city_run(database: str = "sqlite", **figures) -> Run:
    endpoints = [
        Endpoint("healthz", "/healthz", figures.get("healthz", load(1600)), single_ms=1.0),
        Endpoint("ideas", "/ideas", figures.get("ideas", load(700, p95_ms=55)), single_ms=figures.get("single", 12.0)),
        Endpoint("ideas_theme", "/ideas?theme=energy", load(650, p95_ms=50), single_ms=10.0),
        Endpoint("search", "/ideas?q=sensor", figures.get("search", load(300, p95_ms=140)), single_ms=30.0),
        Endpoint("idea_detail", "/ideas/1", load(620, p95_ms=59), single_ms=14.0),
        Endpoint("register", "/register", load(900, p95_ms=30), single_ms=8.0),
        Endpoint("stats", "/stats", None, note="answered 404"),
    ]
    supports = Supports(
        accounts=1000,
        per_second=figures.get("supports", 250.0),
        p50_ms=50,
        p95_ms=90,
        statuses={"200": 1000},
        exact=figures.get("exact", True),
        checked={},
        client_cpu=0.2,
    )
    return Run(
        database,
        figures.get("scale", "city"),
        "granian",
        1,
        Endpoint("ceiling", "/", load(3000)),
        endpoints,
        supports,
        rss_mb=figures.get("rss", 180.0),
    )


def verdicts(runs: list[Run]) -> dict[str, tuple[bool | None, str]]:
    return {t.name: (t.met, t.figure) for t in evaluate_targets(runs)}


def test_targets_met_at_city_scale_with_one_worker():
    small = city_run(scale="1k")
    result = verdicts([small, city_run()])

    assert result["sqlite city: ideas ≥20% of ceiling, p95 ≤60 ms"] == (True, "23% of ceiling, p95 55 ms")
    assert result["sqlite city: /healthz ≥50% of ceiling"] == (True, "53%")
    assert result["sqlite city: search p95 ≤150 ms"][0] is True
    assert result["sqlite: flat cost ideas city/1k ≤1.5x"][0] is True
    assert result["sqlite city: supports ≥200/s, each counted once"] == (True, "250/s, exact")
    assert result["sqlite city: app process <300 MB RSS"] == (True, "180 MB")
    assert all(met for met, _ in result.values())


def test_each_target_is_missed_by_its_own_rule():
    small = city_run(scale="1k")
    slow = city_run(
        ideas=load(500, p95_ms=55),  # 17% of the ceiling: too little throughput even with a good p95
        healthz=load(1400),
        search=load(300, p95_ms=151),
        single=18.1,  # 12 ms at 1k: 1.51x
        supports=150.0,
        rss=310.0,
    )
    result = verdicts([small, slow])

    assert result["sqlite city: ideas ≥20% of ceiling, p95 ≤60 ms"] == (False, "17% of ceiling, p95 55 ms")
    assert result["sqlite city: /healthz ≥50% of ceiling"][0] is False
    assert result["sqlite city: search p95 ≤150 ms"] == (False, "p95 151 ms")
    assert result["sqlite: flat cost ideas city/1k ≤1.5x"] == (False, "1.51x (12.0 -> 18.1 ms)")
    assert result["sqlite city: supports ≥200/s, each counted once"][0] is False
    assert result["sqlite city: app process <300 MB RSS"][0] is False


def test_a_fast_page_with_a_slow_p95_misses_and_postgres_needs_500_supports_and_exact_counts():
    result = verdicts([city_run("postgres", ideas=load(900, p95_ms=61), supports=600.0, exact=False)])

    assert result["postgres city: ideas ≥20% of ceiling, p95 ≤60 ms"][0] is False
    assert result["postgres city: supports ≥500/s, each counted once"] == (False, "600/s, MISMATCH")
    assert result["postgres city: register ≥20% of ceiling, p95 ≤60 ms"][0] is True


def test_a_page_that_did_not_answer_is_not_measured_and_the_table_says_n_a():
    run = city_run()
    run.endpoints[1] = Endpoint("ideas", "/ideas", None, note="answered 500")

    assert verdicts([run])["sqlite city: ideas ≥20% of ceiling, p95 ≤60 ms"] == (None, "not measured")
    table = run_table(run, city_run(scale="1k"))
    assert "ideas" in table and "answered 500" in table
    assert "stats" in table and "answered 404" in table
    register_line = next(line for line in table.splitlines() if line.startswith("register"))
    assert "0.30" in register_line, "900 req/s against a 3,000 req/s ceiling"
    assert register_line.rstrip().endswith("1.00"), "the same single-request time at both scales"


def test_when_servers_are_compared_each_is_judged_on_its_own_runs():
    granian = city_run(healthz=load(1600))
    uvicorn = city_run(healthz=load(1400))
    uvicorn.server = "uvicorn"

    result = verdicts([granian, uvicorn])

    assert result["sqlite city granian: /healthz ≥50% of ceiling"] == (True, "53%")
    assert result["sqlite city uvicorn: /healthz ≥50% of ceiling"] == (False, "47%")
