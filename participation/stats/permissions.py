"""Who may download the staff exports: the people whose work they measure, moderators and register editors."""

from __future__ import annotations

from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role

EXPORT_ROLES = (Role.moderator, Role.editor)


def can_export(account: Account | None) -> bool:
    """Moderators, register editors and admins, while their account is active."""
    return has_role(account, *EXPORT_ROLES)
