"""Each neighbourhood once per entry (composite unique constraints need raw SQL on SQLite)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T04:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique (entry, neighbourhood) index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_index():
        from participation.register.tables import RegisterNeighbourhood

        await RegisterNeighbourhood._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS register_neighbourhood_entry_uniq "
            "ON register_neighbourhood (entry, neighbourhood)"
        )

    async def drop_index():
        from participation.register.tables import RegisterNeighbourhood

        await RegisterNeighbourhood._meta.db.run_ddl("DROP INDEX IF EXISTS register_neighbourhood_entry_uniq")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
