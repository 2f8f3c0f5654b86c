"""Support buttons: a plain form post that returns to the idea, or an htmx swap of the support area."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from ideas.tables import Idea
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.lib.events import DomainEvents
from participation.settings import Settings
from participation.validation import DomainError
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
    """Run support or withdraw; a refusal is shown in the support area, not as an error page."""
    try:
        outcome = await use_case(settings, request.user, idea_id, events=events)
    except DomainError as exc:
        if exc.status_code == 404:
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
