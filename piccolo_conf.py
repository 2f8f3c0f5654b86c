"""Piccolo's entry point: the engine (from DATABASE_URL) and the registry of domain apps."""

from piccolo.conf.apps import AppRegistry

from participation.engines import build_engine
from participation.settings import get_settings

DB = build_engine(get_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "participation.accounts.piccolo_app",
        "ideas.piccolo_app",
        "participation.register.piccolo_app",
        "voting.piccolo_app",
        "participation.moderation.piccolo_app",
        "participation.outbox.piccolo_app",
        "participation.notifications.piccolo_app",
        "participation.idempotency.piccolo_app",
        "participation.leases.piccolo_app",
        "participation.stats.piccolo_app",
        "participation.media.piccolo_app",
    ]
)
