"""Moderation use cases: the queue, decisions on ideas, reports, hiding, suspensions, roles, the log.

State changes of ideas and comments go through the ideas and voting services
(publish, request_changes, reject, hide/restore, merge_ideas, route_manually);
this module adds who may, the reasons, and the decision row. Every moderation
action runs in one write transaction with exactly one `ModerationDecision`, so
the change and its record commit together or not at all. Nothing here updates
or deletes a decision (and the database refuses it).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from piccolo.engine.sqlite import SQLiteEngine

from ideas import permissions as idea_permissions
from ideas import services as ideas
from ideas.search import similar_ideas
from ideas.tables import Comment, CommentStatus, HiddenReason, Idea, IdeaKind, IdeaStatus, Scope
from participation.accounts import services as accounts
from participation.accounts.tables import Account, Role
from participation.database import current_engine, is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.events import DomainEvents
from participation.moderation import permissions
from participation.moderation.tables import (
    AuthorNotice,
    ModerationDecision,
    Report,
    ReportReason,
    ReportStatus,
    SpamSignal,
    StaffNote,
    TargetType,
    Triage,
)
from participation.settings import Settings
from participation.validation import DomainError, Errors, FormErrors, Message, check_length, clean_text
from voting import services as voting

QUEUE_PER_PAGE = 25
LOG_PER_PAGE = 50
NOTE_MAX = 2_000
REPORT_NOTE_MAX = 1_000
REASON_MAX = 2_000
SPAM_LINK_COUNT = 3  # this many links in one submission or comment is a signal
SPAM_REPEAT_WINDOW = timedelta(minutes=30)  # the same text again from one account within this time is a signal
LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)

REJECT_REASONS = {
    "off_topic": N_("Off-topic"),
    "not_municipal": N_("Not a municipal matter"),
    "offensive": N_("Offensive"),
    "personal_data": N_("Personal data"),
    "spam": N_("Spam"),
    "other": N_("Other"),
}
REPORT_REASONS = {
    ReportReason.spam.value: N_("Spam"),
    ReportReason.offensive.value: N_("Offensive"),
    ReportReason.personal_data.value: N_("Personal data"),
    ReportReason.off_topic.value: N_("Off-topic"),
    ReportReason.other.value: N_("Other"),
}
# What a moderator may give as the public reason when hiding (pending review is the platform's own).
HIDE_CATEGORIES = {k: v for k, v in ideas.HIDDEN_REASON_LABELS.items() if k != HiddenReason.pending_review.value}
SPAM_SIGNAL_LABELS = {"links": N_("many links"), "repeated": N_("repeated text")}

ACTION_LABELS = {
    "publish": N_("Published"),
    "request_changes": N_("Changes requested"),
    "reject": N_("Rejected"),
    "duplicate": N_("Marked as duplicate"),
    "route": N_("Routed to the register"),
    "assign": N_("Assigned"),
    "note": N_("Internal note added"),
    "reclassify": N_("Classification changed"),
    "hide": N_("Hidden"),
    "restore": N_("Restored"),
    "auto_hide": N_("Hidden after reports"),
    "uphold": N_("Reports upheld"),
    "dismiss": N_("Reports dismissed"),
    "suspend": N_("Account suspended"),
    "lift_suspension": N_("Suspension lifted"),
    "set_role": N_("Role changed"),
    "set_threshold": N_("Threshold changed"),
}
API_ACTIONS = ("publish", "request_changes", "reject", "duplicate", "route", "hide", "restore")


def utcnow() -> datetime:
    return datetime.now(UTC)


def _id(value: object) -> int | None:
    return getattr(value, "id", value)  # type: ignore[return-value]


def _require_moderator(actor: Account | None) -> Account:
    if not permissions.is_moderator(actor):
        raise DomainError(N_("Only moderators can do this."), 403)
    assert actor is not None
    return actor


# -- the decision log ---------------------------------------------------------


async def record(
    actor: Account | None,
    action: str,
    target_type: str,
    target_id: int,
    category: str | None = None,
    reason: str | None = None,
) -> ModerationDecision:
    """Append one decision (inside the caller's transaction). There is no update or delete."""
    assert action in ACTION_LABELS, action
    decision = ModerationDecision(
        actor=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        category=category,
        reason=reason,
        created_at=utcnow(),
    )
    await decision.save()
    return decision


@dataclass
class LogFilters:
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    actor: int | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params: dict[str, str]) -> LogFilters:
        def number(name: str) -> int | None:
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        action = params.get("action") or ""
        target_type = params.get("target_type") or ""
        return cls(
            action=action if action in ACTION_LABELS else "",
            target_type=target_type if target_type in {t.value for t in TargetType} else "",
            target_id=number("target_id"),
            actor=number("actor"),
            page=max(1, number("page") or 1),
        )


