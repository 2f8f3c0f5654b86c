"""The sign-in lockout: at most `login_lockout_attempts` passwords checked per address and window.

Each sign-in reserves its attempt (an atomic count, `attempts.count_attempt`) BEFORE the password
is checked; one over the limit is refused without checking. A right password forgets the count,
a wrong one leaves it counted. So 40 simultaneous guesses check at most 10 passwords, however
they interleave. The count is keyed by a digest of the address typed (known account or not), so
the table holds no address and the answer does not tell which addresses have accounts.
"""

from __future__ import annotations

from datetime import timedelta

from participation.accounts import attempts
from participation.accounts.security_log import SecurityEventKind, email_digest, record
from participation.accounts.tables import Account
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.settings import Settings
from participation.validation import DomainError, Message


class LockedOut(DomainError):
    status_code = 429


def _key(digest: str) -> str:
    return f"sign-in:{digest}"


async def reserve(settings: Settings, email: str) -> attempts.Attempt:
    """Count this sign-in attempt; refuse it, without a password check, when over the limit."""
    attempt = await attempts.count_attempt(
        _key(email_digest(settings.secret_key, email)), timedelta(minutes=settings.login_lockout_minutes)
    )
    if attempt.over(settings.login_lockout_attempts):
        minutes = max(1, int((attempt.expires_at - utcnow()).total_seconds() // 60) + 1)
        raise LockedOut(
            Message(
                N_(
                    "Too many failed attempts for this email address. "
                    "Try again in %(minutes)s minutes or reset your password."
                ),
                minutes=minutes,
            )
        )
    return attempt


async def failed(settings: Settings, attempt: attempts.Attempt, email: str, account: Account | None) -> None:
    """A wrong password (or no such account): the attempt stays counted, and the log says so."""
    digest = None if account else email_digest(settings.secret_key, email)
    await record(SecurityEventKind.sign_in_failed, account=account, email_digest=digest)
    if attempt.number == settings.login_lockout_attempts:
        # Exactly one request holds the limit's number, so a lockout is logged once per window.
        await record(
            SecurityEventKind.lockout,
            account=account,
            email_digest=digest,
            detail=f"{attempt.number} failed sign-ins; locked until {attempt.expires_at:%Y-%m-%d %H:%M} UTC",
        )


async def forget(settings: Settings, email: str) -> None:
    """A right password, or a new one: the address starts with a clean count."""
    await attempts.forget(_key(email_digest(settings.secret_key, email)))
