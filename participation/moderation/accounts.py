"""Accounts as staff see them: finding people, suspending and lifting, roles, the staff lists."""

from __future__ import annotations

from piccolo.engine.sqlite import SQLiteEngine

from participation.accounts import security_log, tokens
from participation.accounts import services as account_services
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account, Role
from participation.database import current_engine, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.moderation.log import record
from participation.moderation.permissions import role_change_refusal, suspend_refusal
from participation.validation import DomainError, Errors, FormErrors, check_length, clean_text


async def find_accounts(query: str, limit: int = 50) -> list[Account]:
    """Staff search by name or email; without a query, the suspended accounts."""
    query = query.strip()[:100]
    base = Account.objects().where(Account.deleted_at.is_null())
    if query:
        if query.isdigit():
            return await base.where(Account.id == int(query)).limit(limit)
        pattern = f"%{query.replace('%', '').replace('_', '')}%"
        # SQLite's LIKE is already case-insensitive (and Piccolo warns on ILIKE there).
        like = "like" if isinstance(current_engine(), SQLiteEngine) else "ilike"
        matches = getattr(Account.email, like)(pattern) | getattr(Account.display_name, like)(pattern)
        return await base.where(matches).order_by(Account.display_name).limit(limit)
    return (
        await base.where(Account.suspended_at.is_not_null())
        .order_by(Account.suspended_at, ascending=False)
        .limit(limit)
    )


async def get_account(account_id: int) -> Account:
    account = await Account.objects().get(Account.id == account_id)
    if account is None or account.deleted_at is not None:
        raise DomainError(N_("This account does not exist."), 404)
    return account


async def suspend(actor: Account | None, account_id: int, reason: str) -> Account:
    """Suspend with a reason the person sees: no posting, commenting, supporting or reporting; sessions end."""
    target = await get_account(account_id)
    if refusal := suspend_refusal(actor, target):
        raise DomainError(refusal, 403)
    reason = clean_text(reason)
    errors = Errors()
    check_length(errors, "reason", reason, 1, 500)
    errors.raise_if_any()
    async with write_transaction():
        # auth_version + 1 ends every session of the account (participation.accounts.auth).
        await Account.update(
            {
                Account.suspended_at: utcnow(),
                Account.suspension_reason: reason,
                Account.auth_version: Account.auth_version + 1,
            }
        ).where(Account.id == account_id)
        await record(actor, "suspend", "account", account_id, reason=reason)
        # The reason stays in the decision log; the security log says who and when.
        await security_log.record(SecurityEventKind.account_suspended, account=account_id, actor=actor)
        await tokens.end_all_tokens(account_id, "suspended", actor=actor)
    return await get_account(account_id)


async def lift_suspension(actor: Account | None, account_id: int) -> Account:
    target = await get_account(account_id)
    if refusal := suspend_refusal(actor, target):
        raise DomainError(refusal, 403)
    if target.suspended_at is None:
        raise DomainError(N_("This account is not suspended."), 409)
    async with write_transaction():
        await Account.update({Account.suspended_at: None, Account.suspension_reason: None}).where(
            Account.id == account_id
        )
        await record(actor, "lift_suspension", "account", account_id)
        await security_log.record(SecurityEventKind.suspension_lifted, account=account_id, actor=actor)
    return await get_account(account_id)


async def change_role(actor: Account | None, account_id: int, role: str) -> Account:
    """Only admins change roles (and not their own, so that an admin always remains)."""
    target = await get_account(account_id)
    if refusal := role_change_refusal(actor, target):
        raise DomainError(refusal, 403)
    assert actor is not None
    if role not in {r.value for r in Role}:
        raise FormErrors({"role": N_("Choose a role.")})
    async with write_transaction():
        updated = await account_services.set_role(target.email, Role(role), actor=actor)
        await record(actor, "set_role", "account", account_id, category=role, reason=f"{target.role} -> {role}")
    return updated


async def staff_accounts() -> list[Account]:
    return (
        await Account.objects()
        .where(
            Account.role.is_in([Role.moderator.value, Role.editor.value, Role.admin.value])
            & Account.deleted_at.is_null()
        )
        .order_by(Account.display_name)
    )


async def moderators() -> list[dict]:
    """Who an idea can be assigned to: active moderators and administrators (see permissions.can_moderate)."""
    return (
        await Account.select(Account.id, Account.display_name)
        .where(
            Account.role.is_in([Role.moderator.value, Role.admin.value])
            & Account.deleted_at.is_null()
            & Account.suspended_at.is_null()
        )
        .order_by(Account.display_name)
    )
