"""How an outbox row leaves the platform: the MIME message, and SMTP, the console or memory.

`build_transport(settings)` chooses: SMTP when `SMTP_URL` is set; otherwise, in development,
the console plus an `.eml` file under `var/mail/` (open it in a mail program, or copy the
link); `mail_backend="memory"` keeps messages in a list (tests).
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

import aiosmtplib

from participation.outbox.tables import OutboxMessage
from participation.settings import ConfigurationError, Settings

SMTP_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
SMTP_TIMEOUT_S = 30


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver or raise; the worker retries on any exception."""


def message_id_header(message: OutboxMessage, settings: Settings) -> str:
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    return f"<{message.message_id}@{domain}>"


def build_message(message: OutboxMessage, settings: Settings) -> EmailMessage:
    """The MIME message for a row: plain text and HTML, the city as sender name, a stable Message-ID."""
    mime = EmailMessage()
    mime["From"] = email.utils.formataddr((settings.city.name, settings.mail_from))
    mime["To"] = message.recipient
    mime["Subject"] = message.subject
    # Fixed by the row, not the attempt: a resend after a crash is recognisably the same message.
    mime["Message-ID"] = message_id_header(message, settings)
    mime["Date"] = email.utils.format_datetime(message.created_at)
    mime["Content-Language"] = message.locale
    # RFC 3834: no out-of-office replies to the platform.
    mime["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        # RFC 8058 one-click unsubscribe: the mail client POSTs to the URL, no sign-in needed.
        mime["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content(message.text_body)
    mime.add_alternative(message.html_body, subtype="html")
    return mime


@dataclass(frozen=True)
class SmtpTransport:
    """`smtp://` (plain), `smtp+starttls://` (upgrade on 587) or `smtps://` (TLS at once); optional user:pass."""

    url: str

    def __post_init__(self) -> None:
        scheme = urlparse(self.url).scheme
        if scheme not in SMTP_SCHEMES:
            raise ConfigurationError(f"SMTP_URL must start with {', '.join(s + '://' for s in SMTP_SCHEMES)}")

    async def send(self, message: EmailMessage) -> None:
        url = urlparse(self.url)
        await aiosmtplib.send(
            message,
            hostname=url.hostname or "localhost",
            port=url.port or SMTP_SCHEMES[url.scheme],
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password or "") if url.username else None,
            use_tls=url.scheme == "smtps",
            start_tls=url.scheme == "smtp+starttls",
            timeout=SMTP_TIMEOUT_S,
        )


@dataclass(frozen=True)
class ConsoleTransport:
    """Development: print the message and keep it as an `.eml` file a newcomer can open."""

    directory: Path

    async def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = email.utils.parsedate_to_datetime(message["Date"]).strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0][:12]}.eml"
        path.write_bytes(bytes(message))
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        print(
            f"\n--- mail to {message['To']} ---\nSubject: {message['Subject']}\n\n{text}\n"
            f"--- end of mail (saved as {path}) ---\n",
            flush=True,
        )


@dataclass(frozen=True)
class DeliveredMail:
    """A message as a test reads it."""

    to: str
    subject: str
    body: str
    html: str
    message: EmailMessage

    @classmethod
    def of(cls, message: EmailMessage) -> DeliveredMail:
        return cls(
            to=str(message["To"]),
            subject=str(message["Subject"]),
            body=message.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
            html=message.get_body(("html",)).get_content(),  # type: ignore[union-attr]
            message=message,
        )


@dataclass
class MemoryTransport:
    """Tests: delivered messages are kept in `sent`."""

    sent: list[DeliveredMail] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(DeliveredMail.of(message))


def build_transport(settings: Settings) -> Transport:
    if settings.mail_backend == "memory":
        return MemoryTransport()
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return ConsoleTransport(settings.var_dir / "mail")
