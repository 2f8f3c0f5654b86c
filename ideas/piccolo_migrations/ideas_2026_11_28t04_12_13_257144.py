"""Raw SQL Piccolo cannot express portably: a composite unique index and full-text search.

SQLite: an FTS5 table over title, summary and body (external content = the idea
table), kept in sync by triggers. PostgreSQL: a generated tsvector with the
Dutch configuration (title weighted A, summary B, body C) and a GIN index.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-28T04:12:13:257144"
VERSION = "1.38.0"
DESCRIPTION = "Unique follow index and full-text search"

SQLITE_FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS follow_account_idea_uniq ON follow (account, idea)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS idea_fts USING fts5("
    "title, summary, body, content='idea', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS idea_fts_ai AFTER INSERT ON idea BEGIN "
    "INSERT INTO idea_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS idea_fts_ad AFTER DELETE ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS idea_fts_au AFTER UPDATE OF title, summary, body ON idea BEGIN "
    "INSERT INTO idea_fts(idea_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body); "
    "INSERT INTO idea_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body); END",
    # Rows that existed before this migration (none on a fresh database).
    "INSERT INTO idea_fts(idea_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS idea_fts_au",
    "DROP TRIGGER IF EXISTS idea_fts_ad",
    "DROP TRIGGER IF EXISTS idea_fts_ai",
    "DROP TABLE IF EXISTS idea_fts",
    "DROP INDEX IF EXISTS follow_account_idea_uniq",
]
POSTGRES_FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS follow_account_idea_uniq ON follow (account, idea)",
    "ALTER TABLE idea ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch', coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('dutch', coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX IF NOT EXISTS idea_search_vector_idx ON idea USING GIN (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS idea_search_vector_idx",
    "ALTER TABLE idea DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS follow_account_idea_uniq",
]


async def _run(sqlite: list[str], postgres: list[str]) -> None:
    engine = engine_finder()
    for statement in sqlite if isinstance(engine, SQLiteEngine) else postgres:
        await engine.run_ddl(statement)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ideas", description=DESCRIPTION)

    async def run_forwards():
        await _run(SQLITE_FORWARDS, POSTGRES_FORWARDS)

    async def run_backwards():
        await _run(SQLITE_BACKWARDS, POSTGRES_BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
