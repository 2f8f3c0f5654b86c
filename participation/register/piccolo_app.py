from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.register.region_tables import RegionEntry
from participation.register.tables import (
    EntryFollow,
    ProgrammeLine,
    ProgrammeLineChange,
    RegisterAssessment,
    RegisterBudgetLine,
    RegisterEntry,
    RegisterFieldChange,
    RegisterGoal,
    RegisterIndicator,
    RegisterLink,
    RegisterMeasurement,
    RegisterNeighbourhood,
    RegisterNote,
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
        ProgrammeLine,
        ProgrammeLineChange,
        RegisterBudgetLine,
        RegionEntry,
        RegisterNote,
        RegisterFieldChange,
        RegisterLink,
        RegisterAssessment,
        RegisterGoal,
        RegisterIndicator,
        RegisterMeasurement,
    ],
    migration_dependencies=["participation.accounts.piccolo_app"],
)
