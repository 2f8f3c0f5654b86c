"""Hiding and restoring ideas and comments, directly or as the outcome of reports.

The status change itself is the ideas service's; this module adds who may, the public
reason category, the reports it settles and the decision row, in one write transaction.
"""

from __future__ import annotations

from ideas import services as ideas
from ideas.tables import Comment, CommentStatus, HiddenReason, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.moderation.log import REASON_MAX, record
from participation.moderation.permissions import authorize, can_moderate
from participation.moderation.tables import Report, ReportStatus, TargetType
from participation.validation import DomainError, FormErrors, clean_text

# What a moderator may give as the public reason when hiding (pending review is the platform's own).
HIDE_CATEGORIES = {k: v for k, v in ideas.HIDDEN_REASON_LABELS.items() if k != HiddenReason.pending_review.value}


def check_target_type(target_type: str) -> None:
    if target_type not in (TargetType.idea.value, TargetType.comment.value):
        raise DomainError(N_("Only ideas and comments can be reported or hidden."), 404)


def check_category(category: str) -> None:
    if category not in HIDE_CATEGORIES:
        raise FormErrors({"category": N_("Choose a reason category.")})


async def close_open_reports(actor: Account | None, target_type: str, target_id: int, status: str) -> int:
    """Settle the open reports on an item (upheld or dismissed); returns how many there were."""
    closed = (
        await Report.update(
            {
                Report.status: status,
                Report.decided_by: actor.id if actor else None,
                Report.decided_at: utcnow(),
            }
        )
        .where(
            (Report.target_type == target_type)
            & (Report.target_id == target_id)
            & (Report.status == ReportStatus.open.value)
        )
        .returning(Report.id)
    )
    return len(closed)


async def hide_target(target_type: str, target_id: int, category: str, *, events: DomainEvents) -> bool:
    """Hide by a moderator's decision (the caller checked it) or by the report threshold."""
    if target_type == "idea":
        return await ideas.hide_idea(target_id, category, events=events)
    return await ideas.hide_comment(target_id, category)


async def restore_target(target_type: str, target_id: int, *, events: DomainEvents) -> None:
    if target_type == "idea":
        await ideas.restore_idea(target_id, events=events)
    else:
        await ideas.restore_comment(target_id)


async def is_hidden(target_type: str, target_id: int) -> bool:
    table = Idea if target_type == "idea" else Comment
    row = await table.select(table.status).where(table.id == target_id).first()
    if row is None:
        raise DomainError(N_("This item does not exist."), 404)
    hidden = IdeaStatus.hidden if target_type == "idea" else CommentStatus.hidden
    return row["status"] == hidden.value


async def hide(
    actor: Account | None, target_type: str, target_id: int, category: str, reason: str = "", *, events: DomainEvents
) -> None:
    """Hide an idea or comment directly, with a public reason category; open reports on it are upheld."""
    authorize(can_moderate(actor))
    check_target_type(target_type)
    check_category(category)
    async with write_transaction():
        await hide_target(target_type, target_id, category, events=events)
        await close_open_reports(actor, target_type, target_id, ReportStatus.upheld.value)
        await record(
            actor, "hide", target_type, target_id, category=category, reason=clean_text(reason)[:REASON_MAX] or None
        )


async def restore(
    actor: Account | None, target_type: str, target_id: int, reason: str = "", *, events: DomainEvents
) -> None:
    """Show hidden content again; open reports on it are dismissed."""
    authorize(can_moderate(actor))
    check_target_type(target_type)
    async with write_transaction():
        await restore_target(target_type, target_id, events=events)
        await close_open_reports(actor, target_type, target_id, ReportStatus.dismissed.value)
        await record(actor, "restore", target_type, target_id, reason=clean_text(reason)[:REASON_MAX] or None)
