"""Re-authentication: proof that the person at the keyboard is the account holder, just now.

Downloading all your data and deleting your account are too much to allow on a session
someone left open on a library computer. Those pages ask for the password again and remember,
in the (server-side) session, when it was last given; the proof holds for 10 minutes.

`confirm` is the one place that checks what the person re-enters: the password, and for an
account with two-step sign-in also a code from the app (or a recovery code), so every page
that requires a recent confirmation asks for both factors.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from participation.accounts import two_factor
from participation.accounts.passwords import verify_password
from participation.accounts.tables import Account
from participation.i18n import N_
from participation.settings import Settings
from participation.validation import DomainError, FormErrors

WINDOW_S = 10 * 60
SESSION_KEY = "reauthenticated_at"


async def confirm(settings: Settings, account: Account, values: Mapping[str, Any]) -> None:
    """Check the re-entered credentials, or raise FormErrors naming the field that is wrong."""
    password = str(values.get("password") or "")
    if not password or not await verify_password(account.password_hash, password, fast=settings.password_hash_fast):
        raise FormErrors({"password": N_("Your password is incorrect.")})
    if await two_factor.is_enabled(account):
        try:
            await two_factor.check_code(account, str(values.get("code") or ""), path="/account/confirm")
        except DomainError as exc:  # a wrong code, or too many of them (both recorded in the security log)
            raise FormErrors({"code": exc.message}) from exc


def remember(session: dict[str, Any], now: float | None = None) -> None:
    session[SESSION_KEY] = int(now if now is not None else time.time())


def is_recent(session: Mapping[str, Any], now: float | None = None) -> bool:
    confirmed = session.get(SESSION_KEY)
    current = now if now is not None else time.time()
    return isinstance(confirmed, int) and 0 <= current - confirmed <= WINDOW_S
