"""Account API: personal access tokens (create with credentials, list, revoke); who am I."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from participation.accounts import services, tokens
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account, ApiToken
from participation.lib.clock import utcnow
from participation.settings import TOKEN_DAYS_MAX, Settings

# The largest id both engines store (PostgreSQL's serial is int4): a larger one is a 400, not a 500.
ID_MAX = 2**31 - 1


class TokenRequest(msgspec.Struct):
    email: str
    password: str
    name: Annotated[str, msgspec.Meta(max_length=tokens.NAME_MAX, description="What the token is for")] = "api"
    expires_days: (
        Annotated[int, msgspec.Meta(ge=1, le=TOKEN_DAYS_MAX, description="Lifetime; default API_TOKEN_DAYS (90)")]
        | None
    ) = None
    # For an account with two-step sign-in: the app's current code, or a recovery code.
    code: str | None = None


class TokenResponse(msgspec.Struct):
    token: str
    id: int
    name: str
    expires_at: datetime
    token_type: str = "bearer"


class TokenInfo(msgspec.Struct):
    """A token's metadata; the secret itself is shown only when it is created."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    expired: bool


def token_info(token: ApiToken) -> TokenInfo:
    return TokenInfo(
        id=token.id,
        name=token.name,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        expires_at=token.expires_at,
        expired=token.expires_at <= utcnow(),
    )


class Me(msgspec.Struct):
    id: int
    display_name: str
    kind: str
    role: str
    email_verified: bool
    organisation_name: str | None = None


def me_from_account(account: Account) -> Me:
    return Me(
        id=account.id,
        display_name=account.display_name,
        kind=account.kind,
        role=account.role,
        email_verified=account.email_verified_at is not None,
        organisation_name=account.organisation_name,
    )


class AccountApi(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post("/auth/token", status_code=201, opt={"rate_limit": "login"}, summary="Create a personal access token")
    async def create_token(self, data: JSONBody[TokenRequest], settings: NamedDependency[Settings]) -> TokenResponse:
        """Send `Authorization: Bearer <token>` with later requests. Failed attempts count towards the lockout.

        The token ends when it expires, when it is revoked, and when the account's password changes or is
        reset, the account is suspended or its role changes. An account with two-step sign-in also
        sends `code` (the app's current code or a recovery code); without it the answer is 401."""
        issued = await services.token_sign_in(
            settings, data.email, data.password, data.code, name=data.name, expires_days=data.expires_days
        )
        token = issued.token
        return TokenResponse(token=issued.secret, id=token.id, name=token.name, expires_at=token.expires_at)

    @get("/auth/tokens", guards=[requires_account], summary="The account's personal access tokens")
    async def list_tokens(self, request: Request[Account, Any, Any]) -> list[TokenInfo]:
        return [token_info(t) for t in await tokens.tokens_of(request.user)]

    @delete("/auth/token/{token_id:int}", guards=[requires_account], summary="Revoke one of the account's tokens")
    async def revoke_token(
        self, request: Request[Account, Any, Any], token_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)]
    ) -> None:
        """Another account's token, or one already revoked, is 404."""
        await tokens.revoke_token(request.user, token_id)

    @get("/me", guards=[requires_account], summary="The token's account")
    async def me(self, request: Request[Account, Any, Any]) -> Me:
        return me_from_account(request.user)
