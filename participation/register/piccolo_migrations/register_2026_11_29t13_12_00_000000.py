"""One link per ordered pair of entries (a composite unique index: Piccolo's Unique fails on SQLite)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T13:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Register link pair unique"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_index():
        from participation.register.tables import RegisterLink

        await RegisterLink._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS register_link_pair_uniq ON register_link (source, target)"
        )

    async def drop_index():
        from participation.register.tables import RegisterLink

        await RegisterLink._meta.db.run_ddl("DROP INDEX IF EXISTS register_link_pair_uniq")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
