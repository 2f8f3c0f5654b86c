"""An entry managed as a project: its accountable owner, its department and its priority.

The owner is an editor or admin account. Publicly the register shows the owner's role and the
department, never the person's name: civil servants who are not public office holders are not
named in public publications (the practice under the Woo and the GDPR's data minimisation), and
the department plus the entry's team address is what a resident needs to hold the city to account.
Staff see the name, so they know whom to ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.i18n import N_
from participation.register.tables import Priority, RegisterEntry
from participation.settings import Settings
from participation.validation import Errors, FormErrors, check_length, clean_text

PRIORITIES = tuple(p.value for p in Priority)
NOT_AN_OWNER = N_("Choose the owner from the list of register editors.")


def clean_project_fields(settings: Settings, raw: Mapping[str, Any], out: dict[str, Any], errors: Errors) -> None:
    """Department, owner and priority of the entry form or API, into `out` (errors per field)."""
    department = clean_text(raw.get("department"))
    if department and not settings.city.department(department):
        errors.add("department", N_("Choose the department from the list."))
    out["department"] = department
    out["owner"] = _owner_id(raw.get("owner"), errors)
    priority = clean_text(raw.get("priority")) or None
    rationale = clean_text(raw.get("priority_rationale")) or None
    if priority is not None and priority not in PRIORITIES:
        errors.add("priority", N_("Choose high, medium or low."))
    if priority and not rationale:
        errors.add("priority_rationale", N_("Explain why the project has this priority."))
    elif rationale and not priority:
        errors.add("priority", N_("Choose the priority that this rationale explains."))
    if rationale:
        check_length(errors, "priority_rationale", rationale, 10, 2000)
    out["priority"], out["priority_rationale"] = priority, rationale


def _owner_id(value: object, errors: Errors) -> int | None:
    if isinstance(value, Account):
        return value.id
    if value is None or isinstance(value, bool):
        return None
    text = clean_text(value)
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 2**31 - 1:
        errors.add("owner", NOT_AN_OWNER)
        return None
    return int(text)


async def check_owner(values: Mapping[str, Any]) -> None:
    """The owner must be an active editor or admin (an account that can answer for the register)."""
    owner_id = values.get("owner")
    if owner_id is None:
        return
    account = await Account.objects().where(Account.id == owner_id).first()
    if not has_role(account, Role.editor):
        raise FormErrors({"owner": NOT_AN_OWNER})


async def owner_candidates() -> list[dict[str, Any]]:
    """Active editors and admins, by name (the owner list of the entry form)."""
    rows = (
        await Account.select(Account.id, Account.display_name, Account.role)
        .where(Account.role.is_in([Role.editor.value, Role.admin.value]))
        .where(Account.deleted_at.is_null())
        .where(Account.suspended_at.is_null())
        .order_by(Account.display_name)
        .order_by(Account.id)
    )
    return [{"id": row["id"], "name": row["display_name"], "role": row["role"]} for row in rows]


async def project_facts(entry_id: int) -> dict[str, Any]:
    """The owner of one entry: its id (for the edit form), role (public) and name (staff only)."""
    row = (
        await RegisterEntry.select(
            RegisterEntry.owner.as_alias("owner"),
            RegisterEntry.owner.role.as_alias("owner_role"),
            RegisterEntry.owner.display_name.as_alias("owner_name"),
        )
        .where(RegisterEntry.id == entry_id)
        .first()
    )
    return row or {"owner": None, "owner_role": None, "owner_name": None}
