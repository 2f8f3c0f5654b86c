from pathlib import Path

from piccolo.conf.apps import AppConfig

from voting.tables import Routing, Support

APP_CONFIG = AppConfig(
    app_name="voting",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Support, Routing],
    migration_dependencies=["ideas.piccolo_app", "participation.register.piccolo_app"],
)
