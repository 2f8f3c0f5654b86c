"""How moderation plugs into the idea pages, the account page and new content; the core plugin calls `install()`."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ideas import controllers as ideas_controllers
from ideas import permissions as idea_permissions
from ideas import services as ideas_services
from ideas.tables import Idea
from participation.accounts.controllers import account_sections
from participation.accounts.permissions import participation_refusal
from participation.accounts.tables import Account
from participation.moderation import services
from participation.moderation.permissions import is_moderator


async def _detail_context(request: Request, idea: Idea) -> dict[str, Any]:
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


async def _notices_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "moderation/_account_notices.html", {"notices": await services.notices_for_account(account)}


def install() -> None:
    if _detail_context not in ideas_controllers.detail_context_providers:
        ideas_controllers.detail_context_providers.append(_detail_context)
    if _notices_section not in account_sections:
        account_sections.append(_notices_section)
    if services.flag_spam not in ideas_services.content_listeners:
        ideas_services.content_listeners.append(services.flag_spam)
