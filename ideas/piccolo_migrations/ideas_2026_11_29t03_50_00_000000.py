"""Search that folds accents and finds words inside Dutch compounds: "café" finds "Taalcafé".

The word index (idea_fts, unicode61) matches word prefixes only, and PostgreSQL's 'dutch'
tsvector keeps accents. Both engines get a folded (lower case, accents removed) copy of the
text to match substrings in:
- SQLite: an FTS5 trigram table (indexed substring search), filled by triggers through a
  chain of replace() calls, as SQLite has no unaccent function;
- PostgreSQL: a generated column with translate() (immutable, no extension needed) and, where
  the pg_trgm extension can be created, a trigram GIN index that serves LIKE '%...%'.
The folding table is the one `ideas.search.fold` applies to the query.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-29T03:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Accent-folded substring search"


# Accented letters of the languages residents write in here (Dutch, and the French, German,
# Spanish and Scandinavian words in it), lower and upper case: SQLite's lower() is ASCII only.
FOLD_FROM = "àáâãäåèéêëìíîïòóôõöùúûüýÿçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÇÑ"
FOLD_TO = "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn"
# SQLite's parser allows about 30 nested calls: the replacements run in chunks, one UPDATE each.
CHUNK = 27
COLUMNS = ("title", "summary", "body")


def _replace_chain(expression: str, start: int) -> str:
    for char, base in zip(FOLD_FROM[start : start + CHUNK], FOLD_TO[start : start + CHUNK], strict=True):
        expression = f"replace({expression}, '{char}', '{base}')"
    return expression


def _sqlite_fill(row: str, where: str) -> list[str]:
    """Statements that copy `row`'s text, lower-cased, into idea_trigram and fold its accents."""
    values = ", ".join(f"lower(coalesce({row}{c}, ''))" for c in COLUMNS)
    statements = [f"INSERT INTO idea_trigram(rowid, title, summary, body) SELECT {row}id, {values} {where}"]
    for start in range(0, len(FOLD_FROM), CHUNK):
        sets = ", ".join(f"{c} = {_replace_chain(c, start)}" for c in COLUMNS)
        target = "rowid = new.id" if row == "new." else "1 = 1"
        statements.append(f"UPDATE idea_trigram SET {sets} WHERE {target}")
    return statements


def _trigger(name: str, event: str, first: str = "") -> str:
    body = "; ".join([*([first] if first else []), *_sqlite_fill("new.", "")])
    return f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON idea BEGIN {body}; END"


SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS idea_trigram USING fts5(title, summary, body, tokenize='trigram')",
    _trigger("idea_trigram_ai", "INSERT"),
    "CREATE TRIGGER IF NOT EXISTS idea_trigram_ad AFTER DELETE ON idea BEGIN "
    "DELETE FROM idea_trigram WHERE rowid = old.id; END",
    _trigger("idea_trigram_au", "UPDATE OF title, summary, body", "DELETE FROM idea_trigram WHERE rowid = old.id"),
    # Rows that existed before this migration.
    *_sqlite_fill("", "FROM idea"),
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS idea_trigram_au",
    "DROP TRIGGER IF EXISTS idea_trigram_ad",
    "DROP TRIGGER IF EXISTS idea_trigram_ai",
    "DROP TABLE IF EXISTS idea_trigram",
]

POSTGRES_FORWARDS = [
    "ALTER TABLE idea ADD COLUMN IF NOT EXISTS search_folded text GENERATED ALWAYS AS (translate(lower("
    "coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(body, '')), "
    f"'{FOLD_FROM}', '{FOLD_TO}')) STORED",
    # Optional: without the right to create pg_trgm the search works, by a scan of the folded column.
    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; "
    "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'pg_trgm not available: search scans idea.search_folded'; END $$",
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
    "CREATE INDEX IF NOT EXISTS idea_search_folded_trgm_idx ON idea USING GIN (search_folded gin_trgm_ops); "
    "END IF; END $$",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS idea_search_folded_trgm_idx",
    "ALTER TABLE idea DROP COLUMN IF EXISTS search_folded",
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
