"""Sending email: SMTP when SMTP_URL is set, the console in development, memory in tests.

Account mails (verification, password reset) are sent directly after the
change that causes them. The outbox of DESIGN.md (written in the same
transaction, drained with retries) comes with notifications; see the README.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlparse

import anyio.to_thread

from participation.settings import Settings


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


# Tests read the links from here (mail_backend="memory").
sent_mail: list[Mail] = []


async def send_mail(settings: Settings, mail: Mail) -> None:
    if settings.mail_backend == "memory":
        sent_mail.append(mail)
    elif settings.smtp_url:
        await anyio.to_thread.run_sync(_send_smtp, settings, mail)
    else:
        print(f"\n--- mail to {mail.to} ---\nSubject: {mail.subject}\n\n{mail.body}\n--- end of mail ---\n", flush=True)


def _send_smtp(settings: Settings, mail: Mail) -> None:
    url = urlparse(settings.smtp_url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, mail.to, mail.subject
    message.set_content(mail.body)
    smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with smtp_class(
        url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=30
    ) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls(context=ssl.create_default_context())
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)
