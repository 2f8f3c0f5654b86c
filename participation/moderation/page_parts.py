"""What moderation shows on other domains' pages: the author's notices, the report link and the
staff tools on idea pages, and the notices on the account page. See `participation.composition`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ideas import permissions as idea_permissions
from ideas.tables import Idea
from participation.accounts.permissions import participation_refusal
from participation.accounts.tables import Account
from participation.moderation import services
from participation.moderation.permissions import is_moderator


async def idea_detail(request: Request, idea: Idea) -> dict[str, Any]:
    """The author's notices and rejection category, the report link, the moderators' tools."""
    user = request.user
    is_author = idea_permissions.is_author(user, idea)
    moderator = is_moderator(user)
    panel: dict[str, Any] = {
        "is_author": is_author,
        "is_moderator": moderator,
        "notices": [],
        "rejection_category": None,
    }
    if is_author or moderator:
        panel["notices"] = await services.notices_for_idea(idea.id)
        if idea.status == "rejected":
            panel["rejection_category"] = await services.rejection_category(idea.id)
    return {
        "moderation_panel": panel,
        "can_report": participation_refusal(user) is None,
        "moderator_tools": moderator,
        "report_reasons": services.REPORT_REASONS,
        "hide_categories": services.HIDE_CATEGORIES,
        "reject_reasons": services.REJECT_REASONS,
    }


async def notices_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "moderation/_account_notices.html", {"notices": await services.notices_for_account(account)}
