from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.idempotency.tables import IdempotencyKey

APP_CONFIG = AppConfig(
    app_name="idempotency",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[IdempotencyKey],
)
