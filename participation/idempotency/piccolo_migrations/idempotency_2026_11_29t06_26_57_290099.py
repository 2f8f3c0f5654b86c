"""One key per account: the unique index that makes a concurrent repeat wait and then replay."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T06:26:57:290099"
VERSION = "1.38.0"
DESCRIPTION = "Unique idempotency key per account"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="idempotency", description=DESCRIPTION)

    async def create_index():
        from participation.idempotency.tables import IdempotencyKey

        await IdempotencyKey._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS idempotency_key_account_key_uniq ON idempotency_key (account, key)"
        )

    async def drop_index():
        from participation.idempotency.tables import IdempotencyKey

        await IdempotencyKey._meta.db.run_ddl("DROP INDEX IF EXISTS idempotency_key_account_key_uniq")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
