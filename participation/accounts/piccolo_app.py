from pathlib import Path

from piccolo.conf.apps import AppConfig

from participation.accounts.identity.tables import IdentityLink
from participation.accounts.tables import Account, ApiToken, AttemptCount, RecoveryCode, SecurityEvent, TwoFactor

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=Path(__file__).parent / "piccolo_migrations",
    table_classes=[Account, ApiToken, AttemptCount, SecurityEvent, TwoFactor, RecoveryCode, IdentityLink],
)