@dataclass
class LogPage:
    rows: list[dict]
    total: int
    page: int
    pages: int


async def decision_log(filters: LogFilters, per_page: int = LOG_PER_PAGE) -> LogPage:
    where = ModerationDecision.id > 0
    if filters.action:
        where &= ModerationDecision.action == filters.action
    if filters.target_type:
        where &= ModerationDecision.target_type == filters.target_type
    if filters.target_id is not None:
        where &= ModerationDecision.target_id == filters.target_id
    if filters.actor is not None:
        where &= ModerationDecision.actor == filters.actor
    total = await ModerationDecision.count().where(where)
    rows = (
        await ModerationDecision.select(
            *ModerationDecision.all_columns(),
            ModerationDecision.actor.display_name.as_alias("actor_name"),
        )
        .where(where)
        .order_by(ModerationDecision.created_at, ascending=False)
        .order_by(ModerationDecision.id, ascending=False)
        .limit(per_page)
        .offset((filters.page - 1) * per_page)
    )
    return LogPage(rows=rows, total=total, page=filters.page, pages=max(1, math.ceil(total / per_page)))


# -- the queue ----------------------------------------------------------------


@dataclass
class QueueFilters:
    kind: str = ""
    theme: str = ""
    neighbourhood: str = ""
    assigned: str = ""  # "me", "none" or "" (all)
    page: int = 1

    @classmethod
    def from_params(cls, settings: Settings, params: dict[str, str]) -> QueueFilters:
        kind = params.get("kind") or ""
        theme = params.get("theme") or ""
        neighbourhood = params.get("neighbourhood") or ""
        assigned = params.get("assigned") or ""
        page = str(params.get("page") or "1")
        return cls(
            kind=kind if kind in {k.value for k in IdeaKind} else "",
            theme=theme if settings.city.theme(theme) else "",
            neighbourhood=neighbourhood if settings.city.neighbourhood(neighbourhood) else "",
            assigned=assigned if assigned in ("me", "none") else "",
            page=max(1, int(page)) if page.isdigit() else 1,
        )


@dataclass
class QueueItem:
    idea: Idea
    author_name: str
    assigned_to: int | None
    assigned_name: str | None
    signals: list[str]
    notes: int


@dataclass
class Queue:
    items: list[QueueItem]
    waiting: int  # all submitted ideas, whatever the filters
    oldest_at: datetime | None
    total: int  # submitted ideas matching the filters
    page: int
    pages: int
    flagged_comments: list[dict] = field(default_factory=list)

    @property
    def oldest_age(self) -> timedelta | None:
        return utcnow() - self.oldest_at if self.oldest_at else None


