"""Indexes for the register's lists: the overview's order, the lessons page's, overdue responses."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T10:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Register list indexes"

INDEXES = (
    ("register_entry_line_title", "register_entry (programme_line, title, id)"),
    ("register_entry_updated_id", "register_entry (updated_at DESC, id DESC)"),
    ("register_entry_status_due", "register_entry (status, response_due_at)"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_indexes():
        from participation.register.tables import RegisterEntry

        for name, columns in INDEXES:
            await RegisterEntry._meta.db.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")

    async def drop_indexes():
        from participation.register.tables import RegisterEntry

        for name, _columns in INDEXES:
            await RegisterEntry._meta.db.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
