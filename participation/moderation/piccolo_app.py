from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.moderation.tables import AuthorNotice, ModerationDecision, Report, SpamSignal, StaffNote, Triage

APP_CONFIG = AppConfig(
    app_name="moderation",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Report, ModerationDecision, Triage, StaffNote, SpamSignal, AuthorNotice],
    migration_dependencies=["participation.accounts.piccolo_app", "ideas.piccolo_app"],
)
