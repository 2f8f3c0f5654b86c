"""The moderators' queue and the triage of one idea: what waits, for how long, with which signals and notes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ideas import services as ideas
from ideas.search import similar_ideas
from ideas.tables import Comment, CommentStatus, Idea, IdeaKind, IdeaStatus
from participation.accounts.tables import Account
from participation.i18n import N_, gettext
from participation.lib.clock import utcnow
from participation.moderation.decisions import notices_for_idea
from participation.moderation.permissions import author_id, authorize, can_moderate
from participation.moderation.tables import ModerationDecision, Report, ReportStatus, SpamSignal, StaffNote, Triage
from participation.settings import Settings
from participation.validation import Message, whole_number
from voting import services as voting

QUEUE_PER_PAGE = 25


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
        return cls(
            kind=kind if kind in {k.value for k in IdeaKind} else "",
            theme=theme if settings.city.theme(theme) else "",
            neighbourhood=neighbourhood if settings.city.neighbourhood(neighbourhood) else "",
            assigned=assigned if assigned in ("me", "none") else "",
            page=whole_number(params.get("page")) or 1,
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
    authorize(can_moderate(viewer))
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
        author_ids = list({author_id(i) for i in ideas_page})
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
            author_name=ideas.author_name(i, authors.get(author_id(i))),
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
            name = comment["author_name"] or gettext(ideas.FORMER_PARTICIPANT)  # a deleted account has no name
            out.append(
                {**comment, "author_name": name, "signals": row["signals"].split(","), "flagged_at": row["created_at"]}
            )
    return out[:limit]


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
    authorize(can_moderate(viewer))
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
