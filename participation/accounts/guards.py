"""Route guards: small functions that refuse a request before the handler runs.

An anonymous visitor gets 401 (HTML pages turn it into a redirect to sign-in),
a signed-in account without the right gets 403.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from participation.accounts import two_factor
from participation.accounts.permissions import has_role, is_staff, participation_refusal
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


async def requires_second_factor(connection: ASGIConnection) -> None:
    """Staff act only with two-step sign-in on: a session or token from before enrolment cannot."""
    if is_staff(connection.user) and not await two_factor.is_enabled(connection.user):
        raise PermissionDeniedException(
            detail=gettext("City staff need two-step sign-in. Turn it on at %(page)s first.", page="/account/two-step")
        )


def requires_role(*roles: Role):
    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        requires_account(connection, handler)
        if not has_role(connection.user, *roles):
            # Shown on the 403 page: translated like every other message a person sees.
            raise PermissionDeniedException(detail=gettext("This page is for city staff only."))
        await requires_second_factor(connection)

    guard.__name__ = f"requires_role_{'_'.join(r.value for r in roles)}"
    return guard


requires_moderator = requires_role(Role.moderator)
requires_editor = requires_role(Role.editor)
requires_admin = requires_role(Role.admin)
