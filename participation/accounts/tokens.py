"""Personal access tokens for the API: issued with a name and an expiry, listed, revoked, ended.

Only a token's SHA-256 is stored; the token itself is shown once, when it is made. A revoked
token is deleted, and so are all of an account's tokens when its password changes or is reset,
when it is suspended, when its role changes and when its owner signs out everywhere: a token
is a credential like a password and ends when the account's credentials do. The security log
keeps what happened. An expired token stays (answered "expired") until the periodic tasks
remove it a while later.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from participation.accounts import security_log
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account, ApiToken
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.settings import TOKEN_DAYS_MAX, Settings
from participation.validation import DomainError, Errors, Message, check_length, clean_text

TOKEN_PREFIX = "pp_"
NAME_MAX = 80
# Use is recorded hourly, not per request: a token used in a loop should not write each time.
LAST_USED_RESOLUTION = timedelta(hours=1)
# How long an expired token is still recognised as "expired" rather than "unknown".
EXPIRED_KEPT = timedelta(days=30)


class TokenRefused(DomainError):
    status_code = 401


@dataclass(frozen=True)
class IssuedToken:
    secret: str  # shown once; only its hash is stored
    token: ApiToken


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _checked(settings: Settings, name: object, expires_days: object) -> tuple[str, int]:
    errors = Errors()
    name = clean_text(name)
    check_length(errors, "name", name, 1, NAME_MAX)
    if expires_days is None or expires_days == "":
        days = settings.api_token_days
    else:
        text = str(expires_days).strip()
        days = int(text) if text.isdigit() and len(text) <= 3 else 0
        if not 1 <= days <= TOKEN_DAYS_MAX:
            errors.add("expires_days", Message(N_("Choose from 1 to %(max)s days."), max=TOKEN_DAYS_MAX))
    errors.raise_if_any()
    return name, days


async def create_api_token(
    settings: Settings, account: Account, *, name: object = "api", expires_days: object = None
) -> IssuedToken:
    """A new token for `account`, valid `expires_days` (default: the API_TOKEN_DAYS setting)."""
    name, days = _checked(settings, name, expires_days)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        account=account.id, token_hash=token_hash(secret), name=name, created_at=now, expires_at=now + timedelta(days)
    )
    async with write_transaction():
        await token.save()
        await security_log.record(
            SecurityEventKind.token_created,
            account=account,
            detail=f"token {token.id} {name!r}, expires {token.expires_at.date().isoformat()}",
        )
    return IssuedToken(secret, token)


async def account_for_token(secret: str) -> Account:
    """The account a bearer token belongs to; TokenRefused (401) says why not."""
    token = await ApiToken.objects().get(ApiToken.token_hash == token_hash(secret))
    if token is None:
        raise TokenRefused(N_("The token is invalid or has been revoked."))
    now = utcnow()
    if token.expires_at <= now:
        raise TokenRefused(N_("The token has expired. Create a new one."))
    account = await Account.objects().get(Account.id == token.account)
    if account is None or account.deleted_at:
        raise TokenRefused(N_("The token is invalid or has been revoked."))
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == token.id)
    return account


async def tokens_of(account: Account) -> list[ApiToken]:
    """The account's tokens, newest first (expired ones too, until they are removed)."""
    return (
        await ApiToken.objects()
        .where(ApiToken.account == account.id)
        .order_by(ApiToken.created_at, ascending=False)
        .order_by(ApiToken.id, ascending=False)
    )


async def revoke_token(account: Account, token_id: int) -> None:
    """End one of the account's own tokens; another account's token is "not found", as is a missing one."""
    async with write_transaction():
        deleted = (
            await ApiToken.delete()
            .where((ApiToken.id == token_id) & (ApiToken.account == account.id))
            .returning(ApiToken.id, ApiToken.name)
        )
        if not deleted:
            raise DomainError(N_("This token does not exist or has already been revoked."), 404)
        await security_log.record(
            SecurityEventKind.token_revoked, account=account, detail=f"token {token_id} {deleted[0]['name']!r}"
        )


async def end_all_tokens(account: Account | int, reason: str, actor: Account | None = None) -> int:
    """Delete every token of the account, inside the caller's transaction; logged when there were any."""
    account_id = account.id if isinstance(account, Account) else account
    ended = await ApiToken.delete().where(ApiToken.account == account_id).returning(ApiToken.id)
    if ended:
        await security_log.record(
            SecurityEventKind.tokens_ended, account=account_id, actor=actor, detail=f"{len(ended)} token(s): {reason}"
        )
    return len(ended)


async def sign_out_everywhere(account: Account) -> None:
    """End every session (a new auth_version) and every token of the account."""
    async with write_transaction():
        await Account.update({Account.auth_version: Account.auth_version + 1}).where(Account.id == account.id)
        await end_all_tokens(account, "signed out everywhere")
        await security_log.record(SecurityEventKind.sign_out, account=account, detail="everywhere")


async def remove_expired() -> int:
    """Delete tokens that expired more than EXPIRED_KEPT ago (periodic task)."""
    removed = await ApiToken.delete().where(ApiToken.expires_at < utcnow() - EXPIRED_KEPT).returning(ApiToken.id)
    return len(removed)
