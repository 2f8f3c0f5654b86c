"""Building a Piccolo engine from DATABASE_URL: SQLite (embedded default) or PostgreSQL.

Kept apart from `participation.database` (the lifecycle) so that `piccolo_conf` can build its
engine without importing the module that later rebinds it: no import cycle.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

SQLITE_BUSY_TIMEOUT_S = 30
# Statements a pooled connection runs: plain reads and writes. Anything else (DDL, PRAGMA,
# ATTACH, VACUUM) may change a connection's state, so it keeps Piccolo's fresh connection.
_POOLED = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
_RETURNING = sqlite3.sqlite_version_info >= (3, 35)


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, reusing idle connections for queries outside a transaction.

    Piccolo opens a connection (a thread, the pragma, a schema load) for every such query:
    ~1.2 ms, against ~0.1 ms on a warm one. Here a query borrows an idle connection, runs alone
    on it, commits, and gives it back: the same one-statement transactions, busy timeout and
    foreign keys as before. Transactions (`transaction()`, `atomic()`) still open their own
    connection, so their writes stay invisible to others until commit and IMMEDIATE writers
    still queue on SQLite's lock. A connection that saw an error, a cancellation or an open
    transaction is closed rather than reused.
    """

    __slots__ = ("_idle", "max_idle")

    def __init__(self, max_idle: int = 8, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._idle: list[aiosqlite.Connection] = []
        self.max_idle = max_idle

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ):
        if not _POOLED.match(query) or (query_type == "insert" and not _RETURNING):
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = self._idle.pop() if self._idle else await self._connect()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
            await connection.commit()
        except Exception:
            await connection.close()  # an error may leave a transaction open: never reused
            raise
        except BaseException:
            connection.stop()  # cancelled mid-statement: closes once the statement ends
            raise
        if connection.in_transaction or len(self._idle) >= self.max_idle:
            await connection.close()
        else:
            self._idle.append(connection)
        return rows

    async def _connect(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # An idle pooled connection must not keep the interpreter from exiting (aiosqlite's
        # worker thread is not a daemon): it holds no transaction, so nothing is lost.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def close_connection_pool(self) -> None:
        while self._idle:
            await self._idle.pop().close()


def build_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    url = urlparse(database_url)
    config = {
        "host": url.hostname or "localhost",
        "port": url.port or 5432,
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password) if url.password else None,
        "database": url.path.lstrip("/") or "postgres",
    }
    return PostgresEngine(config={k: v for k, v in config.items() if v is not None}, log_queries=False)


def _enable_wal(path: Path) -> None:
    # WAL persists in the file, so setting it once per start is enough.
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_S) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
