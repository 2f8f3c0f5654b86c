"""Who may moderate what: pure functions over accounts, used by guards, services and templates."""

from __future__ import annotations

from ideas.permissions import is_moderator
from participation.accounts.permissions import has_role, participation_refusal
from participation.accounts.tables import Account, Role
from participation.i18n import N_
from participation.validation import Message

__all__ = ["is_moderator", "can_change_roles", "report_refusal", "suspend_refusal"]


def can_change_roles(account: Account | None) -> bool:
    """Only admins change roles (moderators do not make moderators)."""
    return has_role(account, Role.admin)


def report_refusal(account: Account | None, author_id: int | None) -> tuple[Message, int] | None:
    """Why `account` may not report content written by `author_id` (with the HTTP status); None if it may."""
    if refusal := participation_refusal(account):
        return refusal, 401 if account is None else 403
    assert account is not None
    if author_id == account.id:
        return Message(N_("You cannot report your own contribution.")), 403
    return None


def suspend_refusal(actor: Account | None, target: Account) -> Message | None:
    """Moderators suspend members; only an admin suspends staff; nobody suspends themselves."""
    if not is_moderator(actor):
        return Message(N_("Only moderators can do this."))
    assert actor is not None
    if actor.id == target.id:
        return Message(N_("You cannot suspend your own account."))
    if target.role != Role.member.value and not has_role(actor, Role.admin):
        return Message(N_("Only an administrator can suspend a staff account."))
    return None
