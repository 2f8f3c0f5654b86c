"""Building a Piccolo engine from DATABASE_URL: SQLite (embedded default) or PostgreSQL.

Kept apart from `participation.database` (the lifecycle) so that `piccolo_conf` can build its
engine without importing the module that later rebinds it: no import cycle.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

SQLITE_BUSY_TIMEOUT_S = 30


def build_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
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
