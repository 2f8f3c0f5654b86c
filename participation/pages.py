"""Site-wide pages: home, health check, and the static information pages."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import File, Response, Template

from participation.accounts.retention import UNVERIFIED_DAYS
from participation.accounts.security_log import RETENTION_DAYS as SECURITY_LOG_DAYS
from participation.database import current_engine
from participation.i18n import get_locale
from participation.lib.clock import utcnow
from participation.outbox.services import SENT_RETENTION
from participation.register.services import recent_updates
from participation.settings import ROOT, Settings
from voting.page_parts import close_to_routing


def statement(name: str) -> str:
    """Statements are written per language (templates/statements/), not sentence by sentence: legal
    text at B1 level reads better written for its readers than translated line by line."""
    return f"statements/{name}.{'en' if get_locale() == 'en' else 'nl'}.html"


def retention(settings: Settings) -> dict[str, int]:
    """How long things are kept, from the code that enforces it, so the statement cannot drift."""
    return {
        "unverified_days": UNVERIFIED_DAYS,
        "sent_mail_days": SENT_RETENTION.days,
        "security_log_days": SECURITY_LOG_DAYS,
        "login_failure_minutes": settings.login_lockout_minutes,
        "session_hours": settings.session_absolute_hours,
    }


class SitePages(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(self, settings: NamedDependency[Settings]) -> Template:
        sections = [await close_to_routing(settings)]
        return Template("home.html", context={"sections": sections, "register_updates": await recent_updates(5)})

    @get("/privacy", name="privacy")
    async def privacy(self, settings: NamedDependency[Settings]) -> Template:
        """The privacy statement, from the city configuration and the retention the code enforces."""
        return Template(statement("privacy"), context={"privacy": settings.city.privacy, **retention(settings)})

    @get("/accessibility", name="accessibility")
    async def accessibility(self, settings: NamedDependency[Settings]) -> Template:
        return Template(statement("accessibility"), context={"accessibility": settings.city.accessibility})

    @get("/healthz", name="healthz", cache_control=None)
    async def healthz(self, request: Request) -> Response:
        try:
            await current_engine().run_ddl("SELECT 1")
        except Exception as exc:  # noqa: BLE001 - any database error means unhealthy
            return Response({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
        return Response({"status": "ok", "database": "ok"})

    @get("/favicon.ico", name="favicon", cache_control=None)
    async def favicon(self, settings: NamedDependency[Settings]) -> File:
        """Browsers ask for /favicon.ico whatever the page says; the city's own icon when it has one."""
        name = settings.city.favicon or "favicon.ico"
        media_type = "image/svg+xml" if name.endswith(".svg") else None
        return File(ROOT / "static" / name, media_type=media_type, content_disposition_type="inline")

    @get("/.well-known/security.txt", name="security_txt", media_type="text/plain; charset=utf-8")
    async def security_txt(self, settings: NamedDependency[Settings]) -> str:
        """RFC 9116: where to report a vulnerability in this deployment (SECURITY_CONTACT)."""
        contact = settings.security_contact
        if not contact:
            raise NotFoundException()
        if "@" in contact and not contact.startswith(("mailto:", "https://")):
            contact = f"mailto:{contact}"
        expires = (utcnow() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"Contact: {contact}\nExpires: {expires}\nPreferred-Languages: nl, en\n"
            f"Canonical: {settings.base_url}/.well-known/security.txt\n"
        )
