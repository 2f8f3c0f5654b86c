"""Servers under test: started pinned to the server's core, waited for, measured, stopped."""

from __future__ import annotations

import http.client
import os
import signal
import statistics
import subprocess
import time
from pathlib import Path

from bench.supports import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = "0"


class Server:
    """A process group of our own (the server and its workers), so stopping it stops all of them."""

    def __init__(self, label: str, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.label, self.port, self.log_path = label, port, log
        self.log = log.open("w")
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, *command],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited during start-up:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get(self.port, path)[0] < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.label} did not start:\n{self.log_path.read_text()[-3000:]}")

    def peak_rss_mb(self) -> float | None:
        """The largest peak resident set (VmHWM) among the server's processes: the per-process figure."""
        peaks = [peak for pid in _tree(self.process.pid) if (peak := peak_rss_mb(pid)) is not None]
        return max(peaks) if peaks else None

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes so far (per request it is much less
        disturbed by other work on a shared core than req/s is)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in _tree(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15 of stat)
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_tree(int(child)))
    return found


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def single_request_ms(port: int, path: str, count: int) -> float:
    """Median of `count` sequential requests on one keep-alive connection: the cost of one page alone."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            get(port, path, connection)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return statistics.median(timings)
