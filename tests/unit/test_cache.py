"""The read-through cache: a burst of callers costs one computation, and the value expires."""

from __future__ import annotations

import anyio
from litestar.stores.memory import MemoryStore

from participation.lib.cache import cached


async def test_a_burst_of_callers_computes_once_and_all_get_the_value():
    store = MemoryStore()
    computations = 0

    async def compute() -> bytes:
        nonlocal computations
        computations += 1
        await anyio.sleep(0.05)  # long enough for every caller to arrive while it runs
        return b"figures"

    results: list[bytes] = []

    async def visitor() -> None:
        results.append(await cached(store, "stats", 60, compute))

    async with anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(visitor)
    assert computations == 1
    assert results == [b"figures"] * 20
    assert await store.get("stats") == b"figures"


async def test_a_deleted_or_expired_value_is_computed_again():
    store = MemoryStore()
    values = iter([b"one", b"two", b"three"])

    async def compute() -> bytes:
        return next(values)

    assert await cached(store, "k", 60, compute) == b"one"
    assert await cached(store, "k", 60, compute) == b"one"
    await store.delete("k")
    assert await cached(store, "k", 1, compute) == b"two"
    await anyio.sleep(1.1)
    assert await cached(store, "k", 1, compute) == b"three"
