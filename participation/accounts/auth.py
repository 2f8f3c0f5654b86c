"""Who is asking: a session account for HTML pages, a bearer token for the API.

The API never reads the session cookie, which is why it can be exempt from
CSRF: a cross-site form cannot add an Authorization header.
"""

from __future__ import annotations

import time

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from participation.accounts import tokens
from participation.accounts.permissions import is_staff
from participation.accounts.tables import Account
from participation.sessions import rotate_session
from participation.settings import Settings

API_PREFIX = "/api/"
SEEN_WRITE_INTERVAL_S = 60


def start_session(connection: ASGIConnection, account: Account, remember: bool) -> None:
    """Sign `account` in on this connection with a fresh session id (no fixation)."""
    locale = connection.session.get("locale") if connection.scope.get("session") else None
    now = int(time.time())
    staff = is_staff(account)  # a role change bumps auth_version, so this stays true for the session
    connection.scope["session"] = {
        "account_id": account.id,
        "auth_version": account.auth_version,
        "started": now,
        "seen": now,
        "remember": remember and not staff,  # staff: never "keep me signed in"
        "staff": staff,
        **({"locale": locale} if locale else {}),
    }
    rotate_session(connection)


def end_session(connection: ASGIConnection) -> None:
    locale = connection.session.get("locale") if connection.scope.get("session") else None
    connection.scope["session"] = {"locale": locale} if locale else {}
    rotate_session(connection)


class AccountMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        if connection.scope["path"].startswith(API_PREFIX):
            return await self._from_token(connection)
        return await self._from_session(connection)

    async def _from_token(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if not header:
            return AuthenticationResult(user=None, auth=None)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException(detail="Use 'Authorization: Bearer <token>'.")
        try:
            account = await tokens.account_for_token(token.strip())
        except tokens.TokenRefused as exc:
            raise NotAuthorizedException(detail=str(exc.message)) from None
        return AuthenticationResult(user=account, auth="token")

    async def _from_session(self, connection: ASGIConnection) -> AuthenticationResult:
        session = connection.scope.get("session") or {}
        account_id = session.get("account_id")
        if not account_id:
            return AuthenticationResult(user=None, auth=None)
        settings: Settings = connection.app.state.settings
        now = int(time.time())
        if session.get("staff"):
            idle_limit = settings.staff_session_idle_minutes * 60
        elif session.get("remember"):
            idle_limit = settings.session_absolute_hours * 3600
        else:
            idle_limit = settings.session_idle_minutes * 60
        expired = (
            now - session.get("started", 0) > settings.session_absolute_hours * 3600
            or now - session.get("seen", 0) > idle_limit
        )
        account = None if expired else await Account.objects().get(Account.id == account_id)
        if account is None or account.deleted_at or account.auth_version != session.get("auth_version"):
            end_session(connection)
            return AuthenticationResult(user=None, auth=None)
        if now - session.get("seen", 0) > SEEN_WRITE_INTERVAL_S:
            session["seen"] = now
        return AuthenticationResult(user=account, auth="session")
