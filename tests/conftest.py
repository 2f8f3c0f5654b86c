"""Test set-up: every test runs on SQLite, and again on PostgreSQL when TEST_POSTGRES_URL is set.

The environment is fixed before the app is imported (settings and Piccolo's
configuration are read at import). SQLite tests each get a copy of a migrated
template file; PostgreSQL tests share one migrated schema, emptied per test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="participation-tests-"))
os.environ["PARTICIPATION_VAR_DIR"] = str(_TMP / "var")
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'import.sqlite3'}"
os.environ["PARTICIPATION_ENV"] = "development"
for name in ("REDIS_URL", "SMTP_URL", "CITY_CONFIG", "SECRET_KEY", "BASE_URL"):
    os.environ.pop(name, None)

import anyio  # noqa: E402
import httpx  # noqa: E402
import pytest  # noqa: E402

from participation.app import create_app  # noqa: E402
from participation.composition import Parts, build_parts  # noqa: E402
from participation.database import all_tables, bind_engine, current_engine, migrate  # noqa: E402
from participation.engines import PooledSQLiteEngine, build_engine  # noqa: E402
from participation.settings import RateLimits, Settings  # noqa: E402
from tests.mail import DeliveringTransport, Outbox  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
DATABASES = ["sqlite", *(["postgres"] if POSTGRES_URL else [])]


def pytest_sessionstart(session: pytest.Session) -> None:
    """With TEST_POSTGRES_URL set, an unreachable server is an error, never a silent skip."""
    if POSTGRES_URL:
        try:
            anyio.run(_check_postgres)
        except Exception as exc:  # noqa: BLE001
            pytest.exit(f"TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {exc}", returncode=3)


async def _check_postgres() -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL, timeout=10)
    await connection.close()


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


async def _migrate(url: str) -> None:
    engine = build_engine(url)
    bind_engine(engine)
    if url.startswith("postgres"):
        await engine.run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    await migrate()
    if isinstance(engine, PooledSQLiteEngine):
        # Idle connections keep the WAL file open; closed, the template is whole in one file to copy.
        await engine.close_connection_pool()


@pytest.fixture(scope="session", params=DATABASES)
def database_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def migrated_template(database_kind: str) -> str:
    """A migrated SQLite file to copy per test, or the migrated PostgreSQL URL."""
    if database_kind == "sqlite":
        path = _TMP / "template.sqlite3"
        if not path.exists():
            anyio.run(_migrate, f"sqlite:///{path}")
        return str(path)
    anyio.run(_migrate, POSTGRES_URL)
    return POSTGRES_URL  # type: ignore[return-value]


@pytest.fixture
async def database_url(database_kind: str, migrated_template: str, tmp_path: Path) -> AsyncIterator[str]:
    if database_kind == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(migrated_template, target)
        url = f"sqlite:///{target}"
        engine = build_engine(url)
        bind_engine(engine)
        yield url
        # Idle pooled connections closed in this test's loop, not by the garbage collector in another's.
        for used in (engine, current_engine()):
            if isinstance(used, PooledSQLiteEngine):
                await used.close_connection_pool()
        return
    bind_engine(build_engine(migrated_template))
    names = ", ".join(f'"{t._meta.tablename}"' for t in all_tables())
    await all_tables()[0]._meta.db.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    yield migrated_template


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings as in development, with fast hashing, memory stores and captured mail."""
    base = Settings.from_env()
    return replace(
        base,
        database_url=database_url,
        # Uploaded images and documents in the test's own folder, never in the project's var/.
        media_storage_url=f"file://{tmp_path / 'media'}",
        mail_backend="memory",
        store_backend="memory",
        password_hash_fast=True,
        run_periodic_tasks=False,
        # The test clients drain the outbox after each request (tests/mail.py); the app's own
        # worker would race them for the rows.
        outbox_worker=False,
        rate_limits=RateLimits(**{bucket: 10_000 for bucket in vars(RateLimits())}),
        account_rate_limits=RateLimits(**{bucket: 10_000 for bucket in vars(RateLimits())}),
    )


@pytest.fixture
def parts(settings: Settings) -> Parts:
    """The app's wiring (the composition root), for tests that call services directly."""
    return build_parts(settings)


@pytest.fixture
def events(parts: Parts):
    """The app's domain events: a service called here reacts as it would in the app."""
    return parts.events


@pytest.fixture
def outbox(settings: Settings) -> Outbox:
    """Mail delivered during the test: the clients drain the outbox after every request (tests/mail.py)."""
    return Outbox(settings)


@pytest.fixture
async def client(settings: Settings, outbox: Outbox):
    """An HTTP client on the app, in the test's own event loop.

    Litestar's AsyncTestClient runs the app in a portal thread with its own
    loop; a PostgreSQL pool opened there cannot serve the test's own queries.
    So the app's lifespan runs here and httpx talks to it in-process; concurrent
    requests (asyncio.gather) interleave as on a real single-worker server.
    """
    app = create_app(settings)
    async with app.lifespan():
        transport = DeliveringTransport(app, outbox)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
            yield http


@pytest.fixture
def cli(settings, monkeypatch):
    """Run `participation ...` against the test database, in a thread (the command runs its own event loop)."""
    from click.testing import CliRunner

    from participation.cli import main
    from participation.database import current_engine
    from participation.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    # `participation serve` publishes its address as BASE_URL for its workers: undone after the
    # test, or later tests' settings would take the served port as the site's address.
    monkeypatch.setenv("BASE_URL", "")
    monkeypatch.delenv("BASE_URL")
    get_settings.cache_clear()

    async def run(*args: str, input: str | None = None):
        engine = current_engine()
        try:
            return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(main, list(args), input=input))
        finally:
            bind_engine(engine)  # the command bound the tables to its own engine

    yield run
    get_settings.cache_clear()


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_TMP, ignore_errors=True)
