"""The statistics own no tables; their migrations add the indexes their aggregate queries need."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="stats",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[],
    migration_dependencies=["voting.piccolo_app", "participation.moderation.piccolo_app"],
)
