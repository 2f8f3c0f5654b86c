from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.register.tables import (
    EntryFollow,
    RegisterAssessment,
    RegisterEntry,
    RegisterGoal,
    RegisterIndicator,
    RegisterMeasurement,
    RegisterNeighbourhood,
    RegisterPartner,
    RegisterSensor,
    RegisterUpdate,
)

APP_CONFIG = AppConfig(
    app_name="register",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[
        RegisterEntry,
        RegisterPartner,
        RegisterSensor,
        RegisterNeighbourhood,
        RegisterUpdate,
        EntryFollow,
        RegisterAssessment,
        RegisterGoal,
        RegisterIndicator,
        RegisterMeasurement,
    ],
    migration_dependencies=["participation.accounts.piccolo_app"],
)
