"""Input the databases cannot hold is refused at the door, for every route at once.

PostgreSQL rejects NUL in text and ids beyond int4 with driver errors that would surface as
500s (SQLite overflows on ids beyond int64); text that is not UTF-8 cannot be stored at all.
So before any handler runs: an id in the path outside 1..MAX_ID is "not found" (404), and a
NUL byte or invalid UTF-8 in the path, the query string or a form/JSON body is a bad request
(400). Ids and numbers in query strings and bodies are bounded where they are declared
(`participation.validation.RecordId`), so the client learns which field was wrong.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.exceptions import ClientException, NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from participation.i18n import N_, gettext
from participation.validation import MAX_ID

BAD_TEXT = N_("The request contains a NUL character or text that is not valid UTF-8.")
# An escaped NUL in JSON ("\u0000"), not preceded by an escaping backslash.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_CHECKED_BODIES = ("application/json", "application/x-www-form-urlencoded", "application/problem+json")


def is_clean_text(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_encoded(encoded: bytes) -> bool:
    """A percent-encoded path, query string or form body: every decoded part is UTF-8 without NUL."""
    if b"%" not in encoded:  # the common case: nothing encoded, so the raw bytes are the text
        return is_clean_text(encoded)
    return all(is_clean_text(unquote_to_bytes(part.replace(b"+", b" "))) for part in re.split(rb"[&=]", encoded))


class BoundedInputMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    # Static files take no input; a path test, since `exclude_path_pattern` changes meaning in Litestar 3.
    should_bypass_for_scope = staticmethod(lambda scope: scope["path"].startswith("/static/"))

    def __init__(self, max_body_size: int) -> None:
        self.max_body_size = max_body_size

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        for value in scope["path_params"].values():
            if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= MAX_ID:
                raise NotFoundException()
        raw_path = scope.get("raw_path") or scope["path"].encode()
        if not _clean_encoded(raw_path) or not _clean_encoded(scope.get("query_string", b"")):
            raise ClientException(detail=gettext(BAD_TEXT))
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await next_app(scope, receive, send)
            return
        media_type = Headers.from_scope(scope).get("content-type", "").split(";")[0].strip().lower()
        if media_type not in _CHECKED_BODIES:
            await next_app(scope, receive, send)
            return
        body = await self._read_body(receive)
        clean = _clean_encoded(body) if media_type.endswith("urlencoded") else is_clean_text(body)
        if not clean or (media_type != "application/x-www-form-urlencoded" and _JSON_NUL.search(body)):
            raise ClientException(detail=gettext(BAD_TEXT))
        await next_app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_size:
                raise RequestEntityTooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read once, handed on whole; later receives (a disconnect) go to the server."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
