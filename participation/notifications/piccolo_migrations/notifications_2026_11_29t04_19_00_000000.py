"""Unique (account, category) settings and (account, day, kind) digests; the list's and the digest's indexes.

Raw SQL: Piccolo's composite Unique fails on SQLite. The partial index keeps the daily job's
"pending digest items" query cheap however many notifications were read and sent before.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T04:19:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique settings and digests, notification indexes"

INDEXES = (
    ("notification_setting_account_category_uniq", "CREATE UNIQUE INDEX IF NOT EXISTS {name} ON notification_setting (account, category)"),
    ("digest_account_day_kind_uniq", "CREATE UNIQUE INDEX IF NOT EXISTS {name} ON digest (account, day, kind)"),
    ("notification_account_created", "CREATE INDEX IF NOT EXISTS {name} ON notification (account, created_at)"),
    (
        "notification_pending_digest",
        "CREATE INDEX IF NOT EXISTS {name} ON notification (created_at, account) "
        "WHERE delivery = 'daily' AND digested_at IS NULL",
    ),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def create_indexes():
        from participation.notifications.tables import Notification

        for name, sql in INDEXES:
            await Notification._meta.db.run_ddl(sql.format(name=name))

    async def drop_indexes():
        from participation.notifications.tables import Notification

        for name, _sql in INDEXES:
            await Notification._meta.db.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
