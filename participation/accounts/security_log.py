"""The security log: sign-ins, failures, lockouts, second factors, tokens, roles, refused access.

Append-only (the database refuses edits, and deletion before 12 months; see the accounts
migration of 2026-11-29). It holds no IP address and no email address: a failed sign-in
for an address without an account is kept as a keyed digest of that address, so an admin
can see repeated attempts on one address without the log becoming a list of addresses.

`record` joins the caller's transaction when there is one, so an entry about a change
(a role, a token) commits or rolls back with it.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import Enum

from participation.accounts.tables import Account, SecurityEvent
from participation.i18n import N_
from participation.lib.clock import utcnow


class SecurityEventKind(str, Enum):
    sign_in = "sign_in"
    sign_in_failed = "sign_in_failed"
    lockout = "lockout"
    sign_out = "sign_out"
    password_changed = "password_changed"
    password_reset_requested = "password_reset_requested"
    password_reset = "password_reset"
    two_factor_enabled = "two_factor_enabled"
    two_factor_disabled = "two_factor_disabled"
    two_factor_failed = "two_factor_failed"
    recovery_code_used = "recovery_code_used"
    token_created = "token_created"
    token_revoked = "token_revoked"
    tokens_ended = "tokens_ended"
    role_changed = "role_changed"
    account_suspended = "account_suspended"
    suspension_lifted = "suspension_lifted"
    access_denied = "access_denied"
    data_exported = "data_exported"
    account_deleted = "account_deleted"
    identity_sign_in = "identity_sign_in"
    identity_linked = "identity_linked"
    identity_unlinked = "identity_unlinked"
    identity_refused = "identity_refused"


KIND_LABELS = {
    SecurityEventKind.sign_in: N_("Signed in"),
    SecurityEventKind.sign_in_failed: N_("Sign-in failed"),
    SecurityEventKind.lockout: N_("Locked out after failed sign-ins"),
    SecurityEventKind.sign_out: N_("Signed out"),
    SecurityEventKind.password_changed: N_("Password changed"),
    SecurityEventKind.password_reset_requested: N_("Password reset requested"),
    SecurityEventKind.password_reset: N_("Password reset"),
    SecurityEventKind.two_factor_enabled: N_("Two-step sign-in turned on"),
    SecurityEventKind.two_factor_disabled: N_("Two-step sign-in turned off"),
    SecurityEventKind.two_factor_failed: N_("Wrong sign-in code"),
    SecurityEventKind.recovery_code_used: N_("Recovery code used"),
    SecurityEventKind.token_created: N_("API token created"),
    SecurityEventKind.token_revoked: N_("API token revoked"),
    SecurityEventKind.tokens_ended: N_("All API tokens ended"),
    SecurityEventKind.role_changed: N_("Role changed"),
    SecurityEventKind.account_suspended: N_("Account suspended"),
    SecurityEventKind.suspension_lifted: N_("Suspension lifted"),
    SecurityEventKind.access_denied: N_("Access refused"),
    SecurityEventKind.data_exported: N_("Data downloaded"),
    SecurityEventKind.account_deleted: N_("Account deleted"),
    SecurityEventKind.identity_sign_in: N_("Identity confirmed at sign-in"),
    SecurityEventKind.identity_linked: N_("Identity linked"),
    SecurityEventKind.identity_unlinked: N_("Identity unlinked"),
    SecurityEventKind.identity_refused: N_("Identity refused"),
}

RETENTION_DAYS = 365
DETAIL_MAX = 500
PATH_MAX = 300


def email_digest(secret_key: str, email: str) -> str:
    """A keyed hash of an address: equal for equal addresses, useless without the server's key."""
    return hmac.new(secret_key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


async def record(
    kind: SecurityEventKind,
    *,
    account: Account | int | None = None,
    actor: Account | int | None = None,
    email_digest: str | None = None,
    detail: str = "",
    path: str | None = None,
) -> SecurityEvent:
    """Append one entry (inside the caller's transaction, if any). There is no update."""

    def account_id(who: Account | int | None) -> int | None:
        return who.id if isinstance(who, Account) else who

    event = SecurityEvent(
        kind=SecurityEventKind(kind).value,
        account=account_id(account),
        actor=account_id(actor),
        email_digest=email_digest,
        detail=detail[:DETAIL_MAX],
        path=path[:PATH_MAX] if path else None,
        created_at=utcnow(),
    )
    await event.save()
    return event
