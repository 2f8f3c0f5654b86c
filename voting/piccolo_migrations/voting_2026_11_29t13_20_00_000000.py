"""Fill idea.verified_support_count (added by the ideas app) from the supports that exist.

From here on the support service and the verification handler (voting.verified) keep it in the
same transaction as the rows it counts; this counts once what was there before.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Count the verified supports of every idea once"

FORWARDS = [
    "UPDATE idea SET verified_support_count = ("
    " SELECT COUNT(*) FROM support JOIN account ON account.id = support.account"
    " WHERE support.idea = idea.id AND (account.verified_resident OR account.verified_organisation))"
    " WHERE EXISTS (SELECT 1 FROM support WHERE support.idea = idea.id)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voting", description=DESCRIPTION)

    async def run_forwards():
        engine = engine_finder()
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    async def run_backwards():
        pass  # the column goes with the ideas app's migration backwards

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
