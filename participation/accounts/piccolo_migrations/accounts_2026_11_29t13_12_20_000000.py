"""One linked identity per account and provider (raw SQL: Piccolo's composite Unique fails on SQLite).

The subject's hash is unique on its own (the previous migration): one person, one account.
This index is the other direction: an account links one identity per provider, so a second
DigiD cannot be added to an account that has one.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:12:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "One identity link per account and provider"

FORWARDS = ["CREATE UNIQUE INDEX IF NOT EXISTS identity_link_account_provider_uniq ON identity_link (account, provider)"]
BACKWARDS = ["DROP INDEX IF EXISTS identity_link_account_provider_uniq"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

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
