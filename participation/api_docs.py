"""The API's error answers in the OpenAPI schema: problem details (RFC 9457) for every status that can occur.

`participation.errors` renders every API error as `application/problem+json`; without this, the schema
would document none of them (or Litestar's own validation shape), and a client or a fuzzer would meet
undocumented statuses and content types. Which statuses an operation documents follows from how it is
declared, so a new API route is covered without a list to keep: every operation can answer 400 (bad
input) and 401 (a wrong token); guarded ones 403; ones with a path parameter or a body 404 (what it
names does not exist or is not visible); writes 409 (a conflict with the current state); ones with a
body 413 (too large); ones with a body or query parameters 422 (a field error); rate-limited ones
429. `responses=` on a handler wins.
"""

from __future__ import annotations

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from participation.errors import PROBLEM_JSON

API_PREFIX = "/api/"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTIONS = {
    400: "Bad request: a malformed body or parameter (an id or number out of range, a NUL character, "
    "text that is not UTF-8).",
    401: "No, or an invalid, expired or revoked, bearer token.",
    403: "The token's account may not do this (role, unverified email, suspension).",
    404: "What the path or body names does not exist, or is not visible to this account.",
    409: "Conflicts with the current state (e.g. already done, or no longer possible).",
    410: "Gone: a moderator has hidden it; the detail gives the reason.",
    413: "The request body is too large.",
    422: "The input is not valid; `errors` gives the messages per field.",
    429: "Too many requests; try again later (see Retry-After).",
}


class ProblemDetails(msgspec.Struct):
    """An error (RFC 9457). `errors`: messages per field, for invalid input."""

    type: str
    status: int
    title: str
    detail: str
    errors: dict[str, list[str]] | msgspec.UnsetType = msgspec.UNSET


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """`responses=` for a handler: problem details for these statuses."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=DESCRIPTIONS[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


# Handler arguments Litestar fills from the connection itself, not from what the client sends.
_FROM_CONNECTION = {"request", "state", "scope", "headers", "cookies", "query", "body", "socket"}


def _reads_input(handler: HTTPRouteHandler, route: HTTPRoute) -> bool:
    """Has a body or query parameters (which the services validate field by field: 422)."""
    dependencies = handler.resolve_dependencies()
    return any(
        name not in route.path_parameters and name not in dependencies and name not in _FROM_CONNECTION
        for name in handler.parsed_fn_signature.parameters
    )


def error_statuses(handler: HTTPRouteHandler, route: HTTPRoute) -> list[int]:
    has_body = "data" in handler.parsed_fn_signature.parameters
    statuses = [400, 401]
    if handler.resolve_guards():
        statuses.append(403)
    if route.path_parameters or has_body:
        statuses.append(404)
    if handler.http_methods & WRITES:
        statuses.append(409)
    if has_body:
        statuses.append(413)
    if _reads_input(handler, route):
        statuses.append(422)
    if handler.opt.get("rate_limit"):
        statuses.append(429)
    return statuses


class ProblemResponses(ReceiveRoutePlugin):
    """Adds the documented error responses to each API operation as its route is registered."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(API_PREFIX):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema:
                handler.responses = {**problem_responses(*error_statuses(handler, route)), **(handler.responses or {})}
