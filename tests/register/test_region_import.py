"""The region view: this app imports another city's register from a second, real server.

Instance A (another municipality) is `participation serve` in a subprocess with its own SQLite
database and city configuration; the test's app (instance B) reads A's `/register.json` with
`participation register import URL` and shows it read-only on `/region`. A re-import after A
changed updates in place, adds and removes, and never duplicates.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from participation.register import region
from participation.register.region_tables import RegionEntry
from participation.settings import ROOT

pytestmark = pytest.mark.anyio


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OtherCity:
    """Another municipality's platform on a free port, with its own database."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        city = (ROOT / "participation/cities/zoetermeer.toml").read_text(encoding="utf-8")
        city = re.sub(r'(?m)^name = "Zoetermeer"$', 'name = "Pijnacker-Nootdorp"', city, count=1)
        city = re.sub(r'(?m)^slug = "zoetermeer"$', 'slug = "pijnacker-nootdorp"', city, count=1)
        (workdir / "city.toml").write_text(city, encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SMTP_URL", "SECRET_KEY")}
        self.env.update(
            PARTICIPATION_ENV="development",
            PARTICIPATION_VAR_DIR=str(workdir / "var"),
            DATABASE_URL=f"sqlite:///{workdir / 'other.sqlite3'}",
            CITY_CONFIG=str(workdir / "city.toml"),
            BASE_URL=self.base_url,
            PYTHONUNBUFFERED="1",
        )
        self.lines: list[str] = []
        self.process: subprocess.Popen[str] | None = None

    def run(self, step: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "tests.register.region_source", step],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "participation.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the other city's server stopped:\n" + "".join(self.lines))
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the other city's server did not start:\n" + "".join(self.lines))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def other_city(tmp_path):
    city = OtherCity(tmp_path)
    city.run("seed")
    city.start()
    yield city
    city.stop()


async def _rows() -> list[dict]:
    return await RegionEntry.select().order_by(RegionEntry.remote_slug)


async def test_another_citys_register_is_imported_read_only_and_reimported_without_duplicates(client, cli, other_city):
    source = other_city.base_url + "/register.json"
    result = await cli("register", "import", source)
    assert result.exit_code == 0, result.output
    assert "Pijnacker-Nootdorp: 2 added, 0 updated, 0 removed." in result.output
    first = await _rows()
    assert [r["remote_slug"] for r in first] == ["buurtbatterij-in-keijzershof", "slimme-verkeerslichten-op-de-oostweg"]
    assert {r["source"] for r in first} == {source} and {r["source_city"] for r in first} == {"Pijnacker-Nootdorp"}
    lights = first[1]
    assert lights["url"] == other_city.base_url + "/register/slimme-verkeerslichten-op-de-oostweg"
    assert lights["algorithm_used"] is True and lights["personal_data"] is False and lights["budget_eur"] == 50000
    assert lights["license_url"] == "https://creativecommons.org/publicdomain/zero/1.0/"

    page = await client.get("/region")
    assert page.status_code == 200
    assert "Smart City-projecten in de regio" in page.text
    assert "Deze projecten zijn geen projecten van Zoetermeer" in page.text  # clearly another municipality's
    assert "Gemeente Pijnacker-Nootdorp" in page.text
    assert f'href="{lights["url"]}"' in page.text and "Slimme verkeerslichten op de Oostweg" in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]  # read-only: nothing to submit
    own_register = await client.get("/register")
    assert "Slimme verkeerslichten" not in own_register.text  # never mixed into this city's own register

    other_city.run("change")
    result = await cli("register", "import", source)
    assert result.exit_code == 0, result.output
    assert "Pijnacker-Nootdorp: 1 added, 1 updated, 1 removed." in result.output
    second = await _rows()
    assert [r["remote_slug"] for r in second] == ["deelfietsen-bij-het-station", "slimme-verkeerslichten-op-de-oostweg"]
    updated = second[1]
    assert updated["id"] == lights["id"] and updated["title"] == "Slimme verkeerslichten op de Oostweg en Westweg"
    page = await client.get("/region")
    assert "Buurtbatterij" not in page.text and "Oostweg en Westweg" in page.text and "Deelfietsen" in page.text

    # Once more without changes: the same rows, nothing added or removed.
    result = await cli("register", "import", source)
    assert "0 added, 2 updated, 0 removed." in result.output
    assert await RegionEntry.count() == 2

    result = await cli("register", "forget", source)
    assert result.exit_code == 0 and "2 entries removed" in result.output
    assert await RegionEntry.count() == 0 and "nog geen register" in (await client.get("/region")).text
    result = await cli("register", "forget", source)
    assert result.exit_code != 0 and "Nothing was imported" in result.output


async def test_an_address_that_is_not_a_register_export_is_refused(client, cli, other_city):
    result = await cli("register", "import", other_city.base_url + "/register/schema/v1.json")
    assert result.exit_code != 0 and "is not a register export of schema version 1" in result.output
    result = await cli("register", "import", other_city.base_url + "/register")
    assert result.exit_code != 0 and "is not JSON" in result.output
    result = await cli("register", "import", "file:///etc/passwd")
    assert result.exit_code != 0 and "not an http or https address" in result.output
    result = await cli("register", "import", other_city.base_url + "/register.json", "--max-mb", "1")
    assert result.exit_code == 0  # the small export fits
    assert await RegionEntry.count() == 2
    with pytest.raises(region.RegionImportError, match="larger than 1000 bytes"):
        await region.fetch_export(other_city.base_url + "/register.json", max_bytes=1000)
    with pytest.raises(region.RegionImportError, match="did not answer within"):
        await region.fetch_export(other_city.base_url + "/register.json", timeout=0.000001)


async def test_imports_of_one_source_at_once_never_duplicate(settings, other_city):
    source = other_city.base_url + "/register.json"
    results = await asyncio.gather(*(region.import_register(settings, source) for _ in range(4)))
    assert sorted(r.added for r in results)[-1] <= 2 and all(r.removed == 0 for r in results)
    rows = await _rows()
    assert [r["remote_slug"] for r in rows] == ["buurtbatterij-in-keijzershof", "slimme-verkeerslichten-op-de-oostweg"]
