"""The decision log: one append-only `ModerationDecision` per moderation action, and reading it back.

Every moderation use case calls `record` inside its own write transaction, so the
change and its record commit together or not at all. Nothing here updates or
deletes a decision (and the database refuses it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from participation.accounts.tables import Account
from participation.i18n import N_, gettext
from participation.lib.clock import utcnow
from participation.moderation.tables import ModerationDecision, TargetType
from participation.validation import whole_number

LOG_PER_PAGE = 50
# Who decided, when that account has since been deleted (not "the platform": a person did act).
FORMER_STAFF = N_("a former staff member")
REASON_MAX = 2_000  # the staff's free text on a decision

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
    "erase_account": N_("Account deleted on request"),
    "remove_image": N_("Image removed"),
    "verify_organisation": N_("Organisation verified (KvK)"),
    "revoke_organisation": N_("Organisation verification revoked"),
}


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
        action = params.get("action") or ""
        target_type = params.get("target_type") or ""
        return cls(
            action=action if action in ACTION_LABELS else "",
            target_type=target_type if target_type in {t.value for t in TargetType} else "",
            target_id=whole_number(params.get("target_id")),
            actor=whole_number(params.get("actor")),
            page=whole_number(params.get("page")) or 1,
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
    for row in rows:
        if row["actor"] is not None and not row["actor_name"]:
            row["actor_name"] = gettext(FORMER_STAFF)
    return LogPage(rows=rows, total=total, page=filters.page, pages=max(1, math.ceil(total / per_page)))


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
