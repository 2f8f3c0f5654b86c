"""A rate limit shared by several workers holds under parallel requests (one atomic count in Redis)."""

from __future__ import annotations

import os
from dataclasses import replace

import anyio
import httpx
import pytest

from participation.app import create_app
from participation.settings import RateLimits
from tests.helpers import csrf_from

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL to test the Redis store (CI does)")
async def test_parallel_posts_over_two_workers_pass_exactly_the_limit(settings):
    limited = replace(
        settings, store_backend="redis", redis_url=REDIS_URL, rate_limits=RateLimits(login=1000, registration=5)
    )
    first, second = create_app(limited), create_app(limited)
    async with first.lifespan(), second.lifespan():
        await first.stores.get("rate_limit").delete_all()
        apps = (first, second)
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t") for a in apps]
        forms = []
        for client in clients:
            token = csrf_from((await client.get("/account/register")).text)
            forms.append({"kind": "resident", "display_name": "", "email": "x", "password": "", "_csrf_token": token})
        statuses: list[int] = []

        async def register(i: int) -> None:
            response = await clients[i % 2].post("/account/register", data=forms[i % 2])
            statuses.append(response.status_code)

        async with anyio.create_task_group() as group:
            for i in range(20):
                group.start_soon(register, i)
        for client in clients:
            await client.aclose()
        await first.stores.get("rate_limit").delete_all()
    # A read-then-write counter lets parallel requests see the same count and all pass.
    assert sorted(statuses) == [422] * 5 + [429] * 15
