"""One follow per (account, entry) (composite unique constraints need raw SQL on SQLite)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T04:18:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique (account, entry) index on entry_follow"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_index():
        from participation.register.tables import EntryFollow

        await EntryFollow._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS entry_follow_account_entry_uniq ON entry_follow (account, entry)"
        )

    async def drop_index():
        from participation.register.tables import EntryFollow

        await EntryFollow._meta.db.run_ddl("DROP INDEX IF EXISTS entry_follow_account_entry_uniq")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
