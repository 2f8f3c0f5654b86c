"""Report.reason takes its choices from ideas.tables.HiddenReason (ReportReason is gone).

Piccolo `choices` are no database constraint: this migration changes no SQL, it keeps
Piccolo's migration state in step so that the next `--auto` run finds nothing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-11-29T03:37:37:652737"
VERSION = "1.38.0"
DESCRIPTION = "report reason uses HiddenReason"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="moderation", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Report",
        tablename="report",
        column_name="reason",
        db_column_name="reason",
        params={
            "choices": Enum(
                "HiddenReason",
                {
                    "pending_review": "pending_review",
                    "spam": "spam",
                    "offensive": "offensive",
                    "personal_data": "personal_data",
                    "off_topic": "off_topic",
                    "other": "other",
                },
            )
        },
        old_params={
            "choices": Enum(
                "ReportReason",
                {
                    "spam": "spam",
                    "offensive": "offensive",
                    "personal_data": "personal_data",
                    "off_topic": "off_topic",
                    "other": "other",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
