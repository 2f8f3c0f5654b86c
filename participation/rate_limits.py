"""Rate limits per bucket of sensitive routes, on Litestar's rate-limit middleware.

A route joins a bucket with `opt={"rate_limit": "<bucket>"}`; only its writes
(not GET/HEAD/OPTIONS) count. Each bucket is limited twice: per client address
(`settings.rate_limits`; behind a proxy the address uvicorn took from a trusted
X-Forwarded-For) and, for a signed-in request, per account (`settings.account_rate_limits`),
so one account cannot spread over many addresses nor many people behind one office address
share one account's allowance. Litestar keys its counter by middleware class and identifier
only, so each bucket adds its name to the key. Counters live in the "rate_limit" store
(Redis when REDIS_URL is set), shared by all workers, and expire with their minute: no
address is ever written to the database.

Per address *typed* (sign-in, password reset) the limits are database counts instead
(participation.accounts.lockout and the mail caps): they must hold under parallel requests,
and the address is in the form body, which this middleware does not read.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.types import Receive, Scope, Send

from participation.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where a refused form post leaves what was typed, for the 429 page's "send again" form.
RETRY_FORM = "participation.retry_form"


class BucketRateLimitMiddleware(RateLimitMiddleware):
    def cache_key_from_request(self, request: Request[Any, Any, Any]) -> str:
        return f"{super().cache_key_from_request(request)}::{request.route_handler.opt.get('rate_limit')}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except TooManyRequestsException:
            # Refused before the handler read the body: keep what the person typed (a long idea,
            # a comment) so the 429 page can offer to send it again. Text fields only; the page
            # never echoes passwords. Nested bucket middlewares read it once.
            if scope.get("method") == "POST" and not scope["path"].startswith("/api/") and RETRY_FORM not in scope:
                request = scope["litestar_app"].request_class(scope, receive)
                form = await request.form()
                scope[RETRY_FORM] = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]  # type: ignore[literal-required]
            raise


def _signed_in_account(request: Request[Any, Any, Any]) -> str:
    return f"account:{request.scope['user'].id}"  # type: ignore[typeddict-item]


def rate_limit_configs(settings: Settings) -> list[RateLimitConfig]:
    def in_bucket(bucket: str, signed_in: bool = False):
        def check(request: Request[Any, Any, Any]) -> bool:
            return (
                request.method not in SAFE_METHODS
                and request.route_handler.opt.get("rate_limit") == bucket
                and (not signed_in or request.scope.get("user") is not None)
            )

        return check

    per_address = [
        RateLimitConfig(
            rate_limit=("minute", per_minute),
            check_throttle_handler=in_bucket(bucket),
            middleware_class=BucketRateLimitMiddleware,
            exclude=["^/static/"],
        )
        for bucket, per_minute in vars(settings.rate_limits).items()
    ]
    per_account = [
        RateLimitConfig(
            rate_limit=("minute", per_minute),
            check_throttle_handler=in_bucket(bucket, signed_in=True),
            identifier_for_request=_signed_in_account,
            middleware_class=BucketRateLimitMiddleware,
            exclude=["^/static/"],
        )
        for bucket, per_minute in vars(settings.account_rate_limits).items()
    ]
    return per_address + per_account
