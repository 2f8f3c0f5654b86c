from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.outbox.tables import OutboxMessage

APP_CONFIG = AppConfig(
    app_name="outbox",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[OutboxMessage],
)
