"""The security log is append-only: no edits, and no deletion before its 12 months are up.

Raw SQL triggers per engine (like the decision log's). Two exceptions keep the rules
workable: deleting an account may clear the `account`/`actor` reference (ON DELETE SET
NULL, an UPDATE of those columns only), and retention may delete entries older than a
year. TRUNCATE (the PostgreSQL test fixtures) fires no row trigger.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-29T06:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Append-only security log, deletable after 12 months"

PROTECTED_COLUMNS = "kind, email_digest, detail, path, created_at"

SQLITE_FORWARDS = [
    f"CREATE TRIGGER IF NOT EXISTS security_event_no_update BEFORE UPDATE OF {PROTECTED_COLUMNS} ON security_event "
    "BEGIN SELECT RAISE(ABORT, 'security_event is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS security_event_retained BEFORE DELETE ON security_event "
    "WHEN julianday(OLD.created_at) > julianday('now', '-365 days') "
    "BEGIN SELECT RAISE(ABORT, 'security_event is kept for 12 months'); END",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS security_event_retained",
    "DROP TRIGGER IF EXISTS security_event_no_update",
]

POSTGRES_FORWARDS = [
    "CREATE OR REPLACE FUNCTION security_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'security_event is append-only'; END IF; "
    "IF OLD.created_at > now() - interval '365 days' THEN RAISE EXCEPTION 'security_event is kept for 12 months'; "
    "END IF; RETURN OLD; END; $$",
    "DROP TRIGGER IF EXISTS security_event_append_only ON security_event",
    f"CREATE TRIGGER security_event_append_only BEFORE UPDATE OF {PROTECTED_COLUMNS} OR DELETE ON security_event "
    "FOR EACH ROW EXECUTE FUNCTION security_event_append_only()",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS security_event_append_only ON security_event",
    "DROP FUNCTION IF EXISTS security_event_append_only()",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run(statements):
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    def is_sqlite() -> bool:
        return isinstance(engine_finder(), SQLiteEngine)

    async def run_forwards():
        await run(SQLITE_FORWARDS if is_sqlite() else POSTGRES_FORWARDS)

    async def run_backwards():
        await run(SQLITE_BACKWARDS if is_sqlite() else POSTGRES_BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
