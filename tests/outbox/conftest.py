"""A real SMTP server for the outbox tests (aiosmtpd on a free local port), and the CLI."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

import anyio.to_thread
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from participation.cli import main
from participation.database import bind_engine, current_engine
from participation.outbox.transport import SmtpTransport
from participation.settings import get_settings


class Mailbox:
    """What the test SMTP server received; `refuse` makes it answer 451 (try again later) to every message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.attempts = 0
        self.refuse = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            self.attempts += 1
            if self.refuse:
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Yields (mailbox, smtp URL); the server stops after the test."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    return smtp_server[0]


@pytest.fixture
def smtp(smtp_server) -> SmtpTransport:
    return SmtpTransport(smtp_server[1])


@pytest.fixture
def outbox(settings, smtp):
    """Here the test clients deliver through the real SMTP server after each request."""
    from tests.mail import Outbox

    box = Outbox(settings)
    box.transport = smtp
    return box


@pytest.fixture
def cli(settings, monkeypatch):
    """Run `participation ...` against the test database, in a thread (the command runs its own event loop)."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()

    async def run(*args: str):
        engine = current_engine()
        try:
            return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(main, list(args)))
        finally:
            bind_engine(engine)  # the command bound the tables to its own engine

    yield run
    get_settings.cache_clear()
