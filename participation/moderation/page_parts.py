"""What moderation shows on other domains' pages: the author's notices, the report link and the
staff tools on idea pages, and the notices on the account page. See `participation.composition`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ideas import permissions as idea_permissions
from ideas.tables import Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.moderation import decisions, hiding, log, reports
from participation.moderation.permissions import can_moderate, can_report


async def idea_detail(request: Request, idea: Idea) -> dict[str, Any]:
    """The author's notices and rejection category, the report link, the moderators' tools."""
    user = request.user
    is_author = idea_permissions.is_author(user, idea)
    moderator = can_moderate(user)
    panel: dict[str, Any] = {
        "is_author": is_author,
        "can_moderate": moderator,
        # The author and moderators see a hidden idea, with a warning that others see only the reason.
        "hidden_warning": idea.status == IdeaStatus.hidden.value and (is_author or moderator),
        "notices": [],
        "rejection_category": None,
    }
    if is_author or moderator:
        panel["notices"] = await decisions.notices_for_idea(idea.id)
        if idea.status == IdeaStatus.rejected.value:
            panel["rejection_category"] = await log.rejection_category(idea.id)
    return {
        "moderation_panel": panel,
        # A function of the idea or comment: the templates ask it per item.
        "can_report": lambda content: can_report(user, content),
        "moderator_tools": moderator,
        "report_reasons": reports.REPORT_REASONS,
        "hide_categories": hiding.HIDE_CATEGORIES,
        "reject_reasons": decisions.REJECT_REASONS,
    }


async def notices_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "moderation/_account_notices.html", {"notices": await decisions.notices_for_account(account)}
