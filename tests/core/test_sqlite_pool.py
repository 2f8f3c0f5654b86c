"""SQLite queries outside a transaction reuse idle connections, with the semantics of a fresh one."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from participation.engines import PooledSQLiteEngine, build_engine


@pytest.fixture
async def engine(database_kind, database_url):
    if database_kind != "sqlite":
        pytest.skip("the pool is SQLite's; PostgreSQL has asyncpg's")
    engine = build_engine(database_url)
    assert isinstance(engine, PooledSQLiteEngine)
    await engine.run_ddl("CREATE TABLE pool_probe (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
    yield engine
    await engine.close_connection_pool()


def query(engine, sql: str, *args):
    return engine.run_querystring(QueryString(sql, *args))


async def test_sequential_queries_share_one_connection(engine):
    threads = threading.active_count()
    for i in range(50):
        await query(engine, "INSERT INTO pool_probe (name) VALUES ({})", f"n{i}")
        assert (await query(engine, "SELECT count(*) AS n FROM pool_probe"))[0]["n"] == i + 1
    assert len(engine._idle) == 1
    assert threading.active_count() <= threads + 1, "one connection thread, not one per query"


async def test_a_transactions_writes_stay_invisible_to_pooled_reads_until_commit(engine):
    written, seen_during, committed = asyncio.Event(), asyncio.Event(), asyncio.Event()
    counts = []

    async def reader():  # started outside the transaction: its queries borrow pooled connections
        await written.wait()
        counts.append((await query(engine, "SELECT count(*) AS n FROM pool_probe"))[0]["n"])
        seen_during.set()
        await committed.wait()
        counts.append((await query(engine, "SELECT count(*) AS n FROM pool_probe"))[0]["n"])

    task = asyncio.create_task(reader())
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await query(engine, "INSERT INTO pool_probe (name) VALUES ({})", "inside")
        written.set()
        await seen_during.wait()
    committed.set()
    await task
    assert counts == [0, 1]


async def test_a_failed_write_leaves_no_lock_and_no_broken_connection_behind(engine):
    await query(engine, "INSERT INTO pool_probe (name) VALUES ({})", "taken")
    with pytest.raises(sqlite3.IntegrityError):
        await query(engine, "INSERT INTO pool_probe (name) VALUES ({})", "taken")
    assert engine._idle == [] or not any(c.in_transaction for c in engine._idle)
    fresh = build_engine(f"sqlite:///{engine.path}")
    fresh.connection_kwargs["timeout"] = 0.5  # a lock left open would make this writer fail fast
    async with fresh.transaction(transaction_type=TransactionType.immediate):
        await query(fresh, "INSERT INTO pool_probe (name) VALUES ({})", "after")
    assert [r["name"] for r in await query(engine, "SELECT name FROM pool_probe ORDER BY id")] == ["taken", "after"]


async def test_concurrent_writes_outside_transactions_all_land(engine):
    await asyncio.gather(*(query(engine, "INSERT INTO pool_probe (name) VALUES ({})", f"c{i}") for i in range(40)))
    assert (await query(engine, "SELECT count(*) AS n FROM pool_probe"))[0]["n"] == 40
    assert len(engine._idle) <= engine.max_idle


async def test_statements_that_change_a_connection_never_run_on_a_pooled_one(engine):
    await query(engine, "SELECT 1 AS one")
    pooled = list(engine._idle)
    await engine.run_ddl("PRAGMA foreign_keys = 0")
    assert engine._idle == pooled
    assert (await query(engine, "SELECT foreign_keys FROM pragma_foreign_keys"))[0]["foreign_keys"] == 1
    assert engine._idle == pooled, "the same pooled connection answered, with foreign keys still on"
