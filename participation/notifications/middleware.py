"""The unread count for the header: read once per page for a signed-in visitor, handed to templates as a value.

Runs after the account middleware (participation.core orders them): templates read
`request.state.unread_notifications` and never query.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from participation.notifications.services import unread_count

STATE_KEY = "unread_notifications"


class UnreadCountMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    # Checked here rather than with exclude_path_pattern, whose meaning changes in Litestar 3.
    skipped_prefixes = ("/api/", "/static/", "/healthz", "/unsubscribe/")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("user")
        pages = not str(scope.get("path", "")).startswith(self.skipped_prefixes)
        if user is not None and scope.get("method") == "GET" and pages:
            scope.setdefault("state", {})[STATE_KEY] = await unread_count(user.id)
        await next_app(scope, receive, send)
