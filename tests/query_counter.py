"""Counting the SQL statements a request or a service call sends, on either engine.

Every Piccolo query (ORM or raw, inside a transaction or not) passes through the engine's
`run_querystring`; BEGIN/COMMIT and DDL do not, so the count is the work a page asks for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import pytest
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from participation.app import create_app
from participation.settings import Settings


@contextmanager
def counting_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Yields the list of statements sent while the block runs (both engine classes are patched)."""
    statements: list[str] = []
    for engine_class in (SQLiteEngine, PostgresEngine):
        original = engine_class.run_querystring

        async def counting(self, querystring, *args, _original=original, **kwargs):
            statements.append(str(querystring))
            return await _original(self, querystring, *args, **kwargs)

        monkeypatch.setattr(engine_class, "run_querystring", counting)
    try:
        yield statements
    finally:
        monkeypatch.undo()


@asynccontextmanager
async def plain_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app without the usual test client's outbox drain (tests/mail.py): that query is the
    tests' own and would count as the page's."""
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            yield client
