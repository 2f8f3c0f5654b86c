"""Account tables. Emails are stored lower-cased so the unique index is case-insensitive."""

from enum import Enum

from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AccountKind(str, Enum):
    resident = "resident"
    organisation = "organisation"


class Role(str, Enum):
    member = "member"
    moderator = "moderator"
    editor = "editor"
    admin = "admin"


class Account(Table):
    email = Varchar(length=254, unique=True)
    email_verified_at = Timestamptz(null=True, default=None)
    password_hash = Varchar(length=255)
    display_name = Varchar(length=80)
    kind = Varchar(length=20, choices=AccountKind, default=AccountKind.resident)
    organisation_name = Varchar(length=120, null=True, default=None)
    kvk_number = Varchar(length=8, null=True, default=None)
    neighbourhood = Varchar(length=60, null=True, default=None)
    locale = Varchar(length=5, default="nl")
    role = Varchar(length=20, choices=Role, default=Role.member)
    # Bumped on password change, suspension and role change: sessions carrying
    # an older value end, so "its session ends" holds across workers.
    auth_version = Integer(default=1)
    suspended_at = Timestamptz(null=True, default=None)
    suspension_reason = Varchar(length=500, null=True, default=None)
    deleted_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # Verification (participation.accounts.verification): set only through set_verification,
    # which announces the change so supports are recounted in the same transaction.
    verified_resident = Boolean(default=False)  # a verified resident of the municipality
    verified_organisation = Boolean(default=False)  # an organisation whose KvK number was verified
    verified_at = Timestamptz(null=True, default=None)


class ApiToken(Table):
    """A personal access token (participation.accounts.tokens); only its SHA-256 is stored.

    A revoked or ended token is deleted (the security log keeps that it existed); an expired
    one stays until the periodic tasks remove it, so its use is answered "expired".
    """

    account = ForeignKey(Account, null=False)
    token_hash = Varchar(length=64, unique=True)
    name = Varchar(length=80, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    # Not null, and "now" when forgotten: a token without an expiry is one that is already expired.
    expires_at = Timestamptz(default=TimestamptzNow(), index=True)


class AttemptCount(Table):
    """Attempts counted per key within a window (participation.accounts.attempts): sign-ins per
    address, reset and confirmation mails per account. The key holds an account id or a keyed
    digest of an address, never the address itself, and no IP address."""

    key = Varchar(length=100, unique=True)
    attempts = Integer(default=0)
    expires_at = Timestamptz(index=True)


class SecurityEvent(Table):
    """One entry of the append-only security log (participation.accounts.security_log).

    No IP address and no email address: `account` is who it concerns when known, `actor`
    who acted when that is someone else (an admin changing a role), `email_digest` a keyed
    hash of the address typed at a failed sign-in, so repeated failures can be correlated
    without storing the address.
    """

    kind = Varchar(length=40, index=True)
    account = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    actor = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    email_digest = Varchar(length=64, null=True, default=None, index=True)
    detail = Varchar(length=500, default="")
    path = Varchar(length=300, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class TwoFactor(Table):
    """An account's TOTP second factor (participation.accounts.two_factor); a row exists once
    enrolment was confirmed with a right code. The secret must be readable to check codes."""

    account = ForeignKey(Account, null=False, unique=True, on_delete=OnDelete.cascade)
    secret = Varchar(length=64)
    # The last time step whose code was accepted: its code, or an earlier one, is refused (no replay).
    last_used_step = BigInt(default=0)
    enabled_at = Timestamptz(default=TimestamptzNow())


class RecoveryCode(Table):
    """A one-time code for when the authenticator app is lost; only its SHA-256 is stored."""

    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)
