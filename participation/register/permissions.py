"""Register rules as pure functions: who may edit, which status may follow which, when a response is overdue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.i18n import N_
from participation.register.tables import Status
from participation.validation import Message

# DESIGN.md section 3, the register lifecycle; the one place these rules live.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.received: frozenset({Status.under_assessment, Status.declined}),
    Status.under_assessment: frozenset({Status.planned, Status.declined}),
    Status.planned: frozenset({Status.running, Status.declined}),
    Status.running: frozenset({Status.completed, Status.stopped}),
    Status.completed: frozenset(),
    Status.stopped: frozenset(),
    Status.declined: frozenset(),
}

# Statuses an editor may give a new entry (the city's own projects may already be under way).
INITIAL_STATUSES = (Status.received, Status.under_assessment, Status.planned, Status.running)
NEEDS_LESSONS = frozenset({Status.completed, Status.stopped})
LESSON_FIELDS = ("lessons_tried", "lessons_outcome", "lessons_decision", "lessons_decision_reason", "lessons_advice")
# What an entry that processes personal data must say before it runs (before that, "unknown" is fine).
PRIVACY_FIELDS = ("data_description", "legal_basis", "dpia_status")
PRIVACY_BEFORE_RUNNING = N_(
    "This project processes personal data: before it runs, fill in which data, the legal basis and the DPIA status."
)


def can_edit_register(account: Account | None) -> bool:
    """Register editors and admins keep the register."""
    return has_role(account, Role.editor)


def allowed_next(status: str) -> tuple[Status, ...]:
    """Next statuses in lifecycle order (for forms)."""
    allowed = TRANSITIONS.get(Status(status), frozenset())
    return tuple(s for s in Status if s in allowed)


def _filled(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def lessons_complete(entry: Mapping[str, Any]) -> bool:
    return all(_filled(entry.get(name)) for name in LESSON_FIELDS)


def privacy_missing(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The privacy fields a running entry still lacks: only when it says it processes personal data."""
    if entry.get("personal_data") is not True:
        return ()
    return tuple(name for name in PRIVACY_FIELDS if not _filled(entry.get(name)))


def transition_refusal(entry: Mapping[str, Any], target: str, declined_reason: str | None = None) -> Message | None:
    """Why `entry` may not move to `target` (None: it may). `entry["indicators"]`: how many
    indicators its goals have (register/goals.py)."""
    try:
        current, wanted = Status(entry["status"]), Status(target)
    except ValueError:
        return Message(N_("Choose a status from the list."))
    if wanted not in TRANSITIONS[current]:
        return Message(N_("This status change is not allowed from the entry's current status."))
    if wanted is Status.declined and not (declined_reason or "").strip():
        return Message(N_("Give the public reason for declining."))
    if wanted is Status.planned and not entry.get("indicators"):
        return Message(N_("Set at least one goal with an indicator (baseline and target) before the entry is planned."))
    if wanted is Status.running and privacy_missing(entry):
        return Message(PRIVACY_BEFORE_RUNNING)
    if wanted in NEEDS_LESSONS and not lessons_complete(entry):
        return Message(N_("Record the lessons learned (all five parts) before the entry is completed or stopped."))
    return None


def is_overdue(status: str, response_due_at: datetime | None, now: datetime) -> bool:
    """Still `received` after the response due time (exactly at the due time is not yet overdue)."""
    return status == Status.received.value and response_due_at is not None and response_due_at < now
