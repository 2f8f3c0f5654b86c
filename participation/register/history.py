"""Field-level change history of register entries: who changed which field when, old -> new.

Generic on purpose: `snapshot` reads every column of the entry (and its partners and
neighbourhoods), so a use case that snapshots before and after its change and calls
`record_changes` covers columns added later too. Other modules that change an entry in
their own tables call `record_changes` with their own before/after dicts, inside their
write transaction.

Which fields the public may see is decided here and only here (`is_public_field`): the
staff history shows every field; the entry's public timeline shows the public fields'
changes, with the author's role as the timeline does, never the account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from participation.accounts.tables import Account
from participation.database import for_update
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.tables import RegisterEntry, RegisterFieldChange, RegisterNeighbourhood, RegisterPartner

# Never history: the key, and the bookkeeping every change touches.
UNTRACKED = frozenset({"id", "updated_at"})
# Internal: never on the public timeline. Add a column here when it must stay inside city hall
# (a column declared with Piccolo's `secret=True` is internal too).
# The owner is an account id (the entry page names the role, staff see the person); when the
# assessment was decided shows as the assessment itself.
INTERNAL_FIELDS = frozenset({"created_by", "draft", "owner", "assessment_decided_at"})
# Public, but the timeline already shows them as its own items (a status update).
SHOWN_BY_UPDATES = frozenset({"status"})
SYSTEM_ROLE = "system"
# A long text shows this much on the public timeline; the staff history shows it whole.
PUBLIC_EXCERPT = 200

# Labels for the fields the register knows; a field added elsewhere shows its name until labelled here.
FIELD_LABELS = {
    "title": N_("Title"),
    "summary": N_("Summary"),
    "description": N_("Description"),
    "origin": N_("Origin"),
    "idea_id": N_("Idea number"),
    "status": N_("Status"),
    "programme_line": N_("Programme line"),
    "theme": N_("Theme"),
    "scope": N_("Narrow or broad"),
    "department": N_("Owning department"),
    "contact_email": N_("Contact"),
    "partners": N_("Partners"),
    "neighbourhoods": N_("Neighbourhoods"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "budget_eur": N_("Budget"),
    "response_due_at": N_("Response due"),
    "declined_reason": N_("Reason for declining"),
    "personal_data": N_("Processes personal data"),
    "data_description": N_("Which data and sensors"),
    "data_purpose": N_("Purpose"),
    "legal_basis": N_("Legal basis"),
    "dpia_status": N_("Data protection impact assessment (DPIA)"),
    "dpia_url": N_("DPIA link"),
    "retention_period": N_("Retention period"),
    "open_data_url": N_("Where the data is published"),
    "algorithm_used": N_("Uses an algorithm"),
    "algorithm_register_url": N_("Algorithm register"),
    "lessons_tried": N_("Lessons: what was tried"),
    "lessons_outcome": N_("Lessons: outcome against the goals"),
    "lessons_decision": N_("Lessons: decision"),
    "lessons_decision_reason": N_("Lessons: reason for the decision"),
    "lessons_advice": N_("Lessons: advice"),
    "priority": N_("Priority"),
    "priority_rationale": N_("Why this priority"),
    "owner": N_("Accountable owner"),
    "decision_making": N_("Decision-making process"),
    "impact": N_("Impact"),
    "risks": N_("Risks and risk management"),
    "risk_category": N_("Risk category (EU AI Act)"),
    "proportionality": N_("Proportionality"),
    "human_intervention": N_("Human intervention"),
    "iama_url": N_("IAMA (human rights and algorithms impact assessment)"),
    "draft": N_("Draft"),
    "created_by": N_("Created by"),
}


def is_public_field(field: str) -> bool:
    """The one classification: internal fields never reach the public."""
    if field in INTERNAL_FIELDS:
        return False
    column = next((c for c in RegisterEntry._meta.columns if c._meta.name == field), None)
    return not (column is not None and column._meta.secret)


def field_label(field: str) -> str:
    """The untranslated label (templates translate it)."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def as_text(value: Any) -> str | None:
    """A field's value as stored in the history: ISO for times, true/false, lists joined; empty is NULL."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value) or None
    text = str(value)
    return text or None


async def snapshot(entry_id: int) -> dict[str, Any]:
    """Every column of the entry plus its partners and neighbourhoods (three queries).

    Inside a write transaction the entry's row stays locked until it ends (PostgreSQL; SQLite's
    write transaction already holds the one write lock): two editors saving at once then record
    a chain (a -> b, b -> c), never two changes from the same old value.
    """
    row = await for_update(RegisterEntry.select().where(RegisterEntry.id == entry_id)).first()
    if row is None:
        return {}
    partners = (
        await RegisterPartner.select(RegisterPartner.name, RegisterPartner.kind)
        .where(RegisterPartner.entry == entry_id)
        .order_by(RegisterPartner.position, RegisterPartner.id)
    )
    places = (
        await RegisterNeighbourhood.select(RegisterNeighbourhood.neighbourhood)
        .where(RegisterNeighbourhood.entry == entry_id)
        .order_by(RegisterNeighbourhood.id)
        .output(as_list=True)
    )
    row["partners"] = [f"{p['name']} ({p['kind']})" for p in partners]
    row["neighbourhoods"] = list(places)
    return row


async def record_changes(
    entry_id: int,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    actor: Account | None,
    at: datetime | None = None,
) -> list[str]:
    """Record each field whose value differs between `before` and `after`; returns the changed fields.

    Call it inside the write transaction of the change, so the history and the change commit
    together. A field missing on one side counts as empty there. `actor` None is the platform.
    """
    at = at or utcnow()
    rows = []
    for field in sorted((set(before) | set(after)) - UNTRACKED):
        old, new = as_text(before.get(field)), as_text(after.get(field))
        if old != new:
            rows.append(
                RegisterFieldChange(
                    entry=entry_id,
                    changed_at=at,
                    actor=actor.id if actor else None,
                    actor_role=actor.role if actor else SYSTEM_ROLE,
                    field=field[:60],
                    old_value=old,
                    new_value=new,
                )
            )
    if rows:
        await RegisterFieldChange.insert(*rows)
    return [row.field for row in rows]


async def full_history(entry_id: int) -> list[dict[str, Any]]:
    """Every recorded change (staff): newest first, with the account's display name when it still exists."""
    rows = (
        await RegisterFieldChange.select(
            RegisterFieldChange.changed_at,
            RegisterFieldChange.actor_role,
            RegisterFieldChange.actor.display_name.as_alias("actor_name"),
            RegisterFieldChange.field,
            RegisterFieldChange.old_value,
            RegisterFieldChange.new_value,
        )
        .where(RegisterFieldChange.entry == entry_id)
        .order_by(RegisterFieldChange.changed_at, RegisterFieldChange.id, ascending=False)
    )
    for row in rows:
        row["label"] = field_label(row["field"])
        row["public"] = is_public_field(row["field"])
    return rows


