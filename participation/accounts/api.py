"""Account API: exchange credentials for a personal access token; who am I."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from participation.accounts import services
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.settings import Settings


class TokenRequest(msgspec.Struct):
    email: str
    password: str
    # For an account with two-step sign-in: the app's current code, or a recovery code.
    code: str | None = None


class TokenResponse(msgspec.Struct):
    token: str
    token_type: str = "bearer"


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
        An account with two-step sign-in also sends `code`; without it the answer is 401."""
        return TokenResponse(token=await services.token_sign_in(settings, data.email, data.password, data.code))

    @get("/me", guards=[requires_account], summary="The token's account")
    async def me(self, request: Request[Account, Any, Any]) -> Me:
        return me_from_account(request.user)
