"""Who may do what: pure functions over an account, used by guards, services and templates alike."""

from __future__ import annotations

from participation.accounts.tables import Account, AccountKind, Role
from participation.i18n import N_
from participation.settings import Settings
from participation.validation import Message

STAFF_ROLES = frozenset({Role.moderator.value, Role.editor.value, Role.admin.value})


def has_role(account: Account | None, *roles: Role) -> bool:
    """Admins hold every staff role; other roles hold only themselves.

    A deleted or suspended account holds none: a suspended moderator moderates nothing,
    in guards, services and templates alike (this is the one place that says so).
    """
    if account is None or account.deleted_at is not None or account.suspended_at is not None:
        return False
    return account.role == Role.admin.value or account.role in {r.value for r in roles}


def is_staff(account: Account | None) -> bool:
    return account is not None and account.role in STAFF_ROLES


def participation_refusal(account: Account | None) -> Message | None:
    """Why this account may not submit, comment, support or report right now (None: it may)."""
    if account is None:
        return Message(N_("Sign in to take part."))
    if account.deleted_at is not None:
        return Message(N_("This account has been deleted."))
    if account.suspended_at is not None:
        return Message(N_("Your account is suspended: %(reason)s"), reason=account.suspension_reason or "-")
    if account.email_verified_at is None:
        return Message(N_("Confirm your email address first; we sent you a link."))
    return None


def can_participate(account: Account | None) -> bool:
    return participation_refusal(account) is None


def password_refusal(settings: Settings, kind: str, staff: bool) -> Message | None:
    """With `password_sign_in = false` residents use a login service; organisations and staff keep passwords."""
    sign_in = settings.city.sign_in
    if sign_in.password_sign_in or staff or kind != AccountKind.resident.value:
        return None
    names = ", ".join(p.names.get("nl", p.slug) for p in sign_in.providers if p.verifies == "resident")
    return Message(N_("Residents sign in and sign up with %(services)s here, not with a password."), services=names)
