from pathlib import Path

from piccolo.conf.apps import AppConfig

from ideas.tables import Comment, Follow, Idea

APP_CONFIG = AppConfig(
    app_name="ideas",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Idea, Comment, Follow],
    migration_dependencies=["participation.accounts.piccolo_app"],
)
