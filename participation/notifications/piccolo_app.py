from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.notifications.tables import Digest, Notification, NotificationSetting

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Notification, NotificationSetting, Digest],
    migration_dependencies=["participation.accounts.piccolo_app"],
)
