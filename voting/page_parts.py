"""What voting shows on other domains' pages: the support panel and progress on idea pages and
cards, the API's threshold fields, "My supports" on the account page, and the home page's ideas
close to routing. The composition root (`participation.composition`) puts them in place.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from piccolo.columns.combination import WhereRaw

from ideas import lifecycle
from ideas.tables import Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.register.permissions import can_edit_register
from participation.settings import Settings
from voting.panel import card_panel, support_panel
from voting.permissions import threshold_for
from voting.services import (
    below_threshold_where,
    counted_column,
    my_supports,
    routed_outcome,
    source_ideas_of,
    supported_idea_ids,
)


async def idea_detail(request: Request, idea: Idea, *, events: DomainEvents) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    await lifecycle.expire_if_due(idea, events=events)  # a closed idea never shows as open
    # A routed idea tells what happened in the register (voting/_routed.html) instead of asking for support.
    routed = await routed_outcome(idea.id) if idea.status == IdeaStatus.routed.value else None
    return {"panel": await support_panel(settings, request.user, idea), "routed": routed}


async def idea_cards(request: Request, ideas: list[Idea]) -> dict[str, Any]:
    """Progress for each card; the list already reads a closed window as expired (`lifecycle.as_read`)."""
    settings: Settings = request.app.state.settings
    now = utcnow()
    supported = await supported_idea_ids(request.user, [i.id for i in ideas])
    return {"support_panels": {i.id: card_panel(settings, i, now, i.id in supported) for i in ideas}}


async def idea_api_detail(
    settings: Settings, viewer: Account | None, idea: Idea, *, events: DomainEvents
) -> dict[str, Any]:
    await lifecycle.expire_if_due(idea, events=events)
    fields: dict[str, Any] = {
        "threshold": threshold_for(idea, settings.city),
        "threshold_counts": settings.city.support_counts,
    }
    if viewer is not None:
        fields["supported"] = idea.id in await supported_idea_ids(viewer, [idea.id])
    if idea.status == IdeaStatus.routed.value and (outcome := await routed_outcome(idea.id)):
        fields["register_entry"] = outcome.entry["slug"]
        fields["register_entry_status"] = outcome.entry["status"]
        fields["register_entry_response_due_at"] = outcome.entry["response_due_at"]
        fields["register_entry_response_overdue"] = outcome.entry["response_overdue"]
    return fields


async def entry_sources(request: Request, entry: dict[str, Any], entry_id: int) -> dict[str, Any]:
    """The register entry page's "came from these ideas" list, and whether the viewer may link more."""
    return {
        "source_ideas": await source_ideas_of(entry_id, entry["idea_id"]),
        "can_link_ideas": can_edit_register(request.user),
    }


async def my_supports_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "voting/_my_supports.html", {"my_supports": await my_supports(account)}


async def close_to_routing(settings: Settings, limit: int = 3) -> tuple[str, dict[str, Any]]:
    """The home page's published ideas with the most supports still below their threshold, with their progress.

    An idea at or over its threshold is not "almost there" (the periodic task routes it after the city lowered it),
    nor one whose window has closed (the periodic task expires it; the home page does not write).
    """
    now = utcnow()
    ideas = (
        await Idea.objects()
        # Written so that no index serves the window's test: SQLite then walks (status, support_count)
        # from the top and stops at three, instead of sorting every open idea (42,000 at city scale).
        .where(below_threshold_where(settings.city) & WhereRaw("coalesce(support_closes_at, NULL) > {}", now))
        .order_by(counted_column(settings.city), ascending=False)
        .limit(limit)
    )
    return "voting/_close_to_routing.html", {
        "ideas": [(i, panel) for i in ideas if (panel := card_panel(settings, i, now)).counted]
    }
