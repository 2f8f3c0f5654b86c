"""The real server (`participation serve`, under granian and uvicorn) as a subprocess: what its access log says.

Finding 5: reset and confirmation tokens were in the access log. Here a person asks for a reset,
opens the link from the mail (delivered over SMTP to a local test server, so nothing mail-related
is printed), chooses a password; the server's whole output then has the paths but no token.
The same server shows that the per-address limit keys on the address in X-Forwarded-For from the
trusted proxy (127.0.0.1 here), not on the proxy's own address. Both ASGI servers that
`participation serve --server` offers must keep both behaviours (granian has no proxy-header
handling of its own: the app is wrapped, see participation.proxy_headers).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from participation.log_redaction import REDACTED, redact
from tests.helpers import PASSWORD, csrf_from
from tests.outbox.conftest import Mailbox, free_port

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a fresh passphrase for the lake"


class Server:
    def __init__(self, workdir: Path, smtp_url: str, asgi_server: str) -> None:
        self.asgi_server = asgi_server
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY", "CITY_CONFIG")}
        self.env.update(
            PARTICIPATION_ENV="development",
            PARTICIPATION_VAR_DIR=str(workdir / "var"),
            DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
            BASE_URL=self.base_url,
            SMTP_URL=smtp_url,
            PARTICIPATION_RATE_LIMITS="password_reset=4",
            FORWARDED_ALLOW_IPS="127.0.0.1",
            PYTHONUNBUFFERED="1",
        )

    def command(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "participation.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "participation.cli", "serve", "--port", str(self.port)]
            + ["--server", self.asgi_server],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"the server did not start:\n{self.output()}")

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=15)
        return self.output()

    def output(self) -> str:
        return "".join(self.lines)

    def output_through(self, last_line: str) -> str:
        """The output once `last_line` has been read from the server (a thread reads it)."""
        deadline = time.monotonic() + 10
        while last_line not in self.output():
            assert time.monotonic() < deadline, f"{last_line!r} not in:\n{self.output()}"
            time.sleep(0.1)
        return self.output()


@pytest.fixture(scope="module", params=["granian", "uvicorn"])
def server(request, tmp_path_factory) -> Iterator[tuple[Server, Mailbox]]:
    """One server per ASGI server for this module (starting one costs seconds); the tests use different addresses."""
    mailbox, smtp_port = Mailbox(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    server = Server(tmp_path_factory.mktemp("served"), f"smtp://127.0.0.1:{smtp_port}", request.param)
    try:
        server.command("migrate")
        server.command("accounts", "create", "--email", "anna@example.org", "--name", "Anna", "--password", PASSWORD)
        server.start()
        yield server, mailbox
    finally:
        if getattr(server, "process", None) and server.process.poll() is None:
            server.stop()
        smtp.stop()


def wait_for_mail(mailbox: Mailbox, count: int) -> str:
    deadline = time.monotonic() + 30
    while len(mailbox.messages) < count:
        assert time.monotonic() < deadline, "no mail arrived"
        time.sleep(0.2)
    return mailbox.messages[count - 1].get_body(("plain",)).get_content()


def post_form(http: httpx.Client, page: str, action: str, fields: dict[str, str], **headers: str) -> httpx.Response:
    token = csrf_from(http.get(page).text)
    return http.post(action, data={"_csrf_token": token, **fields}, headers=headers)


def test_reset_tokens_never_reach_the_access_log(server):
    server, mailbox = server
    with httpx.Client(base_url=server.base_url) as http:
        asked = post_form(http, "/account/forgot", "/account/forgot", {"email": "anna@example.org"})
        assert asked.status_code == 200
        text = wait_for_mail(mailbox, 1)
        link = next(word for word in text.split() if "/account/reset/" in word)
        token = link.rsplit("/", 1)[1]
        assert len(token) > 20

        form = http.get(link)
        assert form.status_code == 200 and 'name="password"' in form.text
        done = http.post(
            "/account/reset",
            data={"_csrf_token": csrf_from(form.text), "token": token, "password": NEW_PASSWORD},
        )
        assert done.status_code == 302 and done.headers["location"] == "/login"
        # A link from an older mail (token in the query string), and a confirmation link.
        assert http.get(f"/account/reset?token={token}").status_code == 400, "used once"
        assert http.get(f"/account/verify/{token}").status_code == 400

    log = server.output_through(f'"GET /account/verify/{REDACTED} HTTP/1.1" 400')

    assert f'"GET /account/reset/{REDACTED} HTTP/1.1" 200' in log
    assert '"POST /account/reset HTTP/1.1" 302' in log
    assert f'"GET /account/reset?token={REDACTED} HTTP/1.1" 400' in log
    assert f'"GET /account/verify/{REDACTED} HTTP/1.1" 400' in log
    assert token not in log
    assert token.rsplit(".", 1)[1] not in log, "not even the signature part"


def test_the_per_address_limit_counts_the_forwarded_address_of_the_trusted_proxy(server):
    server, _mailbox = server
    with httpx.Client(base_url=server.base_url) as http:
        assert http.get("/healthz").status_code == 200

        def ask(address: str) -> int:
            fields = {"email": "nobody@example.org"}
            response = post_form(http, "/account/forgot", "/account/forgot", fields, **{"X-Forwarded-For": address})
            return response.status_code

        assert [ask("203.0.113.7") for _ in range(5)] == [200, 200, 200, 200, 429]
        assert ask("203.0.113.8") == 200, "another client behind the same proxy has its own count"
        assert ask("203.0.113.7") == 429


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        ("/account/reset/12.1795940851.ABwOpK-us8_H7w", f"/account/reset/{REDACTED}"),
        ("/account/verify/12.1795940851.ABwOpK", f"/account/verify/{REDACTED}"),
        ("/account/reset?token=12.1795940851.ABw&lang=en", f"/account/reset?token={REDACTED}&lang=en"),
        ("/unsubscribe/digest?lang=en&token=7.1.x-y_z", f"/unsubscribe/digest?lang=en&token={REDACTED}"),
        ("/account/verify/resend", "/account/verify/resend"),
        ("/ideas?q=token&page=2", "/ideas?q=token&page=2"),
    ],
)
def test_what_the_filter_redacts(logged, expected):
    assert redact(logged) == expected
