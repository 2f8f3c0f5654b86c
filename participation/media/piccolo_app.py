from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.media.tables import Image, PilotDocument

APP_CONFIG = AppConfig(
    app_name="media",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Image, PilotDocument],
    migration_dependencies=[
        "participation.accounts.piccolo_app",
        "ideas.piccolo_app",
        "participation.register.piccolo_app",
    ],
)
