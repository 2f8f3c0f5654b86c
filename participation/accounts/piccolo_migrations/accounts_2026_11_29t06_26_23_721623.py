"""Tokens issued before expiry existed get the default lifetime, counted from their creation.

A token older than 90 days therefore expires with this migration: that is the point of issue 12
(tokens lived for ever). The lifetime of new tokens is the API_TOKEN_DAYS setting.
"""

from datetime import timedelta

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-11-29T06:26:23:721623"
VERSION = "1.38.0"
DESCRIPTION = "Existing API tokens expire 90 days after creation"
DEFAULT_DAYS = 90


class ApiToken(Table, tablename="api_token"):
    created_at = Timestamptz()
    expires_at = Timestamptz()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run():
        # This module's table is not in the app registry: point it at the engine migrating now
        # (Piccolo caches a table's engine on first use, which may be another database's).
        ApiToken._meta.db = engine_finder()
        for row in await ApiToken.select(ApiToken.id, ApiToken.created_at):
            await ApiToken.update({ApiToken.expires_at: row["created_at"] + timedelta(days=DEFAULT_DAYS)}).where(
                ApiToken.id == row["id"]
            )

    manager.add_raw(run)
    return manager
