"""Composite unique indexes (raw SQL: Piccolo's composite Unique fails on SQLite).

support (account, idea): one support per account per idea; the support service
inserts with ON CONFLICT DO NOTHING against it. routing (idea): an idea is
routed at most once, whatever the interleaving.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T04:13:28:944003"
VERSION = "1.38.0"
DESCRIPTION = "Unique support per account and idea, one routing per idea"

FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS support_account_idea_uniq ON support (account, idea)",
    "CREATE UNIQUE INDEX IF NOT EXISTS routing_idea_uniq ON routing (idea)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS routing_idea_uniq",
    "DROP INDEX IF EXISTS support_account_idea_uniq",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)

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
