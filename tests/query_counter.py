"""Counting the SQL statements a request or a service call sends, on either engine.

Every Piccolo query (ORM or raw, inside a transaction or not) passes through the engine's
`run_querystring`; BEGIN/COMMIT and DDL do not, so the count is the work a page asks for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine


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
