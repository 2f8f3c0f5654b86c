"""Reports: anyone taking part reports an idea or comment; at the city's threshold it is hidden pending review.

Moderators uphold the open reports on an item (it stays hidden, with a public reason
category) or dismiss them (a hidden item is shown again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ideas.services import get_visible_comment, get_visible_idea
from ideas.tables import Comment, CommentStatus, HiddenReason, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.database import is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.moderation.hiding import (
    check_category,
    check_target_type,
    close_open_reports,
    hide_target,
    is_hidden,
    restore_target,
)
from participation.moderation.log import record
from participation.moderation.permissions import author_id, authorize, can_moderate, is_reportable, report_refusal
from participation.moderation.tables import Report, ReportStatus
from participation.settings import Settings
from participation.validation import DomainError, Errors, check_length, clean_text

REPORT_NOTE_MAX = 1_000
# The reasons a reporter chooses from: the public hiding categories, without the platform's own "pending review".
REPORT_REASONS = {
    HiddenReason.spam.value: N_("Spam"),
    HiddenReason.offensive.value: N_("Offensive"),
    HiddenReason.personal_data.value: N_("Personal data"),
    HiddenReason.off_topic.value: N_("Off-topic"),
    HiddenReason.other.value: N_("Other"),
}


@dataclass
class ReportOutcome:
    report: Report
    hidden: bool  # this report hid the item (the threshold was reached)


async def _report_target(reporter: Account | None, target_type: str, target_id: int) -> tuple[int, bool]:
    """(author id, reportable) of an idea or comment; 404 for what the reporter may not see, as for a missing one."""
    if target_type == "idea":
        idea = await get_visible_idea(reporter, target_id)
        return author_id(idea), is_reportable(idea)  # type: ignore[return-value]
    comment = await get_visible_comment(reporter, target_id)
    if comment.status == CommentStatus.deleted.value:
        raise DomainError(N_("This comment does not exist."), 404)
    return author_id(comment), is_reportable(comment)  # type: ignore[return-value]


async def create_report(
    settings: Settings,
    reporter: Account | None,
    target_type: str,
    target_id: int,
    reason: str,
    note: str = "",
    *,
    events: DomainEvents,
) -> ReportOutcome:
    """Report an idea or comment. One open report per account per item; at the threshold it is hidden pending review."""
    check_target_type(target_type)
    author, reportable = await _report_target(reporter, target_type, target_id)
    if refusal := report_refusal(reporter, author):
        raise DomainError(*refusal)
    assert reporter is not None
    errors = Errors()
    if reason not in REPORT_REASONS:
        errors.add("reason", N_("Choose a reason."))
    note = clean_text(note)
    check_length(errors, "note", note, 0, REPORT_NOTE_MAX)
    errors.raise_if_any()
    if not reportable:
        raise DomainError(N_("A moderator is already looking at this."), 409)
    hidden = False
    try:
        async with write_transaction():
            report = Report(
                reporter=reporter.id,
                target_type=target_type,
                target_id=target_id,
                reason=reason,
                note=note,
                status=ReportStatus.open.value,
                created_at=utcnow(),
            )
            await report.save()
            open_reports = await Report.count().where(
                (Report.target_type == target_type)
                & (Report.target_id == target_id)
                & (Report.status == ReportStatus.open.value)
            )
            if open_reports >= settings.city.report_threshold and not await is_hidden(target_type, target_id):
                hidden = await hide_target(target_type, target_id, HiddenReason.pending_review.value, events=events)
                if hidden:
                    await record(
                        None,
                        "auto_hide",
                        target_type,
                        target_id,
                        category=HiddenReason.pending_review.value,
                        reason=f"{open_reports} open reports",
                    )
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError(N_("You have already reported this; a moderator will look at it."), 409) from exc
        raise
    return ReportOutcome(report=report, hidden=hidden)


@dataclass
class ReportGroup:
    target_type: str
    target_id: int
    reports: list[dict]
    hidden: bool
    title: str  # the idea's title, or the start of the comment
    idea_id: int | None
    first_at: datetime | None = None

    @property
    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.reports:
            counts[r["reason"]] = counts.get(r["reason"], 0) + 1
        return counts


async def open_report_groups(limit: int = 500) -> list[ReportGroup]:
    """Open reports grouped by item, the most reported first (bounded: the oldest `limit` open reports)."""
    rows = (
        await Report.select(
            Report.id, Report.target_type, Report.target_id, Report.reason, Report.note, Report.created_at
        )
        .where(Report.status == ReportStatus.open.value)
        .order_by(Report.created_at)
        .limit(limit)
    )
    groups: dict[tuple[str, int], ReportGroup] = {}
    for row in rows:
        key = (row["target_type"], row["target_id"])
        if key not in groups:
            groups[key] = ReportGroup(
                target_type=key[0],
                target_id=key[1],
                reports=[],
                hidden=False,
                title="",
                idea_id=None,
                first_at=row["created_at"],
            )
        groups[key].reports.append(row)
    idea_ids = [k[1] for k in groups if k[0] == "idea"]
    comment_ids = [k[1] for k in groups if k[0] == "comment"]
    if idea_ids:
        for row in await Idea.select(Idea.id, Idea.title, Idea.status).where(Idea.id.is_in(idea_ids)):
            group = groups[("idea", row["id"])]
            group.title, group.hidden, group.idea_id = row["title"], row["status"] == IdeaStatus.hidden.value, row["id"]
    if comment_ids:
        for row in await Comment.select(Comment.id, Comment.body, Comment.status, Comment.idea).where(
            Comment.id.is_in(comment_ids)
        ):
            group = groups[("comment", row["id"])]
            body = row["body"]
            group.title = body if len(body) <= 140 else body[:139] + "…"
            group.hidden, group.idea_id = row["status"] == CommentStatus.hidden.value, row["idea"]
    return sorted(groups.values(), key=lambda g: (-len(g.reports), g.first_at or utcnow()))


async def uphold(
    actor: Account | None, target_type: str, target_id: int, category: str, *, events: DomainEvents
) -> None:
    """Uphold the open reports: the item is (or stays) hidden, with the public reason category."""
    authorize(can_moderate(actor))
    check_target_type(target_type)
    check_category(category)
    async with write_transaction():
        if not await close_open_reports(actor, target_type, target_id, ReportStatus.upheld.value):
            raise DomainError(N_("There are no open reports on this item."), 409)
        await hide_target(target_type, target_id, category, events=events)
        await record(actor, "uphold", target_type, target_id, category=category)


async def dismiss(actor: Account | None, target_type: str, target_id: int, *, events: DomainEvents) -> None:
    """Dismiss the open reports: a hidden item is shown again."""
    authorize(can_moderate(actor))
    check_target_type(target_type)
    async with write_transaction():
        if not await close_open_reports(actor, target_type, target_id, ReportStatus.dismissed.value):
            raise DomainError(N_("There are no open reports on this item."), 409)
        if await is_hidden(target_type, target_id):
            await restore_target(target_type, target_id, events=events)
        await record(actor, "dismiss", target_type, target_id)
