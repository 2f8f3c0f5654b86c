"""The browser suite: the app as a real server on SQLite with demo data, driven by Debian's Chromium.

The server is `participation demo` in a subprocess with its own var directory, database and a
city configuration whose support threshold is 3, so that three supports route an idea. Its
standard output is kept: in development every email is printed there, verification links too.
Playwright drives the system Chromium (`executable_path`); it never downloads a browser.

These tests run once, on SQLite, whatever TEST_POSTGRES_URL says: they do not use the
`database_kind` fixture of tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from participation.demo import DEMO_ACCOUNTS
from tests.browser.people import PointerPerson
from tests.sign_in_codes import code_after

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PORTS = range(8600, 8700)
DEMO_PASSWORD = "smart-city-demo-2026"
RESIDENT, MODERATOR, EDITOR, ADMIN = (
    "anna@example.org",
    "moderator@example.org",
    "editor@example.org",
    "admin@example.org",
)
INSTALL_HINT = (
    "The browser tests need Debian's Chromium: run `apt-get update && apt-get install -y chromium` as root "
    "(./scripts/test does this itself when it runs as root), or set CHROMIUM=/path/to/chromium."
)


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class DemoServer:
    """`participation demo` on a free port; its output is collected line by line."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database = workdir / "participation.sqlite3"
        self.lines: list[str] = []
        self._lock = threading.Lock()
        city = (ROOT / "participation/cities/zoetermeer.toml").read_text(encoding="utf-8")
        city, replaced = re.subn(r"(?m)^threshold = \d+$", "threshold = 3", city)
        assert replaced == 1, "the city file's [support] threshold line changed: update the browser suite"
        (workdir / "city.toml").write_text(city, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SMTP_URL", "SECRET_KEY")}
        env.update(
            PARTICIPATION_ENV="development",
            PARTICIPATION_VAR_DIR=str(workdir / "var"),
            DATABASE_URL=f"sqlite:///{self.database}",
            CITY_CONFIG=str(workdir / "city.toml"),
            BASE_URL=self.base_url,
            # Every person in this suite comes from 127.0.0.1: the per-address limits would refuse them.
            PARTICIPATION_RATE_LIMITS="login=1000,registration=1000,password_reset=1000,submission=1000,"
            "comment=1000,support=1000,report=1000",
            # And its few demo accounts act far faster than people: the per-account limits too.
            PARTICIPATION_ACCOUNT_RATE_LIMITS="login=1000,registration=1000,password_reset=1000,submission=1000,"
            "comment=1000,support=1000,report=1000",
            PYTHONUNBUFFERED="1",
        )
        command = [sys.executable, "-m", "participation.cli", "demo", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line)

    def output(self) -> str:
        with self._lock:
            return "".join(self.lines)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo server stopped (exit {self.process.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the demo server did not answer within {timeout} s:\n{self.output()}")

    def mail_link(self, to: str, path: str, timeout: float = 10) -> str:
        """The last link to `path` in a mail printed for `to` (development mail goes to the console)."""
        link = re.escape(self.base_url + path)
        pattern = re.compile(rf"--- mail to {re.escape(to)} ---\n.*?(?P<link>{link}\S*).*?--- end of mail", re.S)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = list(pattern.finditer(self.output()))
            if found:
                return found[-1].group("link")
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} with a link to {path} in the server output")

    def sign_in_code(self, email: str) -> str | None:
        """What the authenticator app shows for a demo staff account (its key is printed at start-up)."""
        secret = next((a.two_factor_secret for a in DEMO_ACCOUNTS if a.email == email), None)
        if secret is None:
            return None
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            row = db.execute(
                "SELECT last_used_step FROM two_factor JOIN account ON account.id = two_factor.account "
                "WHERE account.email = ?",
                (email,),
            ).fetchone()
        return code_after(secret, row[0] if row else 0)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="package")
def server() -> Iterator[DemoServer]:
    workdir = Path(tempfile.mkdtemp(prefix="participation-browser-"))
    demo = DemoServer(workdir)
    try:
        demo.wait_ready()
        yield demo
    finally:
        demo.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "browser-server.log").write_text(demo.output(), encoding="utf-8")
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="package")  # ends with this folder: sync Playwright runs an event loop in this thread
def browser():
    """Debian's Chromium under Playwright. Missing, it is a failure with the way to install it, never a skip."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: install the test extra (`pip install -e '.[test]'`).", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, server):
    """Open browser contexts (one person each); all are closed after the test."""
    contexts = []

    def open_context(**options):
        options.setdefault("base_url", server.base_url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def _one(db: sqlite3.Connection, sql: str) -> object:
    row = db.execute(sql).fetchone()
    assert row, f"the demo data has nothing for: {sql}"
    return row[0]


@pytest.fixture(scope="package")
def demo(server) -> dict[str, object]:
    """Ids and slugs of demo content for each page type (the server's database, read-only)."""
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        anna = _one(db, f"SELECT id FROM account WHERE email = '{RESIDENT}'")
        return {
            "resident_id": anna,
            "commented_idea": _one(
                db,
                "SELECT idea.id FROM idea JOIN comment ON comment.idea = idea.id WHERE idea.status = 'published' "
                "AND idea.kind = 'idea' AND comment.status = 'visible' ORDER BY idea.id",
            ),
            # "<idea>/comments/<comment>": a thread view's path.
            "comment_thread": _one(
                db,
                "SELECT comment.idea || '/comments/' || comment.id FROM comment JOIN idea ON idea.id = comment.idea "
                "WHERE comment.parent IS NULL AND comment.status = 'visible' AND idea.status = 'published' "
                "ORDER BY comment.id",
            ),
            "pilot": _one(db, "SELECT id FROM idea WHERE kind = 'pilot' AND status = 'published' ORDER BY id"),
            "routed_idea": _one(db, "SELECT id FROM idea WHERE status = 'routed' ORDER BY id"),
            "submitted_idea": _one(db, "SELECT id FROM idea WHERE status = 'submitted' ORDER BY id"),
            "resident_draft": _one(
                db,
                f"SELECT id FROM idea WHERE author = {anna} AND status IN ('submitted', 'needs_changes') ORDER BY id",
            ),
            "resident_comment": _one(
                db, f"SELECT id FROM comment WHERE author = {anna} AND status = 'visible' ORDER BY id DESC"
            ),
            "other_comment": _one(
                db, f"SELECT id FROM comment WHERE author <> {anna} AND status = 'visible' ORDER BY id"
            ),
            "completed_entry": _one(db, "SELECT slug FROM register_entry WHERE status = 'completed' ORDER BY id"),
            "running_entry": _one(db, "SELECT slug FROM register_entry WHERE status = 'running' ORDER BY id"),
            "idea_entry": _one(db, "SELECT slug FROM register_entry WHERE origin = 'idea' ORDER BY id"),
        }


@pytest.fixture(scope="package")
def pages_of(browser, server) -> Callable[[str | None], Page]:
    """One page per person, signed in once for the whole session."""
    opened: dict[str | None, Page] = {}
    contexts = []

    def page_of(who: str | None) -> Page:
        if who not in opened:
            context = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900})
            contexts.append(context)
            person = PointerPerson(context)
            if who is not None:
                person.go("/login")
                person.fill("E-mailadres", who)
                person.fill("Wachtwoord", DEMO_PASSWORD)
                person.press("Inloggen")
                if code := server.sign_in_code(who):
                    person.fill("Code", code)
                    person.press("Inloggen")
            opened[who] = person.page
        return opened[who]

    yield page_of
    for context in contexts:
        context.close()
