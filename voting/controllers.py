"""Support buttons (a plain form post that returns to the idea, or an htmx swap of the support area), and the
editors' page that links further ideas to a register entry (routing them into it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from ideas.tables import Idea
from participation.accounts.guards import requires_account, requires_editor
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.lib.events import DomainEvents
from participation.register.services import get_entry
from participation.settings import Settings
from participation.validation import DomainError, FormErrors
from voting import services
from voting.panel import support_panel


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def _respond(request: Request, settings: Settings, idea_id: int, message: str, ok: bool) -> Template | Redirect:
    if _is_htmx(request):
        idea = await Idea.objects().where(Idea.id == idea_id).first()
        panel = await support_panel(settings, request.user, idea) if idea else None
        return Template("voting/_support.html", context={"panel": panel, "message": message, "message_ok": ok})
    flash(request, message, category="success" if ok else "error")
    return Redirect(f"/ideas/{idea_id}#support")


async def _act(
    request: Request, settings: Settings, events: DomainEvents, idea_id: int, use_case
) -> Template | Redirect:
    """Run support or withdraw; a refusal about the idea is shown in the support area, not as an error page.

    A refusal of the person (401, 403) is an error page with its status: the support area never
    offers them the button, and a success-looking redirect would hide the refusal from clients and logs.
    """
    try:
        outcome = await use_case(settings, request.user, idea_id, events=events)
    except DomainError as exc:
        if exc.status_code in (401, 403, 404):
            raise
        return await _respond(request, settings, idea_id, str(exc.message), ok=False)
    return await _respond(request, settings, idea_id, str(services.outcome_message(outcome)), ok=True)


class SupportPages(Controller):
    include_in_schema = False
    guards = [requires_account]

    @post("/ideas/{idea_id:int}/support", name="support_idea", opt={"rate_limit": "support"})
    async def support(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        return await _act(request, settings, events, idea_id, services.support_idea)

    @post("/ideas/{idea_id:int}/support/withdraw", name="withdraw_support", opt={"rate_limit": "support"})
    async def withdraw(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        return await _act(request, settings, events, idea_id, services.withdraw_support)


class EntryIdeaPages(Controller):
    """An editor links further ideas to an existing register entry (several ideas, one project)."""

    include_in_schema = False
    path = "/register/{slug:str}/ideas"
    guards = [requires_editor]

    async def _page(
        self,
        settings: Settings,
        events: DomainEvents,
        slug: str,
        *,
        q: str = "",
        values=None,
        errors=None,
        status_code: int = 200,
    ) -> Template:
        entry = await get_entry(slug)
        q = q.strip()[:200]
        return Template(
            "voting/link_ideas.html",
            status_code=status_code,
            context={
                "entry": entry,
                "source_ideas": await services.source_ideas(slug),
                "can_link_ideas": False,  # this page is the way to link; no link to itself
                "q": q,
                "results": await services.linkable_ideas(settings, q, events=events) if q else [],
                "values": values or {},
                "errors": errors or {},
            },
        )

    @get("/", name="link_ideas")
    async def form(
        self,
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        slug: FromPath[str],
        q: FromQuery[str] = "",
    ) -> Template:
        return await self._page(settings, events, slug, q=q)

    @post("/", name="link_idea")
    async def link(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        slug: FromPath[str],
    ) -> Template | Redirect:
        form = await request.form()
        values = {"idea_id": str(form.get("idea_id") or "")[:20]}
        try:
            idea = await services.link_idea(settings, request.user, slug, values["idea_id"], events=events)
        except FormErrors as exc:
            return await self._page(settings, events, slug, values=values, errors=exc.errors, status_code=422)
        except DomainError as exc:
            if exc.status_code != 409:
                raise
            return await self._page(
                settings, events, slug, values=values, errors={"idea_id": exc.message}, status_code=409
            )
        flash(request, gettext("Idea %(id)s is now linked to this entry.", id=idea.id), category="success")
        return Redirect(f"/register/{slug}")
