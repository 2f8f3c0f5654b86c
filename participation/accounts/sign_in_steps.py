"""What happens after the right password: a session at once, or first a code, or first enrolment.

Between the steps the session holds only a pending sign-in (the account's id under another
key, never `account_id`): the middleware sees an anonymous visitor until every factor is in.
It expires after a few minutes, ends after a few wrong codes, and dies with the account's
auth version (a password change or a role change in between).
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.plugins.flash import flash
from litestar.response import Redirect

from participation.accounts import security_log, two_factor
from participation.accounts.auth import start_session
from participation.accounts.permissions import is_staff
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.sessions import rotate_session

PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 300
MAX_WRONG_CODES = 5
CODE_PAGE = "/login/code"
ENROL_PAGE = "/login/enrol"


async def after_password(request: Request, account: Account, *, remember: bool, next_path: str) -> Redirect:
    if await two_factor.is_enabled(account):
        _start_pending(request, account, remember, next_path, enrol=False)
        return Redirect(CODE_PAGE)
    if is_staff(account):
        _start_pending(request, account, remember, next_path, enrol=True)
        return Redirect(ENROL_PAGE)
    return await complete(request, account, remember=remember, next_path=next_path)


async def complete(request: Request, account: Account, *, remember: bool, next_path: str) -> Redirect:
    await begin(request, account, remember=remember)
    flash(request, gettext("You are signed in."), category="success")
    return Redirect(next_path)


async def begin(request: Request, account: Account, *, remember: bool) -> None:
    """Every factor is in: the session starts under a fresh id, and the log says so."""
    start_session(request, account, remember=remember)
    await security_log.record(SecurityEventKind.sign_in, account=account, path=request.url.path)


def _start_pending(request: Request, account: Account, remember: bool, next_path: str, enrol: bool) -> None:
    locale = request.session.get("locale")
    request.scope["session"] = {
        PENDING_KEY: {
            "account": account.id,
            "auth_version": account.auth_version,
            "until": int(time.time()) + PENDING_SECONDS,
            "remember": remember,
            "next": next_path,
            "wrong": 0,
            "enrol": enrol,
            # Enrolment shows this secret until a right code confirms it; it lives only here till then.
            **({"secret": two_factor.new_secret()} if enrol else {}),
        },
        **({"locale": locale} if locale else {}),
    }
    rotate_session(request)


async def pending(request: Request, *, enrol: bool) -> tuple[Account, dict[str, Any]] | None:
    """The pending sign-in of this session for this step, if it is still good."""
    state = request.session.get(PENDING_KEY)
    if not state or bool(state.get("enrol")) != enrol:
        return None
    account = await Account.objects().get(Account.id == state["account"])
    if (
        time.time() > state["until"]
        or account is None
        or account.deleted_at is not None
        or account.auth_version != state["auth_version"]
    ):
        abandon(request)
        return None
    return account, state


def count_wrong_code(request: Request, state: dict[str, Any]) -> bool:
    """One more wrong code; True when that was the last one allowed."""
    state["wrong"] = state.get("wrong", 0) + 1
    request.session[PENDING_KEY] = state
    if state["wrong"] >= MAX_WRONG_CODES:
        abandon(request)
        return True
    return False


def abandon(request: Request) -> None:
    request.session.pop(PENDING_KEY, None)


def back_to_login(request: Request, message: str) -> Redirect:
    flash(request, message, category="info")
    return Redirect("/login")
