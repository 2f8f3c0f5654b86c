"""wrk, pinned to the client's core, with bench/wrk.lua; its CPU share is read from the kernel."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bench.report import Load, parse_wrk

SCRIPT = Path(__file__).with_name("wrk.lua")
CLIENT_CORE = "1"


def run_wrk(url: str, *, connections: int, seconds: float, timeout_s: int = 10) -> Load:
    """One wrk run: one thread (one core), keep-alive connections, a generous timeout so slow answers
    are measured rather than dropped (wrk's default 2 s would hide the worst latencies)."""
    command = [
        "taskset", "-c", CLIENT_CORE,
        "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", f"--timeout={timeout_s}s",
        "-s", str(SCRIPT), url,
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)  # this child's own CPU time, nobody else's
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {output}")
    load = parse_wrk(output)
    load.client_cpu = (usage.ru_utime + usage.ru_stime) / wall if wall else 0.0
    return load