async def public_changes(entry_id: int) -> list[dict[str, Any]]:
    """The public fields' changes as timeline items (one per moment of change), oldest first; no accounts."""
    rows = (
        await RegisterFieldChange.select(
            RegisterFieldChange.changed_at,
            RegisterFieldChange.actor_role,
            RegisterFieldChange.field,
            RegisterFieldChange.old_value,
            RegisterFieldChange.new_value,
        )
        .where(RegisterFieldChange.entry == entry_id)
        .order_by(RegisterFieldChange.changed_at, RegisterFieldChange.id)
    )
    items: list[dict[str, Any]] = []
    for row in rows:
        if not is_public_field(row["field"]) or row["field"] in SHOWN_BY_UPDATES:
            continue
        change = {
            "field": row["field"],
            "label": field_label(row["field"]),
            "old": _excerpt(row["old_value"]),
            "new": _excerpt(row["new_value"]),
        }
        if items and items[-1]["created_at"] == row["changed_at"] and items[-1]["author_role"] == row["actor_role"]:
            items[-1]["changes"].append(change)
        else:
            items.append({"created_at": row["changed_at"], "author_role": row["actor_role"], "changes": [change]})
    return items


def _excerpt(text: str | None) -> str | None:
    if text is None or len(text) <= PUBLIC_EXCERPT:
        return text
    return text[:PUBLIC_EXCERPT].rstrip() + "…"


def merged_timeline(updates: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Updates and field changes in one list, oldest first (an update before a change at the same moment)."""
    tagged = [(item["created_at"], 0, i, item) for i, item in enumerate(updates)]
    tagged += [(item["created_at"], 1, i, item) for i, item in enumerate(changes)]
    return [item for *_key, item in sorted(tagged, key=lambda t: (_utc(t[0]), t[1], t[2]))]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
