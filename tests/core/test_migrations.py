"""Migrations apply to an empty database; start-up and `participation serve` refuse an unmigrated one."""

from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import urlparse

import anyio.to_thread
import pytest
from click.testing import CliRunner

from participation.app import create_app
from participation.cli import main
from participation.database import DatabaseError, bind_engine, current_engine, migrate, pending_migrations
from participation.engines import build_engine
from participation.settings import get_settings

MIGRATE_HINT = "Run `participation migrate`"


def refused(exc_type: type[Exception], match: str):
    """The start-up error, raised as is or inside the ExceptionGroup of Litestar's lifespan task group."""
    return pytest.RaisesGroup(pytest.RaisesExc(exc_type, match=match), allow_unwrapped=True, flatten_subgroups=True)


@pytest.fixture
async def empty_database_url(database_kind, tmp_path):
    """A database with nothing in it: a new SQLite file, or a PostgreSQL database created for this test."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    import asyncpg

    base = os.environ["TEST_POSTGRES_URL"]
    name = f"{urlparse(base).path.lstrip('/')}_empty"
    admin = await asyncpg.connect(base)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlparse(base)._replace(path=f"/{name}").geturl()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def restore_engine():
    engine = current_engine()
    yield
    bind_engine(engine)


async def test_migrate_applies_every_migration_to_an_empty_database(empty_database_url, restore_engine):
    from participation.accounts.tables import Account

    bind_engine(build_engine(empty_database_url))
    before = await pending_migrations()
    assert before, "an empty database needs every migration"

    await migrate()

    assert await pending_migrations() == []
    assert await Account.count() == 0, "the tables exist"
    await migrate()  # running it again changes nothing
    assert await pending_migrations() == []


async def test_start_up_refuses_an_unmigrated_database(settings, empty_database_url, restore_engine):
    app = create_app(replace(settings, database_url=empty_database_url))
    with refused(DatabaseError, match=r"unapplied migration.*Run `participation migrate` first"):
        async with app.lifespan():
            pass


@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
async def test_start_up_refuses_an_unreachable_database(settings, restore_engine):
    app = create_app(replace(settings, database_url="postgresql://postgres@127.0.0.1:1/nothing-listens-here"))
    with refused(DatabaseError, match="Cannot reach the database"):
        async with app.lifespan():
            pass


@pytest.fixture
def cli(monkeypatch, restore_engine):
    """`participation ...` in a thread (it runs its own event loop); uvicorn is never started."""
    served = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: served.append(kwargs))
    # `serve` publishes its address as BASE_URL: undone after the test (set, then removed, so
    # monkeypatch remembers that it was absent), or later tests would take the port as the site's.
    monkeypatch.setenv("BASE_URL", "")
    monkeypatch.delenv("BASE_URL")

    async def run(database_url: str, *args: str):
        monkeypatch.setenv("DATABASE_URL", database_url)
        get_settings.cache_clear()
        try:
            return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(main, list(args)))
        finally:
            get_settings.cache_clear()

    run.served = served
    yield run
    get_settings.cache_clear()


async def test_serve_refuses_an_unmigrated_database_then_migrate_fixes_it(cli, empty_database_url):
    refused = await cli(empty_database_url, "serve")
    assert refused.exit_code != 0
    assert MIGRATE_HINT in refused.output
    assert cli.served == [], "no server was started"

    migrated = await cli(empty_database_url, "migrate")
    assert migrated.exit_code == 0, migrated.output
    assert "Database migrated" in migrated.output

    served = await cli(empty_database_url, "serve", "--port", "8123")
    assert served.exit_code == 0, served.output
    assert cli.served and cli.served[0]["port"] == 8123
