"""A KvK number belongs to one organisation account: normalised, then a unique index.

Registration already stored the eight digits without spaces or dots, so the normalisation
only repairs rows written some other way (empty strings become NULL: residents have none).
Should two accounts still share a number, the oldest account keeps it and the later ones lose
it (NULL) before the index is created: the first to register is the likelier holder, and none
of them was a verified organisation yet (that flag is newer than the data). A later one that
enters the number again is told it is taken and can ask the municipality to verify. Neither the
demo data nor the scale data has duplicates (their numbers are distinct by construction).
NULLs do not collide in a unique index on either database, so residents are unaffected.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique, normalised KvK number per organisation account"

FORWARDS = [
    "UPDATE account SET kvk_number = REPLACE(REPLACE(kvk_number, ' ', ''), '.', '')"
    " WHERE kvk_number IS NOT NULL",
    "UPDATE account SET kvk_number = NULL WHERE kvk_number = ''",
    "UPDATE account SET kvk_number = NULL WHERE kvk_number IS NOT NULL AND EXISTS ("
    " SELECT 1 FROM account AS older WHERE older.kvk_number = account.kvk_number AND older.id < account.id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS account_kvk_number_uniq ON account (kvk_number)",
]
BACKWARDS = ["DROP INDEX IF EXISTS account_kvk_number_uniq"]


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
