"""The index of the worker's claim query (status, next_attempt_at) and of the purge of sent rows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T04:19:12:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox status and due-time index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="outbox", description=DESCRIPTION)

    async def create_index():
        from participation.outbox.tables import OutboxMessage

        await OutboxMessage._meta.db.run_ddl(
            "CREATE INDEX IF NOT EXISTS outbox_message_status_due ON outbox_message (status, next_attempt_at)"
        )

    async def drop_index():
        from participation.outbox.tables import OutboxMessage

        await OutboxMessage._meta.db.run_ddl("DROP INDEX IF EXISTS outbox_message_status_due")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
