"""One exception handler for the whole app: problem details for the API, pages for people.

HTML: 401 becomes a redirect to sign-in (back to the page afterwards), other
errors render `templates/errors/` in the site layout. API: RFC 9457 problem
details with per-field messages for validation errors.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote, urlparse

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from participation.validation import DomainError, FormErrors

logger = logging.getLogger("participation")
PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def is_api(request: Request) -> bool:
    return request.scope["path"].startswith("/api/")


def problem(
    status: int, detail: str, errors: dict[str, list[str]] | None = None, headers: dict[str, str] | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "status": status,
        "title": TITLES.get(status, "Error"),
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


# Litestar files a missing body field under the body ("data"); the client needs the field's name.
_MISSING_FIELD = re.compile(r"^Object missing required field `([^`]+)`$")


def _validation_errors(exc: ValidationException) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key, message = str(item.get("key") or "body"), str(item.get("message"))
            if key == "data" and (missing := _MISSING_FIELD.match(message)):
                key = missing.group(1)
            errors.setdefault(key, []).append(message)
    return errors


def _same_site_path(referer: str | None) -> str:
    parsed = urlparse(referer or "")
    path = parsed.path
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _retry_form(request: Request) -> dict[str, Any] | None:
    """What a rate-limited form post contained, to send again from the 429 page (see rate_limits).

    The person's text goes back into hidden fields; passwords are asked for again, never echoed."""
    fields = request.scope.get("participation.retry_form")  # type: ignore[call-overload]
    if not fields:
        return None
    # The posted CSRF token comes along: the limiter answered before the CSRF check could set one.
    kept = [(k, v) for k, v in fields if "password" not in k]
    passwords = list(dict.fromkeys(k for k, _ in fields if "password" in k))
    return {"action": request.url.path, "fields": kept, "passwords": passwords}


def handle_exception(request: Request, exc: Exception) -> Response:
    if isinstance(exc, FormErrors):
        status, detail, field_errors, headers = (
            422,
            "The input is not valid.",
            {k: [str(v)] for k, v in exc.errors.items()},
            None,
        )
    elif isinstance(exc, DomainError):
        status, detail, field_errors, headers = exc.status_code, str(exc.message), None, None
    elif isinstance(exc, HTTPException):
        status, detail, headers = exc.status_code, exc.detail, exc.headers
        field_errors = _validation_errors(exc) if isinstance(exc, ValidationException) else None
    else:
        logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        status, detail, field_errors, headers = (
            HTTP_500_INTERNAL_SERVER_ERROR,
            "Something went wrong on our side.",
            None,
            None,
        )

    if is_api(request):
        return problem(status, detail, field_errors, headers)
    # Unrouted requests (404, 405) never passed the session and account middleware.
    request.scope.setdefault("user", None)
    request.scope.setdefault("session", {})
    if isinstance(exc, NotAuthorizedException):
        # After sign-in, back to the page (for a form post: the page the form was on).
        target = request.url.path if request.method == "GET" else _same_site_path(request.headers.get("referer"))
        return Redirect(f"/login?next={quote(target)}")
    return Template(
        template_name="errors/error.html",
        context={
            "status": status,
            "detail": detail if status < 500 else "",
            "errors": field_errors,
            "retry": _retry_form(request) if status == 429 else None,
        },
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
    )
