"""ASGI middleware of the app core: security headers and the request's language."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from participation.i18n import LOCALES, set_locale

# No inline script or style anywhere: every asset is a vendored or own file. Images may also come
# from the map tile server (its origin only: the one other site a page loads anything from).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def content_security_policy(tile_origin: str | None = None) -> str:
    return CONTENT_SECURITY_POLICY.format(tiles=f" {tile_origin}" if tile_origin else "")


def security_headers(production: bool, tile_origin: str | None = None):
    """A `before_send` hook: unlike route middleware, it also covers 404/405 answers to unrouted requests."""
    headers = [
        (b"content-security-policy", content_security_policy(tile_origin).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
        *([(b"strict-transport-security", b"max-age=31536000; includeSubDomains")] if production else []),
    ]
    names = frozenset(name for name, _ in headers)

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            # One pass over the answer's headers (seven `MutableScopeHeaders` assignments scanned it seven times);
            # ours replace any of the same name.
            kept = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in names]
            message["headers"] = kept + headers

    return add_headers


class LocaleMiddleware(ASGIMiddleware):
    """Dutch unless the visitor chose otherwise: `?lang=en` is remembered in the session.

    The API answers in English unless the client asks for Dutch (Accept-Language).
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, default_locale: str, timezone: str) -> None:
        self.default_locale, self.timezone = default_locale, timezone

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        set_locale(self._choose(scope), self.timezone)
        await next_app(scope, receive, send)

    def _choose(self, scope: Scope) -> str:
        if scope["path"].startswith("/api/"):
            accept = dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1").lower()
            return "nl" if accept.startswith("nl") else "en"
        # Not `or {}`: a new visitor's session is an empty dict that must be written to, or the choice is lost.
        session = scope.get("session")
        query = scope.get("query_string", b"").decode("latin-1")
        for part in query.split("&"):
            if part.startswith("lang="):
                chosen = part[5:]
                if chosen in LOCALES:
                    if isinstance(session, dict):
                        session["locale"] = chosen
                    return chosen
        return (
            session.get("locale")
            if isinstance(session, dict) and session.get("locale") in LOCALES
            else self.default_locale
        )
