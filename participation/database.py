"""Database lifecycle: one engine for SQLite or PostgreSQL, chosen by DATABASE_URL.

SQLite is the embedded default (WAL, a busy timeout, foreign keys on, write
transactions started IMMEDIATE so that concurrent writers queue instead of
failing with "database is locked"). PostgreSQL gets a connection pool that is
opened at start-up and closed at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import weakref
from collections.abc import AsyncIterator

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

import piccolo_conf
from participation.engines import PooledSQLiteEngine

# Rows SQLite's periodic ANALYZE reads per index: enough for the planner's estimates.
ANALYSIS_LIMIT = 1000


class DatabaseError(Exception):
    """The database cannot be used; start-up stops with this message."""


def all_tables() -> list[type[Table]]:
    return [table for app in Finder().get_app_registry().app_configs.values() for table in app.table_classes]


def bind_engine(engine: Engine) -> None:
    """Point every table (and Piccolo's migration machinery) at `engine`.

    Piccolo resolves the engine from `piccolo_conf.DB` lazily and caches it per
    table; tests and the CLI switch databases at run time, so bind explicitly.
    """

    piccolo_conf.DB = engine
    for table in [*all_tables(), Migration]:
        table._meta.db = engine


def current_engine() -> Engine:
    return Migration._meta.db


_sqlite_write_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _sqlite_write_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _sqlite_write_locks.get(loop)
    if lock is None:
        lock = _sqlite_write_locks[loop] = asyncio.Lock()
    return lock


@contextlib.asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction for a use case that writes.

    On SQLite it begins IMMEDIATE: a deferred transaction that reads then
    writes cannot be retried by the busy handler and fails as "locked". Writers
    of this process also queue on an asyncio lock first: SQLite allows one
    writer at a time anyway, and its busy handler waits by sleeping in growing
    steps (seen: p95 of 2 s at 32 concurrent supports), where a FIFO queue hands
    the lock straight to the next writer. Other processes still meet the busy
    timeout.
    """
    engine = current_engine()
    if engine.current_transaction.get() is not None:
        # A use case called inside another one (a moderation decision that publishes,
        # merges or routes) joins the open transaction, which already holds the write lock.
        yield
        return
    if isinstance(engine, SQLiteEngine):
        async with _sqlite_write_lock(), engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


def for_update(select_query):
    """Lock the selected rows until the transaction ends (PostgreSQL).

    `FOR NO KEY UPDATE`, the lock PostgreSQL's own UPDATE of non-key columns takes: the use cases
    that lock a row still queue behind each other, but not behind a transaction that has only
    inserted a row referring to it (the foreign key check holds `KEY SHARE`). With `FOR UPDATE`,
    a support that inserted its row and then waits for the idea's row lock deadlocked with the
    lock holder asking for that stronger lock (seen: routing at the threshold, hiding an idea).

    SQLite has no row locks; its IMMEDIATE write transaction already holds the
    database's single write lock, which serialises the same use cases.
    """
    if isinstance(current_engine(), SQLiteEngine):
        return select_query
    return select_query.lock_rows("NO KEY UPDATE")


def is_unique_violation(exc: BaseException) -> bool:
    """Piccolo does not wrap driver errors: recognise both drivers' unique violations."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        from asyncpg.exceptions import UniqueViolationError
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, UniqueViolationError)


def is_deadlock(exc: BaseException) -> bool:
    """PostgreSQL chose this transaction to break a deadlock (rolled back; the use case may run again)."""
    try:
        from asyncpg.exceptions import DeadlockDetectedError
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, DeadlockDetectedError)


async def check_reachable(engine: Engine) -> None:
    try:
        await engine.run_ddl("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any driver error means "cannot reach"
        raise DatabaseError(f"Cannot reach the database ({type(exc).__name__}: {exc})") from exc


async def pending_migrations() -> list[str]:
    """IDs of migrations, over all apps, that have not been applied."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    manager = BaseMigrationManager()
    known = [
        migration_id
        for app_name in manager.get_sorted_app_names()
        for migration_id in sorted(
            manager.get_migration_modules(Finder().get_app_config(app_name).resolved_migrations_folder_path)
        )
    ]
    if not await Migration.table_exists():
        return known
    applied = set(await Migration.select(Migration.name).output(as_list=True))
    return [m for m in known if m not in applied]


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all")
    if not result.success:
        raise DatabaseError(f"Migrations failed: {result.message}")
    await refresh_statistics(full=True)


async def refresh_statistics(full: bool = False) -> None:
    """Table statistics for the query planner, so that it chooses the indexes.

    SQLite never gathers them itself: without them the idea list sorted every listed idea in a
    temporary B-tree (28 ms at 50,000 ideas; 0.9 ms after ANALYZE). After migrating, a full
    ANALYZE (new indexes, possibly bulk loaded rows); periodically an ANALYZE that samples at
    most ANALYSIS_LIMIT rows per index (milliseconds at any size). `PRAGMA optimize` would
    skip the work on SQLite before 3.46: it only looks at tables the same connection queried,
    and Piccolo opens a connection per query. PostgreSQL's autovacuum keeps its own
    statistics; migrating analyses once so that new indexes count at once.
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        async with write_transaction():  # one connection for both statements; ANALYZE writes sqlite_stat1
            await engine.run_ddl("PRAGMA analysis_limit=0" if full else f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            await engine.run_ddl("ANALYZE")
    elif full:
        await engine.run_ddl("ANALYZE")


async def open_database(engine: Engine, require_migrated: bool = True) -> None:
    """Start-up: bind, reach, check migrations, open the pool."""
    bind_engine(engine)
    await check_reachable(engine)
    if require_migrated:
        pending = await pending_migrations()
        if pending:
            raise DatabaseError(
                f"The database has {len(pending)} unapplied migration(s) ({', '.join(pending[:3])}"
                f"{', ...' if len(pending) > 3 else ''}). Run `participation migrate` first."
            )
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20)


async def close_database(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine | PooledSQLiteEngine):
        await engine.close_connection_pool()
