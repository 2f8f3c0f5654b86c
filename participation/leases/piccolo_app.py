from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.leases.tables import Lease

APP_CONFIG = AppConfig(
    app_name="leases",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Lease],
)
