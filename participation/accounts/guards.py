"""Route guards: small functions that refuse a request before the handler runs.

An anonymous visitor gets 401 (HTML pages turn it into a redirect to sign-in),
a signed-in account without the right gets 403.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from participation.accounts.permissions import has_role, participation_refusal
from participation.accounts.tables import Role
from participation.i18n import gettext


def requires_account(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if connection.user is None:
        raise NotAuthorizedException(detail="Sign in to continue.")


def requires_participant(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Signed in, email verified, not suspended."""
    requires_account(connection, handler)
    if refusal := participation_refusal(connection.user):
        raise PermissionDeniedException(detail=str(refusal))


def requires_role(*roles: Role):
    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        requires_account(connection, handler)
        if not has_role(connection.user, *roles):
            # Shown on the 403 page: translated like every other message a person sees.
            raise PermissionDeniedException(detail=gettext("This page is for city staff only."))

    guard.__name__ = f"requires_role_{'_'.join(r.value for r in roles)}"
    return guard


requires_moderator = requires_role(Role.moderator)
requires_editor = requires_role(Role.editor)
requires_admin = requires_role(Role.admin)
