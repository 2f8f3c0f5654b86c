"""Shared stores (Redis when REDIS_URL is set) and the periodic housekeeping."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from litestar.stores.redis import RedisStore

from participation import tasks
from participation.accounts.services import utcnow
from participation.accounts.tables import AttemptCount
from participation.app import create_app
from tests.helpers import make_account, sign_in

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL to test the Redis store (CI does)")
async def test_sessions_live_in_redis_and_survive_a_second_worker(settings):
    """Two app instances (two workers) share a sign-in through Redis."""
    redis_settings = replace(settings, store_backend="redis", redis_url=REDIS_URL)
    await make_account(settings, email="worker@example.org")
    first, second = create_app(redis_settings), create_app(redis_settings)
    async with first.lifespan(), second.lifespan():
        assert isinstance(first.stores.get("sessions"), RedisStore)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://t.local") as one:
            await sign_in(one, "worker@example.org")
            cookies = one.cookies
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=second), base_url="http://t.local", cookies=cookies
            ) as two:
                page = await two.get("/account")
                assert page.status_code == 200
                assert "worker@example.org" in page.text
        await first.stores.get("sessions").delete_all()


async def test_run_once_purges_attempt_counts_whose_window_ended(settings, parts):
    await AttemptCount.insert(
        AttemptCount(key="sign-in:old", attempts=4, expires_at=utcnow() - timedelta(seconds=1)),
        AttemptCount(key="sign-in:recent", attempts=2, expires_at=utcnow() + timedelta(minutes=14)),
    )
    result = await tasks.run_once(parts)
    assert result["attempt_counts_purged"] == 1
    assert await AttemptCount.select(AttemptCount.key).output(as_list=True) == ["sign-in:recent"]


async def test_run_once_deletes_expired_sessions(settings, parts):
    app = create_app(settings)
    async with app.lifespan():
        store = app.stores.get("sessions")
        key = uuid.uuid4().hex
        await store.set(key, b"x", expires_in=1)
        store._store[key].expires_at = utcnow() - timedelta(seconds=5)  # type: ignore[attr-defined]
        await tasks.run_once(parts, app)
        assert key not in store._store  # type: ignore[attr-defined]
