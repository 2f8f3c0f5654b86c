"""How voting plugs into the idea pages and API without the ideas package importing it.

The ideas package exposes lists of context providers and a trending hook; the
core plugin calls `install()` once at start-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request

from ideas import api as ideas_api
from ideas import controllers as ideas_controllers
from ideas import search as ideas_search
from ideas import services as ideas_services
from ideas.tables import Idea
from participation.accounts.controllers import account_sections
from participation.pages import home_sections
from participation.settings import Settings
from voting.panel import card_panel, support_panel
from voting.permissions import threshold_for
from voting.services import expire_due_ideas, expire_if_due, my_supports, routing_for, supported_idea_ids, utcnow
from voting.tables import Support


async def _detail_context(request: Request, idea: Idea) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    await expire_if_due(idea)  # a closed idea never shows as open
    return {"panel": await support_panel(settings, request.user, idea)}


async def _list_context(request: Request, ideas: list[Idea]) -> dict[str, Any]:
    """Progress for each card; expiry already ran before the list query (`_expire_before_list`)."""
    settings: Settings = request.app.state.settings
    now = utcnow()
    supported = await supported_idea_ids(request.user, [i.id for i in ideas])
    return {"support_panels": {i.id: card_panel(settings, i, now, i.id in supported) for i in ideas}}


async def _api_detail(settings: Settings, viewer, idea: Idea) -> dict[str, Any]:
    await expire_if_due(idea)
    fields: dict[str, Any] = {"threshold": threshold_for(idea, settings.city)}
    if viewer is not None:
        fields["supported"] = idea.id in await supported_idea_ids(viewer, [idea.id])
    if idea.status == "routed" and (routing := await routing_for(idea.id)):
        fields["register_entry"] = routing[1]
    return fields


async def _recent_supports(idea_id: int, since: datetime) -> int:
    return await Support.count().where((Support.idea == idea_id) & (Support.created_at >= since))


async def _my_supports_section(account) -> tuple[str, dict[str, Any]]:
    return "voting/_my_supports.html", {"my_supports": await my_supports(account)}


async def _close_to_routing_section(request: Request) -> tuple[str, dict[str, Any]]:
    """The home page's published ideas with the most supports, with their progress."""
    settings: Settings = request.app.state.settings
    await expire_due_ideas()
    ideas = (
        await Idea.objects().where(Idea.status == "published").order_by(Idea.support_count, ascending=False).limit(3)
    )
    now = utcnow()
    return "voting/_close_to_routing.html", {
        "ideas": [(i, card_panel(settings, i, now)) for i in ideas if i.support_count]
    }


async def _expire_before_list() -> None:
    await expire_due_ideas()


def install() -> None:
    if _detail_context not in ideas_controllers.detail_context_providers:
        ideas_controllers.detail_context_providers.append(_detail_context)
    if _list_context not in ideas_controllers.list_context_providers:
        ideas_controllers.list_context_providers.append(_list_context)
    if _api_detail not in ideas_api.detail_providers:
        ideas_api.detail_providers.append(_api_detail)
    if _expire_before_list not in ideas_search.before_list:
        ideas_search.before_list.append(_expire_before_list)
    ideas_services.set_recent_support_counter(_recent_supports)
    if _close_to_routing_section not in home_sections:
        home_sections.append(_close_to_routing_section)
    if _my_supports_section not in account_sections:
        account_sections.append(_my_supports_section)
