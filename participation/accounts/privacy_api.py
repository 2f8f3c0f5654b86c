"""Download your data through the API: the same JSON file as /account/data."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.accounts.guards import requires_account
from participation.accounts.privacy_pages import export, export_response
from participation.accounts.tables import Account
from participation.settings import Settings


class PrivacyApi(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @get(
        "/me/export",
        guards=[requires_account],
        summary="Everything the platform holds about the token's account",
        response_description="A JSON file (attachment); password and token hashes are never included",
    )
    async def export(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Response:
        """Generated per request, never stored. Same content as the account page's download."""
        return export_response(await export(request.user, settings), request.user)
