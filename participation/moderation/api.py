"""Moderation API: the queue, decisions and reports for staff tokens; reporting for any verified account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from ideas.tables import Idea
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.idempotency.http import IdempotencyKeyHeader, respond
from participation.lib.events import DomainEvents
from participation.moderation import decisions, queue, reports
from participation.moderation.guards import requires_moderation
from participation.moderation.tables import ModerationDecision
from participation.settings import Settings
from participation.validation import PageNumber, RecordId


class QueueEntry(msgspec.Struct):
    id: int
    title: str
    summary: str
    kind: str
    theme: str
    neighbourhood: str
    scope: str
    created_at: datetime
    author: str
    assigned_to: int | None
    spam_signals: list[str]
    note_count: int


class QueueOut(msgspec.Struct):
    items: list[QueueEntry]
    waiting: int
    oldest_submitted_at: datetime | None
    total: int
    page: int


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    action: str
    reason: str | None = None
    message: str | None = None
    duplicate_of: RecordId | None = None


class DecisionOut(msgspec.Struct):
    idea_id: int
    action: str
    status: str
    decision_id: int


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    target_type: str
    target_id: RecordId
    reason: str
    note: str | None = None


class ReportOut(msgspec.Struct):
    id: int
    target_type: str
    target_id: int
    reason: str
    status: str
    target_hidden: bool


class ReportedEntry(msgspec.Struct):
    reason: str
    note: str
    created_at: datetime


class ReportGroupOut(msgspec.Struct):
    target_type: str
    target_id: int
    idea_id: int | None
    title: str
    hidden: bool
    report_count: int
    reasons: dict[str, int]
    reports: list[ReportedEntry]


class ModerationApi(Controller):
    path = "/api/v1/moderation"
    tags = ["moderation"]
    guards = [requires_moderation]

    @get("/queue", summary="Submitted ideas waiting for a decision, oldest first")
    async def queue(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        kind: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        neighbourhood: FromQuery[str] = "",
        assigned: FromQuery[str] = "",
        page: PageNumber = 1,
    ) -> QueueOut:
        """Filters: kind, theme, neighbourhood, assigned (`me` or `none`).

        Staff tokens only; notes are counted, not shown."""
        filters = queue.QueueFilters.from_params(
            settings,
            {"kind": kind, "theme": theme, "neighbourhood": neighbourhood, "assigned": assigned, "page": str(page)},
        )
        result = await queue.queue(settings, request.user, filters)
        return QueueOut(
            items=[
                QueueEntry(
                    id=i.idea.id,
                    title=i.idea.title,
                    summary=i.idea.summary,
                    kind=i.idea.kind,
                    theme=i.idea.theme,
                    neighbourhood=i.idea.neighbourhood,
                    scope=i.idea.scope,
                    created_at=i.idea.created_at,
                    author=i.author_name,
                    assigned_to=i.assigned_to,
                    spam_signals=i.signals,
                    note_count=i.notes,
                )
                for i in result.items
            ],
            waiting=result.waiting,
            oldest_submitted_at=result.oldest_at,
            total=result.total,
            page=result.page,
        )

    @post("/ideas/{idea_id:int}/decision", status_code=200, summary="Decide on an idea")
    async def decision(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
        data: JSONBody[DecisionIn],
    ) -> DecisionOut:
        """`action`: publish, request_changes (`message`), reject (`reason`: off_topic, not_municipal, offensive,
        personal_data, spam or other, and `message` for the author), duplicate (`duplicate_of`), route (`reason`),
        hide (`reason`: spam, offensive, personal_data, off_topic or other), restore."""
        await decisions.decide(
            settings, request.user, idea_id, data.action, data.reason, data.message, data.duplicate_of, events=events
        )
        status = (await Idea.select(Idea.status).where(Idea.id == idea_id).first())["status"]
        latest = (
            await ModerationDecision.select(ModerationDecision.id)
            .where((ModerationDecision.target_type == "idea") & (ModerationDecision.target_id == idea_id))
            .order_by(ModerationDecision.id, ascending=False)
            .first()
        )
        return DecisionOut(idea_id=idea_id, action=data.action, status=status, decision_id=latest["id"])

    @get("/reports", summary="Open reports, grouped by item")
    async def reports(self) -> list[ReportGroupOut]:
        """Reporters are not named."""
        return [
            ReportGroupOut(
                target_type=g.target_type,
                target_id=g.target_id,
                idea_id=g.idea_id,
                title=g.title,
                hidden=g.hidden,
                report_count=len(g.reports),
                reasons=g.reasons,
                reports=[
                    ReportedEntry(reason=r["reason"], note=r["note"], created_at=r["created_at"]) for r in g.reports
                ],
            )
            for g in await reports.open_report_groups()
        ]


class ReportApi(Controller):
    path = "/api/v1/reports"
    tags = ["moderation"]
    guards = [requires_account]

    @post("/", status_code=201, opt={"rate_limit": "report"}, summary="Report an idea or comment")
    async def create(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        data: JSONBody[ReportIn],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[ReportOut]:
        """Any verified account. `reason`: spam, offensive, personal_data, off_topic or other.

        One open report per account per item (409 for a second); at the city's threshold of open reports
        the item is hidden pending review."""

        async def report() -> ReportOut:
            outcome = await reports.create_report(
                settings, request.user, data.target_type, data.target_id, data.reason, data.note or "", events=events
            )
            created = outcome.report
            return ReportOut(
                id=created.id,
                target_type=created.target_type,
                target_id=created.target_id,
                reason=created.reason,
                status=created.status,
                target_hidden=outcome.hidden,
            )

        return await respond(request, idempotency_key, data, report, status_code=201)
