"""Rate limits per bucket of sensitive routes, in one middleware that costs nothing elsewhere.

A route joins a bucket with `opt={"rate_limit": "<bucket>"}`; only its writes
(not GET/HEAD/OPTIONS) count. Each bucket is limited twice: per client address
(`settings.rate_limits`; behind a proxy the address uvicorn took from a trusted
X-Forwarded-For) and, for a signed-in request, per account (`settings.account_rate_limits`),
so one account cannot spread over many addresses nor many people behind one office address
share one account's allowance. Counters live in the "rate_limit" store (Redis when REDIS_URL
is set), shared by all workers, and expire with their minute: no address is ever written to the
database. In Redis a counter is one atomic INCR (workers and hosts never lose a count to each
other); in the file or memory store (one host) Litestar's format under a per-worker lock.

Why not Litestar's `RateLimitMiddleware`: it limits one (bucket, identifier) pair per middleware,
so 14 of them ran on every request, each building a `Request` and running its (sync) throttle
check through `sync_to_thread`: 28% of a `/healthz` profile. Here a request outside a bucket costs
one dict lookup, and only bucketed writes touch the store.

Per address *typed* (sign-in, password reset) the limits are database counts instead
(participation.accounts.lockout and the mail caps): they must hold under parallel requests,
and the address is in the form body, which this middleware does not read.
"""

from __future__ import annotations

import time

import anyio
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.middleware.rate_limit import CacheObject
from litestar.serialization import decode_json, encode_json
from litestar.stores.redis import RedisStore
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from participation.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where a refused form post leaves what was typed, for the 429 page's "send again" form.
RETRY_FORM = "participation.retry_form"
STORE = "rate_limit"
WINDOW_S = 60


class BucketRateLimits(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, settings: Settings) -> None:
        self.per_address: dict[str, int] = dict(vars(settings.rate_limits))
        self.per_account: dict[str, int] = dict(vars(settings.account_rate_limits))
        # Read, check and write of one counter must not interleave within this worker.
        self._lock = anyio.Lock()

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        bucket = scope["route_handler"].opt.get("rate_limit")
        if bucket is None or scope["method"] in SAFE_METHODS:
            await next_app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "127.0.0.1"
        user = scope.get("user")
        try:
            counted = await self._count(scope, bucket, address, self.per_address.get(bucket))
            if user is not None:
                await self._count(scope, bucket, f"account:{user.id}", self.per_account.get(bucket))
        except TooManyRequestsException:
            await _keep_typed_form(scope, receive)
            raise
        await next_app(scope, receive, _with_headers(send, counted) if counted else send)

    async def _count(self, scope: Scope, bucket: str, identifier: str, limit: int | None) -> dict[str, str] | None:
        """Count this request against `limit` per minute; refuse it (429) when the minute is full."""
        if limit is None:
            return None
        store = scope["litestar_app"].stores.get(STORE)
        key = f"{bucket}::{identifier}"
        if isinstance(store, RedisStore):
            return await _count_in_redis(store, key, limit)
        async with self._lock:
            now = int(time.time())
            raw = await store.get(key)
            counter = CacheObject(**decode_json(raw)) if raw else None
            if counter is None or counter.reset <= now:
                counter = CacheObject(history=[], reset=now + WINDOW_S)
            if len(counter.history) >= limit:
                raise TooManyRequestsException(headers=_headers(limit, counter, now))
            counter.history = [now, *counter.history]
            await store.set(key, encode_json(counter), expires_in=WINDOW_S)
        return _headers(limit, counter, now)


async def _count_in_redis(store: RedisStore, key: str, limit: int) -> dict[str, str]:
    """A fixed minute window as one atomic step: a read-then-write would let parallel workers each
    see the same count and all pass."""
    name = store._make_key(key)  # the store's namespace, so delete_all() still clears the counters
    async with store._redis.pipeline(transaction=True) as pipe:
        pipe.incr(name)
        pipe.expire(name, WINDOW_S, nx=True)  # the window starts with its first request
        pipe.ttl(name)
        count, _, ttl = await pipe.execute()
    headers = _limit_headers(limit, used=count, reset=max(ttl, 0))
    if count > limit:
        raise TooManyRequestsException(headers=headers)
    return headers


def _headers(limit: int, counter: CacheObject, now: int) -> dict[str, str]:
    return _limit_headers(limit, used=len(counter.history), reset=counter.reset - now)


def _limit_headers(limit: int, used: int, reset: int) -> dict[str, str]:
    # The IETF RateLimit draft's headers, as Litestar's middleware sends them.
    return {
        "RateLimit-Policy": f"{limit}; w={WINDOW_S}",
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(max(limit - used, 0)),
        "RateLimit-Reset": str(reset),
    }


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            scope_headers = MutableScopeHeaders(message)
            for name, value in headers.items():
                scope_headers[name] = value
        await send(message)

    return send_with_headers


async def _keep_typed_form(scope: Scope, receive: Receive) -> None:
    """Refused before the handler read the body: keep what the person typed (a long idea, a
    comment) so the 429 page can offer to send it again. Text fields only; the page never
    echoes passwords."""
    if scope["method"] == "POST" and not scope["path"].startswith("/api/"):
        request = scope["litestar_app"].request_class(scope, receive)
        form = await request.form()
        scope[RETRY_FORM] = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]  # type: ignore[literal-required]