def age_text(age: timedelta | None) -> Message:
    if age is None:
        return Message(N_("none waiting"))
    if age < timedelta(hours=1):
        return Message(N_("%(minutes)s minutes"), minutes=max(0, int(age.total_seconds() // 60)))
    if age < timedelta(days=2):
        return Message(N_("%(hours)s hours"), hours=int(age.total_seconds() // 3600))
    return Message(N_("%(days)s days"), days=age.days)


async def queue(settings: Settings, viewer: Account, filters: QueueFilters, per_page: int = QUEUE_PER_PAGE) -> Queue:
    """Submitted ideas, oldest first, with their assignment, spam signals and note count."""
    submitted = Idea.status == IdeaStatus.submitted.value
    where = submitted
    if filters.kind:
        where &= Idea.kind == filters.kind
    if filters.theme:
        where &= Idea.theme == filters.theme
    if filters.neighbourhood:
        where &= Idea.neighbourhood == filters.neighbourhood
    if filters.assigned == "me":
        where &= Idea.id.is_in(Triage.select(Triage.idea).where(Triage.assigned_to == viewer.id))
    elif filters.assigned == "none":
        where &= Idea.id.not_in(Triage.select(Triage.idea).where(Triage.assigned_to.is_not_null()))
    waiting = await Idea.count().where(submitted)
    oldest = await Idea.select(Idea.created_at).where(submitted).order_by(Idea.created_at).first()
    total = await Idea.count().where(where)
    ideas_page = (
        await Idea.objects()
        .where(where)
        .order_by(Idea.created_at)
        .order_by(Idea.id)
        .limit(per_page)
        .offset((filters.page - 1) * per_page)
    )
    ids = [i.id for i in ideas_page]
    authors, triage, signals, notes = {}, {}, {}, {}
    if ids:
        author_ids = list({_id(i.author) for i in ideas_page})
        authors = {
            a["id"]: a
            for a in await Account.select(
                Account.id, Account.display_name, Account.kind, Account.organisation_name
            ).where(Account.id.is_in(author_ids))
        }
        triage = {
            r["idea"]: r
            for r in await Triage.select(
                Triage.idea, Triage.assigned_to, Triage.assigned_to.display_name.as_alias("name")
            ).where(Triage.idea.is_in(ids))
        }
        for row in await SpamSignal.select(SpamSignal.target_id, SpamSignal.signals).where(
            (SpamSignal.target_type == "idea") & SpamSignal.target_id.is_in(ids)
        ):
            signals.setdefault(row["target_id"], set()).update(row["signals"].split(","))
        for row in await StaffNote.select(StaffNote.idea).where(StaffNote.idea.is_in(ids)):
            notes[row["idea"]] = notes.get(row["idea"], 0) + 1
    items = [
        QueueItem(
            idea=i,
            author_name=ideas.author_name(i, authors.get(_id(i.author))),
            assigned_to=triage.get(i.id, {}).get("assigned_to"),
            assigned_name=triage.get(i.id, {}).get("name"),
            signals=sorted(signals.get(i.id, set())),
            notes=notes.get(i.id, 0),
        )
        for i in ideas_page
    ]
    return Queue(
        items=items,
        waiting=waiting,
        oldest_at=oldest["created_at"] if oldest else None,
        total=total,
        page=filters.page,
        pages=max(1, math.ceil(total / per_page)),
        flagged_comments=await flagged_comments(),
    )


async def flagged_comments(limit: int = 20) -> list[dict]:
    """Visible comments with spam signals, newest first (bounded)."""
    rows = (
        await SpamSignal.select(SpamSignal.target_id, SpamSignal.signals, SpamSignal.created_at)
        .where(SpamSignal.target_type == "comment")
        .order_by(SpamSignal.created_at, ascending=False)
        .limit(limit * 3)
    )
    if not rows:
        return []
    comments = {
        c["id"]: c
        for c in await Comment.select(
            Comment.id,
            Comment.idea,
            Comment.body,
            Comment.status,
            Comment.author.display_name.as_alias("author_name"),
        ).where(Comment.id.is_in([r["target_id"] for r in rows]) & (Comment.status == CommentStatus.visible.value))
    }
    seen, out = set(), []
    for row in rows:
        comment = comments.get(row["target_id"])
        if comment and comment["id"] not in seen:
            seen.add(comment["id"])
            out.append({**comment, "signals": row["signals"].split(","), "flagged_at": row["created_at"]})
    return out[:limit]


async def moderators() -> list[dict]:
    return (
        await Account.select(Account.id, Account.display_name)
        .where(Account.role.is_in([Role.moderator.value, Role.admin.value]) & Account.deleted_at.is_null())
        .order_by(Account.display_name)
    )


@dataclass
class IdeaTriage:
    idea: Idea
    author: Account | None
    author_name: str
    assigned_to: int | None
    notes: list[dict]
    decisions: list[dict]
    signals: list[str]
    open_reports: list[dict]
    notices: list[dict]


async def idea_triage(viewer: Account | None, idea_id: int) -> IdeaTriage:
    """Everything a moderator needs to decide on one idea."""
    _require_moderator(viewer)
    idea = await ideas.get_idea(idea_id)
    author = await ideas.load_author(idea)
    triage = await Triage.select(Triage.assigned_to).where(Triage.idea == idea_id).first()
    notes = (
        await StaffNote.select(*StaffNote.all_columns(), StaffNote.author.display_name.as_alias("author_name"))
        .where(StaffNote.idea == idea_id)
        .order_by(StaffNote.created_at, ascending=False)
        .limit(100)
    )
    decisions = (
        await ModerationDecision.select(
            *ModerationDecision.all_columns(), ModerationDecision.actor.display_name.as_alias("actor_name")
        )
        .where((ModerationDecision.target_type == "idea") & (ModerationDecision.target_id == idea_id))
        .order_by(ModerationDecision.id, ascending=False)
        .limit(100)
    )
    signal_rows = await SpamSignal.select(SpamSignal.signals).where(
        (SpamSignal.target_type == "idea") & (SpamSignal.target_id == idea_id)
    )
    reports = await Report.select(Report.reason, Report.note, Report.created_at).where(
        (Report.target_type == "idea") & (Report.target_id == idea_id) & (Report.status == ReportStatus.open.value)
    )
    return IdeaTriage(
        idea=idea,
        author=author,
        author_name=ideas.author_name(idea, author),
        assigned_to=triage["assigned_to"] if triage else None,
        notes=notes,
        decisions=decisions,
        signals=sorted({s for r in signal_rows for s in r["signals"].split(",")}),
        open_reports=reports,
        notices=await notices_for_idea(idea_id),
    )


async def duplicate_candidates(query: str, exclude_id: int, limit: int = 10) -> list[Idea]:
    """Public ideas to mark this one a duplicate of: by number (#12 or 12) or by title words."""
    query = query.strip()[:200]
    if not query:
        return []
    number = query.lstrip("#")
    if number.isdigit():
        found = (
            await Idea.objects().where((Idea.id == int(number)) & Idea.status.is_in(list(voting.MERGE_TARGETS))).first()
        )
        return [found] if found and found.id != exclude_id else []
    return [i for i in await ideas_search_similar(query, limit + 1) if i.id != exclude_id][:limit]


async def ideas_search_similar(query: str, limit: int) -> list[Idea]:
    return await similar_ideas(query, limit=limit)


# -- decisions on ideas ---------------------------------------------------------


async def publish(settings: Settings, actor: Account | None, idea_id: int, *, events: DomainEvents) -> Idea:
    _require_moderator(actor)
    async with write_transaction():
        idea = await ideas.publish(settings, idea_id, events=events)
        await record(actor, "publish", "idea", idea_id)
    return idea


async def request_changes(settings: Settings, actor: Account | None, idea_id: int, message: str) -> Idea:
    _require_moderator(actor)
    async with write_transaction():
        idea = await ideas.request_changes(idea_id, message)
        await record(actor, "request_changes", "idea", idea_id, reason=idea.moderator_message)
    return idea


async def reject(settings: Settings, actor: Account | None, idea_id: int, category: str, text: str) -> Idea:
    """Reject with a reason from the list and a text the author sees; both are required."""
    _require_moderator(actor)
    errors = Errors()
    if category not in REJECT_REASONS:
        errors.add("category", N_("Choose a reason."))
    text = clean_text(text)
    check_length(errors, "message", text, 1, REASON_MAX)
    errors.raise_if_any()
    async with write_transaction():
        idea = await ideas.reject(idea_id, text)
        await record(actor, "reject", "idea", idea_id, category=category, reason=text)
    return idea


async def mark_duplicate(
    settings: Settings, actor: Account | None, idea_id: int, original_id: int | None
) -> voting.MergeOutcome:
    """Merge this idea into the original (the voting service moves the supports once)."""
    _require_moderator(actor)
    if not original_id:
        raise FormErrors({"duplicate_of": N_("Choose the original idea.")})
    async with write_transaction():
        original = await Idea.objects().get(Idea.id == original_id)
        if original is None:
            raise FormErrors({"duplicate_of": N_("This idea does not exist.")})
        outcome = await voting.merge_ideas(settings, idea_id, original_id)
        await record(actor, "duplicate", "idea", idea_id, reason=f"#{original_id}")
    return outcome


async def route(settings: Settings, actor: Account | None, idea_id: int, reason: str) -> str:
    """Route a published idea by hand; returns the register entry's slug."""
    _require_moderator(actor)
    reason = clean_text(reason)
    if not reason:
        raise FormErrors({"reason": N_("Give a reason for routing this idea.")})
    async with write_transaction():
        entry = await voting.route_manually(settings, actor, idea_id, reason)  # type: ignore[arg-type]
        await record(actor, "route", "idea", idea_id, reason=reason[:REASON_MAX])
    return entry.slug


async def set_threshold(settings: Settings, actor: Account | None, idea_id: int, value: object) -> str | None:
    """An administrator's per-idea threshold (empty: the city's); returns the entry's slug if it routed."""
    text = clean_text(value)
    if text and not text.isdigit():
        raise FormErrors({"threshold": N_("Enter a whole number, or leave empty for the city's threshold.")})
    threshold = int(text) if text else None
    async with write_transaction():
        slug = await voting.set_threshold(settings, actor, idea_id, threshold)
        await record(
            actor,
            "set_threshold",
            "idea",
            idea_id,
            reason=str(threshold) if threshold else f"city default ({settings.city.support_threshold})",
        )
    return slug


async def assign(actor: Account | None, idea_id: int, moderator_id: int | None) -> None:
    """Assign the idea to a moderator (None: unassign)."""
    _require_moderator(actor)
    await ideas.get_idea(idea_id)
    name = None
    if moderator_id is not None:
        assignee = await Account.objects().get(Account.id == moderator_id)
        if assignee is None or not permissions.is_moderator(assignee):
            raise FormErrors({"moderator": N_("Choose a moderator.")})
        name = assignee.display_name
    async with write_transaction():
        now = utcnow()
        await Triage.insert(Triage(idea=idea_id, assigned_to=moderator_id, updated_at=now)).on_conflict(
            target=Triage.idea, action="DO UPDATE", values=[Triage.assigned_to, Triage.updated_at]
        )
        await record(actor, "assign", "idea", idea_id, reason=name)


async def add_note(actor: Account | None, idea_id: int, body: str) -> StaffNote:
    """An internal staff note. The decision row does not copy the text."""
    _require_moderator(actor)
    assert actor is not None
    body = clean_text(body)
    errors = Errors()
    check_length(errors, "note", body, 1, NOTE_MAX)
    errors.raise_if_any()
    await ideas.get_idea(idea_id)
    async with write_transaction():
        note = StaffNote(idea=idea_id, author=actor.id, body=body, created_at=utcnow())
        await note.save()
        await record(actor, "note", "idea", idea_id)
    return note


async def reclassify(
    settings: Settings,
    actor: Account | None,
    idea_id: int,
    theme: str,
    neighbourhood: str,
    scope: str,
    message: str = "",
) -> list[tuple[str, str, str]]:
    """Correct theme, neighbourhood and scope; the author is told (a notice on the idea and account page)."""
    _require_moderator(actor)
    message = clean_text(message)
    errors = Errors()
    check_length(errors, "message", message, 0, REASON_MAX)
    errors.raise_if_any()
    async with write_transaction():
        changes = await ideas.reclassify(settings, idea_id, theme, neighbourhood, scope)
        if not changes:
            raise FormErrors({"theme": N_("Change the theme, the neighbourhood or the scope.")})
        idea = await ideas.get_idea(idea_id)
        await AuthorNotice.insert(
            AuthorNotice(
                idea=idea_id,
                account=_id(idea.author),
                kind="reclassified",
                changes=json.dumps([{"field": f, "old": old, "new": new} for f, old, new in changes]),
                message=message,
                created_at=utcnow(),
            )
        )
        await record(
            actor, "reclassify", "idea", idea_id, reason="; ".join(f"{f}: {old} -> {new}" for f, old, new in changes)
        )
    return changes


async def notices_for_idea(idea_id: int) -> list[dict]:
    rows = (
        await AuthorNotice.select()
        .where(AuthorNotice.idea == idea_id)
        .order_by(AuthorNotice.created_at, ascending=False)
        .limit(20)
    )
    return [{**r, "changes": json.loads(r["changes"] or "[]")} for r in rows]


async def notices_for_account(account: Account, limit: int = 20) -> list[dict]:
    rows = (
        await AuthorNotice.select(*AuthorNotice.all_columns(), AuthorNotice.idea.title.as_alias("idea_title"))
        .where(AuthorNotice.account == account.id)
        .order_by(AuthorNotice.created_at, ascending=False)
        .limit(limit)
    )
    return [{**r, "changes": json.loads(r["changes"] or "[]")} for r in rows]


async def rejection_category(idea_id: int) -> str | None:
    """The reason category of the latest rejection (the author sees it with the text)."""
    row = (
        await ModerationDecision.select(ModerationDecision.category)
        .where(
            (ModerationDecision.target_type == "idea")
            & (ModerationDecision.target_id == idea_id)
            & (ModerationDecision.action == "reject")
        )
        .order_by(ModerationDecision.id, ascending=False)
        .first()
    )
    return row["category"] if row else None


# -- hiding and restoring ---------------------------------------------------------


def _check_target_type(target_type: str) -> None:
    if target_type not in (TargetType.idea.value, TargetType.comment.value):
        raise DomainError(N_("Only ideas and comments can be reported or hidden."), 404)


async def _close_open_reports(actor: Account | None, target_type: str, target_id: int, status: str) -> int:
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


async def _hide(target_type: str, target_id: int, category: str) -> bool:
    """Hide by a moderator's decision (checked by the caller) or by the report threshold."""
    if target_type == "idea":
        return await ideas.hide_idea(target_id, category)
    return await ideas.hide_comment(target_id, category)


async def _restore(target_type: str, target_id: int) -> None:
    if target_type == "idea":
        await ideas.restore_idea(target_id)
    else:
        await ideas.restore_comment(target_id)


async def _is_hidden(target_type: str, target_id: int) -> bool:
    table = Idea if target_type == "idea" else Comment
    row = await table.select(table.status).where(table.id == target_id).first()
    if row is None:
        raise DomainError(N_("This item does not exist."), 404)
    return row["status"] == "hidden"


def _check_category(category: str) -> None:
    if category not in HIDE_CATEGORIES:
        raise FormErrors({"category": N_("Choose a reason category.")})


async def hide(actor: Account | None, target_type: str, target_id: int, category: str, reason: str = "") -> None:
    """Hide an idea or comment directly, with a public reason category; open reports on it are upheld."""
    _require_moderator(actor)
    _check_target_type(target_type)
    _check_category(category)
    async with write_transaction():
        await _hide(target_type, target_id, category)
        await _close_open_reports(actor, target_type, target_id, ReportStatus.upheld.value)
        await record(
            actor, "hide", target_type, target_id, category=category, reason=clean_text(reason)[:REASON_MAX] or None
        )


async def restore(actor: Account | None, target_type: str, target_id: int, reason: str = "") -> None:
    """Show hidden content again; open reports on it are dismissed."""
    _require_moderator(actor)
    _check_target_type(target_type)
    async with write_transaction():
        await _restore(target_type, target_id)
        await _close_open_reports(actor, target_type, target_id, ReportStatus.dismissed.value)
        await record(actor, "restore", target_type, target_id, reason=clean_text(reason)[:REASON_MAX] or None)


# -- reports ------------------------------------------------------------------


@dataclass
class ReportOutcome:
    report: Report
    hidden: bool  # this report hid the item (the threshold was reached)


async def _report_target(target_type: str, target_id: int) -> tuple[int, bool]:
    """(author id, reportable) of an idea or comment; 404 if it does not exist or is not public."""
    if target_type == "idea":
        idea = await Idea.objects().get(Idea.id == target_id)
        if idea is None or not (idea_permissions.is_public(idea) or idea.status == IdeaStatus.hidden.value):
            raise DomainError(N_("This idea does not exist."), 404)
        return _id(idea.author), idea.status != IdeaStatus.hidden.value  # type: ignore[return-value]
    comment = await Comment.objects().get(Comment.id == target_id)
    if comment is None or comment.status == CommentStatus.deleted.value:
        raise DomainError(N_("This comment does not exist."), 404)
    return _id(comment.author), comment.status == CommentStatus.visible.value  # type: ignore[return-value]


async def create_report(
    settings: Settings,
    reporter: Account | None,
    target_type: str,
    target_id: int,
    reason: str,
    note: str = "",
) -> ReportOutcome:
    """Report an idea or comment. One open report per account per item; at the threshold it is hidden pending review."""
    _check_target_type(target_type)
    author_id, reportable = await _report_target(target_type, target_id)
    if refusal := permissions.report_refusal(reporter, author_id):
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
            if open_reports >= settings.city.report_threshold and not await _is_hidden(target_type, target_id):
                hidden = await _hide(target_type, target_id, HiddenReason.pending_review.value)
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
            group.title, group.hidden, group.idea_id = row["title"], row["status"] == "hidden", row["id"]
    if comment_ids:
        for row in await Comment.select(Comment.id, Comment.body, Comment.status, Comment.idea).where(
            Comment.id.is_in(comment_ids)
        ):
            group = groups[("comment", row["id"])]
            body = row["body"]
            group.title = body if len(body) <= 140 else body[:139] + "…"
            group.hidden, group.idea_id = row["status"] == "hidden", row["idea"]
    return sorted(groups.values(), key=lambda g: (-len(g.reports), g.first_at or utcnow()))


async def uphold(actor: Account | None, target_type: str, target_id: int, category: str) -> None:
    """Uphold the open reports: the item is (or stays) hidden, with the public reason category."""
    _require_moderator(actor)
    _check_target_type(target_type)
    _check_category(category)
    async with write_transaction():
        if not await _close_open_reports(actor, target_type, target_id, ReportStatus.upheld.value):
            raise DomainError(N_("There are no open reports on this item."), 409)
        await _hide(target_type, target_id, category)
        await record(actor, "uphold", target_type, target_id, category=category)


async def dismiss(actor: Account | None, target_type: str, target_id: int) -> None:
    """Dismiss the open reports: a hidden item is shown again."""
    _require_moderator(actor)
    _check_target_type(target_type)
    async with write_transaction():
        if not await _close_open_reports(actor, target_type, target_id, ReportStatus.dismissed.value):
            raise DomainError(N_("There are no open reports on this item."), 409)
        if await _is_hidden(target_type, target_id):
            await _restore(target_type, target_id)
        await record(actor, "dismiss", target_type, target_id)


# -- accounts -------------------------------------------------------------------


async def find_accounts(query: str, limit: int = 50) -> list[Account]:
    """Staff search by name or email; without a query, the suspended accounts."""
    query = query.strip()[:100]
    base = Account.objects().where(Account.deleted_at.is_null())
    if query:
        if query.isdigit():
            return await base.where(Account.id == int(query)).limit(limit)
        pattern = f"%{query.replace('%', '').replace('_', '')}%"
        # SQLite's LIKE is already case-insensitive (and Piccolo warns on ILIKE there).
        like = "like" if isinstance(current_engine(), SQLiteEngine) else "ilike"
        matches = getattr(Account.email, like)(pattern) | getattr(Account.display_name, like)(pattern)
        return await base.where(matches).order_by(Account.display_name).limit(limit)
    return (
        await base.where(Account.suspended_at.is_not_null())
        .order_by(Account.suspended_at, ascending=False)
        .limit(limit)
    )


async def get_account(account_id: int) -> Account:
    account = await Account.objects().get(Account.id == account_id)
    if account is None or account.deleted_at is not None:
        raise DomainError(N_("This account does not exist."), 404)
    return account


async def suspend(actor: Account | None, account_id: int, reason: str) -> Account:
    """Suspend with a reason the person sees: no posting, commenting, supporting or reporting; sessions end."""
    _require_moderator(actor)
    target = await get_account(account_id)
    if refusal := permissions.suspend_refusal(actor, target):
        raise DomainError(refusal, 403)
    reason = clean_text(reason)
    errors = Errors()
    check_length(errors, "reason", reason, 1, 500)
    errors.raise_if_any()
    async with write_transaction():
        # auth_version + 1 ends every session of the account (participation.accounts.auth).
        await Account.update(
            {
                Account.suspended_at: utcnow(),
                Account.suspension_reason: reason,
                Account.auth_version: Account.auth_version + 1,
            }
        ).where(Account.id == account_id)
        await record(actor, "suspend", "account", account_id, reason=reason)
    return await get_account(account_id)


async def lift_suspension(actor: Account | None, account_id: int) -> Account:
    _require_moderator(actor)
    target = await get_account(account_id)
    if target.suspended_at is None:
        raise DomainError(N_("This account is not suspended."), 409)
    if refusal := permissions.suspend_refusal(actor, target):
        raise DomainError(refusal, 403)
    async with write_transaction():
        await Account.update({Account.suspended_at: None, Account.suspension_reason: None}).where(
            Account.id == account_id
        )
        await record(actor, "lift_suspension", "account", account_id)
    return await get_account(account_id)


async def change_role(actor: Account | None, account_id: int, role: str) -> Account:
    """Only admins change roles (and not their own, so that an admin always remains)."""
    if not permissions.can_change_roles(actor):
        raise DomainError(N_("Only administrators can change roles."), 403)
    assert actor is not None
    if role not in {r.value for r in Role}:
        raise FormErrors({"role": N_("Choose a role.")})
    target = await get_account(account_id)
    if target.id == actor.id:
        raise DomainError(N_("You cannot change your own role."), 403)
    async with write_transaction():
        updated = await accounts.set_role(target.email, Role(role))
        await record(actor, "set_role", "account", account_id, category=role, reason=f"{target.role} -> {role}")
    return updated


async def staff_accounts() -> list[Account]:
    return (
        await Account.objects()
        .where(
            Account.role.is_in([Role.moderator.value, Role.editor.value, Role.admin.value])
            & Account.deleted_at.is_null()
        )
        .order_by(Account.display_name)
    )


# -- the API's one decision endpoint ---------------------------------------------


async def decide(
    settings: Settings,
    actor: Account | None,
    idea_id: int,
    action: str,
    reason: str | None = None,
    message: str | None = None,
    duplicate_of: int | None = None,
    *,
    events: DomainEvents,
) -> None:
    """`action` on an idea: reject takes a reason category and a message, hide a category, route a reason."""
    if action == "publish":
        await publish(settings, actor, idea_id, events=events)
    elif action == "request_changes":
        await request_changes(settings, actor, idea_id, message or "")
    elif action == "reject":
        await reject(settings, actor, idea_id, reason or "", message or "")
    elif action == "duplicate":
        await mark_duplicate(settings, actor, idea_id, duplicate_of)
    elif action == "route":
        await route(settings, actor, idea_id, reason or message or "")
    elif action == "hide":
        await hide(actor, "idea", idea_id, reason or "", message or "")
    elif action == "restore":
        await restore(actor, "idea", idea_id, message or "")
    else:
        raise FormErrors({"action": Message(N_("Unknown action."))})


# -- spam signals -------------------------------------------------------------------


def link_count(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


async def flag_spam(target_type: str, target_id: int, now: datetime | None = None) -> list[str]:
    """Flag a new submission or comment with many links, or the same text again from one account soon after.

    Called after the content is saved (ideas.services.content_listeners); it is flagged in the queue, never dropped.
    """
    now = now or utcnow()
    since = now - SPAM_REPEAT_WINDOW
    signals = []
    if target_type == "idea":
        idea = await Idea.objects().get(Idea.id == target_id)
        if idea is None:
            return []
        author = _id(idea.author)
        if link_count(" ".join([idea.title, idea.summary, idea.body or ""])) >= SPAM_LINK_COUNT:
            signals.append("links")
        if await Idea.exists().where(
            (Idea.author == author)
            & (Idea.id != target_id)
            & (Idea.created_at >= since)
            & ((Idea.summary == idea.summary) | (Idea.title == idea.title))
        ):
            signals.append("repeated")
    else:
        comment = await Comment.objects().get(Comment.id == target_id)
        if comment is None:
            return []
        author = _id(comment.author)
        if link_count(comment.body) >= SPAM_LINK_COUNT:
            signals.append("links")
        if await Comment.exists().where(
            (Comment.author == author)
            & (Comment.id != target_id)
            & (Comment.created_at >= since)
            & (Comment.body == comment.body)
        ):
            signals.append("repeated")
    if signals:
        await SpamSignal.insert(
            SpamSignal(
                target_type=target_type, target_id=target_id, account=author, signals=",".join(signals), created_at=now
            )
        )
    return signals


SCOPES = tuple(s.value for s in Scope)
