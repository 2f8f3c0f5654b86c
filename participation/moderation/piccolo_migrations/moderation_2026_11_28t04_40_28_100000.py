"""One open report per account per item; the decision log refuses UPDATE and DELETE.

Raw SQL: a partial unique index (works on SQLite and PostgreSQL) and
engine-specific triggers. TRUNCATE (used by the test fixtures on PostgreSQL)
fires no row trigger and stays possible for a database owner.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-28T04:40:28:100000"
VERSION = "1.38.0"
DESCRIPTION = "One open report per account and item; append-only decision log"

COMMON_FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS report_open_uniq ON report (reporter, target_type, target_id) WHERE status = 'open'",
]
COMMON_BACKWARDS = ["DROP INDEX IF EXISTS report_open_uniq"]

SQLITE_FORWARDS = [
    "CREATE TRIGGER IF NOT EXISTS moderation_decision_no_update BEFORE UPDATE ON moderation_decision "
    "BEGIN SELECT RAISE(ABORT, 'moderation_decision is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS moderation_decision_no_delete BEFORE DELETE ON moderation_decision "
    "BEGIN SELECT RAISE(ABORT, 'moderation_decision is append-only'); END",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS moderation_decision_no_delete",
    "DROP TRIGGER IF EXISTS moderation_decision_no_update",
]

POSTGRES_FORWARDS = [
    "CREATE OR REPLACE FUNCTION moderation_decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'moderation_decision is append-only'; END; $$",
    "DROP TRIGGER IF EXISTS moderation_decision_append_only ON moderation_decision",
    "CREATE TRIGGER moderation_decision_append_only BEFORE UPDATE OR DELETE ON moderation_decision "
    "FOR EACH ROW EXECUTE FUNCTION moderation_decision_append_only()",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS moderation_decision_append_only ON moderation_decision",
    "DROP FUNCTION IF EXISTS moderation_decision_append_only()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="moderation", description=DESCRIPTION)

    async def run(statements):
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    def is_sqlite() -> bool:
        return isinstance(engine_finder(), SQLiteEngine)

    async def run_forwards():
        await run(COMMON_FORWARDS + (SQLITE_FORWARDS if is_sqlite() else POSTGRES_FORWARDS))

    async def run_backwards():
        await run((SQLITE_BACKWARDS if is_sqlite() else POSTGRES_BACKWARDS) + COMMON_BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
