"""`OPTIONS` answered from the route table, before sessions, sign-in and guards run.

Litestar adds an OPTIONS handler to every route, but it belongs to the route's controller and
so runs the controller's guards, which read the signed-in account; the authentication
middleware skips OPTIONS, so a guarded route failed with a 500. Which methods a path allows
is no secret (a 405 says the same), so the answer is the same 204 for everyone.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Receive, Scope, Send

# A handler with `opt={"open_data": True}` (participation.register.open_data) may be read from any
# origin, GET only and without credentials: its preflight says so.
OPEN_DATA_PREFLIGHT = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET"),
    (b"access-control-allow-headers", b"Accept, If-None-Match"),
    (b"access-control-max-age", b"86400"),
]


class OptionsMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["method"] != "OPTIONS":
            await next_app(scope, receive, send)
            return
        # OPTIONS is rare: looking the route up each time beats keeping a copy of the table.
        template = scope["path_template"]
        routes = scope["litestar_app"].routes
        route = next((r for r in routes if isinstance(r, HTTPRoute) and r.path_format == template), None)
        if route is None:  # not a plain HTTP route (static files): Litestar answers as usual
            await next_app(scope, receive, send)
            return
        allow = ", ".join(sorted(route.methods))
        headers = [(b"allow", allow.encode())]
        if any(handler.opt.get("open_data") for handler in route.route_handlers):
            headers += OPEN_DATA_PREFLIGHT
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
