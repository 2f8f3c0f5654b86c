"""The `Idempotency-Key` header on an API route: the header parameter and the response, first or replayed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import MediaType, Request, Response
from litestar.params import HeaderParameter
from litestar.serialization import encode_json

from participation.idempotency.services import KEY_HEADER, KEY_MAX, answer_once, fingerprint, parse_key

IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name=KEY_HEADER,
        max_length=KEY_MAX + 2,  # the quotes of the structured-field form
        description=(
            "Optional, unique per request (e.g. a UUID), scoped to your account and kept 24 hours. "
            "Sending the same request again with the same key creates nothing and returns the first "
            "answer (with `Idempotent-Replayed: true`); the same key with another request is a 422."
        ),
    ),
]

REPLAYED_HEADER = "Idempotent-Replayed"


async def respond(
    request: Request, key: str | None, payload: Any, create: Callable[[], Awaitable[Any]], status_code: int
) -> Response:
    """Answer a creating POST: without a key as always; with one, once per account and key."""
    if key is None:
        return Response(await create(), status_code=status_code)

    async def first() -> tuple[int, bytes]:
        return status_code, encode_json(await create())

    answer = await answer_once(
        request.user.id,
        parse_key(key),
        fingerprint(request.method, request.url.path, encode_json(payload)),
        first,
    )
    return Response(
        answer.body,
        status_code=answer.status_code,
        media_type=MediaType.JSON,
        headers={REPLAYED_HEADER: "true"} if answer.replayed else None,
    )
