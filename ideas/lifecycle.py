"""The idea lifecycle (DESIGN.md section 3): every status change of an idea, from one table.

Each change is a conditional UPDATE (the idea must still be in an allowed status), so a
decision taken in between by someone else is never overwritten, and each joins the caller's
transaction: voting routes inside the support that reaches the threshold, moderation merges
inside its decision. These functions check no permissions: who may cause a change is the
caller's rule (ideas.permissions, voting.permissions, moderation.permissions).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from ideas.events import IdeaStatusChanged
from ideas.tables import Idea, IdeaStatus
from participation.database import for_update, write_transaction
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents

S = IdeaStatus


class Transition(str, Enum):
    publish = "publish"
    request_changes = "request_changes"
    resubmit = "resubmit"  # the author edits; the edit goes (back) to the moderators
    reject = "reject"
    withdraw = "withdraw"
    route = "route"
    expire = "expire"
    merge = "merge"
    hide = "hide"
    restore = "restore"


# transition -> (statuses it may start from, status it ends in; None: the status before hiding)
TRANSITIONS: dict[Transition, tuple[frozenset[IdeaStatus], IdeaStatus | None]] = {
    Transition.publish: (frozenset({S.submitted}), S.published),
    Transition.request_changes: (frozenset({S.submitted}), S.needs_changes),
    Transition.resubmit: (frozenset({S.submitted, S.needs_changes}), S.submitted),
    Transition.reject: (frozenset({S.submitted, S.needs_changes}), S.rejected),
    Transition.withdraw: (frozenset({S.submitted, S.needs_changes, S.published}), S.withdrawn),
    Transition.route: (frozenset({S.published}), S.routed),
    Transition.expire: (frozenset({S.published}), S.expired),
    Transition.merge: (frozenset({S.submitted, S.needs_changes, S.published}), S.merged),
    Transition.hide: (frozenset({S.published, S.routed, S.expired, S.merged, S.withdrawn}), S.hidden),
    Transition.restore: (frozenset({S.hidden}), None),
}


def sources(transition: Transition) -> frozenset[str]:
    """The statuses (as stored) an idea may be in for `transition`."""
    return frozenset(status.value for status in TRANSITIONS[transition][0])


def allows(transition: Transition, status: str) -> bool:
    return status in sources(transition)


# -- the support window -------------------------------------------------------------


def support_window_open(idea: Idea, now: datetime) -> bool:
    """The window runs from publication until `support_closes_at` (the close itself is closed)."""
    return idea.support_closes_at is not None and now < idea.support_closes_at


def due_to_expire(idea: Idea, now: datetime) -> bool:
    """Published, and its support window has closed without routing."""
    return (
        idea.status == S.published.value and idea.support_closes_at is not None and not support_window_open(idea, now)
    )


def _due_to_expire_where(now: datetime):
    return (Idea.status == S.published.value) & (Idea.support_closes_at <= now)


def as_read(idea: Idea, now: datetime) -> Idea:
    """The idea as readers see it at `now`: published with its window closed reads as expired.

    Lists and cards use this instead of writing on every request: the periodic task (or the
    idea's own page) does the change itself, with its event, once. Only the loaded copy changes.
    """
    if due_to_expire(idea, now):
        idea.status = S.expired.value
    return idea


# -- the changes ------------------------------------------------------------------
# Each change locks the idea's row, checks the table, updates, and publishes IdeaStatusChanged
# in the same transaction, so what reacts (notifications, the outbox) commits with it.


async def _locked_status(idea_id: int) -> str | None:
    row = await for_update(Idea.select(Idea.status).where(Idea.id == idea_id)).first()
    return row["status"] if row else None


async def change_status(
    idea_id: int,
    transition: Transition,
    values: dict | None = None,
    now: datetime | None = None,
    *,
    events: DomainEvents,
    reason: str | None = None,
) -> bool:
    """Apply `transition` (with extra column values) if the idea's status allows it; False if it did not."""
    target = TRANSITIONS[transition][1]
    assert target is not None, "restore goes through restore()"
    now = now or utcnow()
    async with write_transaction():
        previous = await _locked_status(idea_id)
        if previous is None or previous not in sources(transition):
            return False
        await Idea.update({Idea.status: target.value, Idea.updated_at: now, **(values or {})}).where(Idea.id == idea_id)
        merged_into = (values or {}).get(Idea.merged_into)
        await events.publish(IdeaStatusChanged(idea_id, previous, target.value, now, reason, merged_into))
    return True


async def publish(idea_id: int, window_days: int, now: datetime, *, events: DomainEvents) -> bool:
    """Published now: the support window opens for `window_days`."""
    values = {
        Idea.published_at: now,
        Idea.support_closes_at: now + timedelta(days=window_days),
        Idea.moderator_message: None,
    }
    return await change_status(idea_id, Transition.publish, values, now, events=events)


async def hide(idea: Idea, reason: str, now: datetime, *, events: DomainEvents) -> bool:
    """Hide a public idea, remembering the status to restore; `reason` is the public category."""
    async with write_transaction():
        previous = await _locked_status(idea.id)
        if previous is None or not allows(Transition.hide, previous):
            return False
        values = {
            Idea.status: S.hidden.value,
            Idea.hidden_from: previous,
            Idea.hidden_reason: reason,
            Idea.updated_at: now,
        }
        await Idea.update(values).where(Idea.id == idea.id)
        await events.publish(IdeaStatusChanged(idea.id, previous, S.hidden.value, now, reason))
    return True


async def restore(idea: Idea, now: datetime, *, events: DomainEvents) -> bool:
    """Show a hidden idea again in the status it had when it was hidden."""
    async with write_transaction():
        row = await for_update(Idea.select(Idea.status, Idea.hidden_from).where(Idea.id == idea.id)).first()
        if row is None or not allows(Transition.restore, row["status"]):
            return False
        back = row["hidden_from"] or S.published.value
        values = {Idea.status: back, Idea.hidden_from: None, Idea.hidden_reason: None, Idea.updated_at: now}
        await Idea.update(values).where(Idea.id == idea.id)
        await events.publish(IdeaStatusChanged(idea.id, S.hidden.value, back, now))
    return True


async def route(idea: Idea, now: datetime, *, events: DomainEvents) -> bool:
    """Routed into the register (voting decides when, and has written the entry and Routing record)."""
    changed = await change_status(idea.id, Transition.route, now=now, events=events)
    if changed:
        idea.status = S.routed.value
    return changed


async def merge(source: Idea, target_id: int, now: datetime, *, events: DomainEvents) -> bool:
    """The source is a duplicate of `target_id`; its supports have moved (voting does that part)."""
    values = {Idea.merged_into: target_id, Idea.support_count: 0, Idea.verified_support_count: 0}
    changed = await change_status(source.id, Transition.merge, values, now, events=events)
    if changed:
        source.status = S.merged.value
    return changed


async def expire_if_due(idea: Idea, now: datetime | None = None, *, events: DomainEvents) -> bool:
    """Expire one idea being read whose window has closed (the periodic task catches the rest)."""
    now = now or utcnow()
    if not due_to_expire(idea, now):
        return False
    async with write_transaction():
        changed = (
            await Idea.update({Idea.status: S.expired.value, Idea.updated_at: now})
            .where((Idea.id == idea.id) & _due_to_expire_where(now))
            .returning(Idea.id)
        )
        if changed:
            await events.publish(IdeaStatusChanged(idea.id, S.published.value, S.expired.value, now))
        else:
            row = await Idea.select(Idea.status).where(Idea.id == idea.id).first()
    idea.status = S.expired.value if changed else row["status"]
    return bool(changed)


async def _any_due(now: datetime) -> bool:
    """Whether the earliest closing of a published idea has passed: one probe of (status, support_closes_at).

    Not EXISTS: PostgreSQL, which cannot know that published ideas rarely have a closed window,
    expected to find one at once and scanned the table (50 ms at 50,000 ideas, to find none).
    """
    rows = await Idea.raw(
        "SELECT MIN(support_closes_at) <= {} AS due FROM idea WHERE status = {}", now, S.published.value
    )
    return bool(rows and rows[0]["due"])


async def expire_due_ideas(now: datetime | None = None, *, events: DomainEvents) -> int:
    """Close every published idea whose support window has ended below the threshold."""
    now = now or utcnow()
    if not await _any_due(now):
        return 0  # the common case: a cheap read, no write lock taken
    async with write_transaction():
        expired = (
            await Idea.update({Idea.status: S.expired.value, Idea.updated_at: now})
            .where(_due_to_expire_where(now))
            .returning(Idea.id)
        )
        for row in expired:
            await events.publish(IdeaStatusChanged(row["id"], S.published.value, S.expired.value, now))
    return len(expired)
