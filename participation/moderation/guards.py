"""Route guards for the staff area: refuse early with the same permission functions the services check.

An anonymous visitor gets 401 (HTML pages turn it into a redirect to sign-in); a
signed-in account that may not moderate (a member, an editor, a suspended moderator) 403.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from participation.accounts.guards import requires_account, requires_second_factor
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.moderation.permissions import can_administer, can_change_roles, can_moderate

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


def _guard(allowed: Callable[[Account | None], bool]) -> Guard:
    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        requires_account(connection, handler)
        if not allowed(connection.user):
            # Shown on the 403 page: translated like every other message a person sees.
            raise PermissionDeniedException(detail=gettext("This page is for city staff only."))
        await requires_second_factor(connection)

    guard.__name__ = f"requires_{allowed.__name__}"
    return guard


requires_moderation = _guard(can_moderate)
requires_administration = _guard(can_administer)
requires_role_management = _guard(can_change_roles)
