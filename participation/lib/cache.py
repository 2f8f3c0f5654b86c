"""A read-through cache over a Litestar store, for figures that many visitors ask for at once.

`cached(store, key, seconds, compute)` returns the stored bytes for `key`, or computes them once:
concurrent callers in this process wait for the one computation instead of each running it (a burst
of visitors costs one computation per process). The store is the app's "cache" store: Redis when
REDIS_URL is set, so every worker and host shares it. Invalidate with `store.delete(key)` (or a key
that carries a version) where the underlying rows change; the time-to-live bounds staleness
everywhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from weakref import WeakValueDictionary

from litestar.stores.base import Store

_computing: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()


async def cached(store: Store, key: str, seconds: int, compute: Callable[[], Awaitable[bytes]]) -> bytes:
    value = await store.get(key)
    if value is not None:
        return value
    lock = _computing.get(key)
    if lock is None:
        lock = _computing[key] = asyncio.Lock()
    async with lock:
        value = await store.get(key)  # another caller may have filled it while we waited
        if value is None:
            value = await compute()
            await store.set(key, value, expires_in=seconds)
    return value
