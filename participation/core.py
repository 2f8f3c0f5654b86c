"""The core plugin: everything the app is made of, wired in one place."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.plugins import InitPluginProtocol
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry

from ideas.api import IdeaApi
from ideas.controllers import IdeaPages
from participation import __version__, tasks
from participation.accounts.api import AccountApi
from participation.accounts.auth import AccountMiddleware
from participation.accounts.controllers import AccountPages
from participation.accounts.identity.pages import IdentityPages
from participation.accounts.organisation_pages import OrganisationPages
from participation.accounts.privacy_api import PrivacyApi
from participation.accounts.privacy_pages import PrivacyPages
from participation.accounts.signed_in import signed_in_answers
from participation.accounts.token_pages import TokenPages
from participation.accounts.two_factor_pages import TwoFactorPages
from participation.api_docs import ProblemResponses
from participation.bounded_input import BoundedInputMiddleware
from participation.composition import Parts
from participation.database import close_database, open_database
from participation.engines import build_engine
from participation.errors import handle_exception
from participation.map_pages import MapPages
from participation.media.controllers import MediaPages
from participation.middleware import LocaleMiddleware, security_headers
from participation.moderation.api import ModerationApi, ReportApi
from participation.moderation.controllers import ModerationPages, ReportPages
from participation.moderation.image_pages import ImageModerationPages
from participation.notifications.controllers import NotificationPages
from participation.notifications.middleware import UnreadCountMiddleware
from participation.options import OptionsMiddleware
from participation.outbox.worker import OutboxWorker
from participation.outbox_pages import OutboxPages
from participation.pages import SitePages
from participation.rate_limits import BucketRateLimits
from participation.register.api import RegisterApi
from participation.register.controllers import RegisterPages
from participation.register.exports import RegisterExports
from participation.register.open_data_routes import OPEN_DATA_CONTROLLERS
from participation.register.programme import seed_programme_lines
from participation.register.programme_pages import BudgetPages, CouncilReportPages, ProgrammeLinePages
from participation.register.project_pages import ProjectPages
from participation.register.staff_pages import RegisterStaffPages
from participation.security_log_pages import SecurityLogPages
from participation.sessions import SessionConfig
from participation.settings import ROOT
from participation.stats.controllers import StatsApi, StatsPages
from participation.stats.exports import StaffExports
from participation.templating import template_config
from voting.api import SupportApi
from voting.controllers import EntryIdeaPages, SupportPages

API_PATH = "/api/v1"


class ApplicationCore(InitPluginProtocol):
    """Wires the parts built by the composition root into Litestar: routes, DI, middleware, lifespan."""

    def __init__(self, parts: Parts, require_migrated: bool = True) -> None:
        self.parts = parts
        self.settings = parts.settings
        self.require_migrated = require_migrated

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        settings = self.settings
        app_config.state = State({"settings": settings, "parts": self.parts})
        app_config.dependencies.update(self.parts.dependencies())
        app_config.debug = False
        app_config.route_handlers.extend(
            [
                SitePages,
                MapPages,
                AccountPages,
                TokenPages,
                TwoFactorPages,
                IdentityPages,
                OrganisationPages,
                AccountApi,
                PrivacyPages,
                PrivacyApi,
                IdeaPages,
                IdeaApi,
                RegisterPages,
                ProgrammeLinePages,
                BudgetPages,
                CouncilReportPages,
                RegisterExports,
                *OPEN_DATA_CONTROLLERS,
                RegisterStaffPages,
                ProjectPages,
                RegisterApi,
                SupportPages,
                EntryIdeaPages,
                SupportApi,
                ModerationPages,
                ReportPages,
                ModerationApi,
                ReportApi,
                OutboxPages,
                SecurityLogPages,
                NotificationPages,
                StatsPages,
                StatsApi,
                StaffExports,
                MediaPages,
                ImageModerationPages,
                create_static_files_router(path="/static", directories=[ROOT / "static"], name="static"),
            ]
        )
        app_config.template_config = template_config(settings)
        app_config.csrf_config = CSRFConfig(
            secret=settings.secret_key,
            cookie_secure=settings.is_production,
            cookie_samesite="lax",
            cookie_httponly=True,
            # The API authenticates with bearer tokens only and never reads the session cookie.
            # Unsubscribe links carry a signed token instead; a mail client's RFC 8058 one-click POST has no CSRF token.
            exclude=[f"^{API_PATH}/", "^/static/", "^/healthz$", "^/unsubscribe/"],
        )
        sessions = SessionConfig(
            key="session",
            store="sessions",
            max_age=settings.session_absolute_hours * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.is_production,
            # Static files and the health check read no session: no store read for them.
            exclude=["^/static/", "^/healthz$"],
        )
        app_config.stores = StoreRegistry(stores=self._stores())
        app_config.middleware = [
            # Before sessions and sign-in: OPTIONS needs neither.
            OptionsMiddleware(),
            sessions.middleware,
            DefineMiddleware(AccountMiddleware, exclude=["^/static/", "^/healthz$"]),
            UnreadCountMiddleware(),
            LocaleMiddleware(settings.city.default_locale, settings.city.timezone),
            # After the language is known (its refusals are read by people), before any handler.
            BoundedInputMiddleware(max_body_size=app_config.request_max_body_size or 10_000_000),
            BucketRateLimits(settings),
            *app_config.middleware,
        ]
        app_config.exception_handlers = {Exception: handle_exception}
        app_config.before_send.append(security_headers(settings.is_production, settings.geo.tile_origin))
        app_config.before_send.append(signed_in_answers)
        # Documents the problem-details answers of every API operation (participation.api_docs).
        app_config.plugins.append(ProblemResponses())
        app_config.openapi_config = OpenAPIConfig(
            title=f"Participation platform API ({settings.city.name})",
            version=__version__,
            path=f"{API_PATH}/schema",
            # Only the raw schema: the interactive renderers load scripts from CDNs.
            render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        )
        app_config.lifespan.append(self._lifespan)
        return app_config

    def _stores(self) -> dict[str, Store]:
        backend = self.settings.store_backend
        if backend == "redis":
            redis = RedisStore.with_client(url=self.settings.redis_url or "", namespace="participation")
            return {
                "sessions": redis.with_namespace("sessions"),
                "rate_limit": redis.with_namespace("rate_limit"),
                # Computed pages and figures (participation.lib.cache), shared by every worker and host.
                "cache": redis.with_namespace("cache"),
            }
        if backend == "file":
            root = self.settings.var_dir / "stores"
            return {
                "sessions": FileStore(root / "sessions", create_directories=True),
                "rate_limit": FileStore(root / "rate_limit", create_directories=True),
                # In memory even on one host: a per-process copy of short-lived figures costs little.
                "cache": MemoryStore(),
            }
        return {"sessions": MemoryStore(), "rate_limit": MemoryStore(), "cache": MemoryStore()}

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Litestar) -> AsyncIterator[None]:
        engine = build_engine(self.settings.database_url)
        await open_database(engine, require_migrated=self.require_migrated)
        app.state.engine = engine
        # Lines added to the city configuration get their row; rows admins edited stay as they are.
        await seed_programme_lines(self.settings.city)
        background = []
        if self.settings.run_periodic_tasks:
            background.append(asyncio.create_task(tasks.run_forever(self.parts, app)))
        if self.settings.outbox_worker:
            # Mail leaves from here by default; requests only write outbox rows.
            background.append(asyncio.create_task(OutboxWorker(self.settings, self.parts.mail_transport).run()))
        try:
            yield
        finally:
            for task in background:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await close_database(engine)
