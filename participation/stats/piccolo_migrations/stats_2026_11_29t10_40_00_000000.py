"""Supports per month: each month is one COUNT over a range of this index (covering on both engines),
about 0.1 s for a million supports on SQLite instead of 3.5 s scanning the table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T10:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index supports by the time they were given"

FORWARDS = ["CREATE INDEX IF NOT EXISTS support_created_at_idx ON support (created_at)"]
BACKWARDS = ["DROP INDEX IF EXISTS support_created_at_idx"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="stats", description=DESCRIPTION)

    async def run(statements):
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    async def run_forwards():
        await run(FORWARDS)

    async def run_backwards():
        await run(BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
