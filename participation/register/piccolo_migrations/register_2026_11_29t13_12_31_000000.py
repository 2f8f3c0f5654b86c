"""Each remote entry once per source in the region view (composite unique needs raw SQL on SQLite)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T13:12:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique (source, remote_slug) index on region_entry"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_index():
        from participation.register.region_tables import RegionEntry

        await RegionEntry._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS region_entry_source_slug_uniq ON region_entry (source, remote_slug)"
        )

    async def drop_index():
        from participation.register.region_tables import RegionEntry

        await RegionEntry._meta.db.run_ddl("DROP INDEX IF EXISTS region_entry_source_slug_uniq")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
