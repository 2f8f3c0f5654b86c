"""Server-side sessions that cannot be fixed by an attacker.

Litestar's server-side backend reuses whatever session id the client's cookie
carries, even one the store never issued, and keeps the id across sign-in.
This backend only reuses ids that exist in the store, issues a fresh id when a
handler asks for rotation (sign-in, privilege change) and deletes the old one.
It also writes nothing, and sets no cookie, for a visitor with an empty session, draws
no id until one is needed, and does not rewrite a session that the request left unchanged
(the sign-in middleware changes it at most once a minute).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession

_KNOWN_ID = "_participation_session_known_id"
_ROTATE = "_participation_session_rotate"
_ISSUED_ID = "_participation_session_issued_id"
_LOADED = "_participation_session_loaded"


def rotate_session(connection: ASGIConnection) -> None:
    """Give this session a new id when the response is sent; the old id is deleted."""
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if session_id and session_id != "null":
            store = self.config.get_store_from_app(connection.scope["app"])
            data = await self.get(session_id, store=store)
            if data is not None:
                connection.scope[_KNOWN_ID] = session_id  # type: ignore[literal-required]
                connection.scope[_LOADED] = data  # type: ignore[literal-required]
                return self.deserialize_data(data)
        return {}

    def get_session_id(self, connection: ASGIConnection) -> str:
        # Litestar asks on every request; a new id is drawn only when a session is stored.
        scope: dict = connection.scope  # type: ignore[assignment]
        if scope.get(_ROTATE) or not scope.get(_KNOWN_ID):
            return scope.get(_ISSUED_ID, "")
        return scope[_KNOWN_ID]

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection) -> None:
        scope: dict = connection.scope  # type: ignore[assignment]
        known_id = scope.get(_KNOWN_ID)
        if not scope_session and not known_id:
            return  # an anonymous visitor with nothing to keep: no store write, no cookie
        rotate = scope.get(_ROTATE)
        if known_id and not rotate and scope_session and self.serialize_data(scope_session) == scope.get(_LOADED):
            return  # unchanged: the stored copy and the cookie are still right
        if rotate or not known_id:
            scope[_ISSUED_ID] = self.generate_session_id()
        await super().store_in_message(scope_session or Empty, message, connection)
        if known_id and (not scope_session or known_id != self.get_session_id(connection)):
            await self.delete(known_id, store=self.config.get_store_from_app(scope["app"]))


class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend  # type: ignore[assignment]
