"""Deleting an account (AVG/GDPR article 17): the person is erased, what they contributed stays.

The account row is kept as an empty placeholder rather than deleted: ideas and comments
must keep an author (the foreign keys restrict), the decision log refers to it and is
append-only, and one support per (account, idea) is a unique index that keeps support
counts and routing records exact. What made the row a person goes: email, name, password
hash, organisation contact (name, KvK), neighbourhood and suspension text. Pages then show
"former participant" where the name was. Supports still point at the placeholder, which
names no one, so they stay counted without pointing to a person.

In one write transaction: the row is emptied, API tokens, the second factor and stored API
answers (idempotency keys) deleted,
mail to the address deleted and other people's mail no longer names the person, sessions
end (`auth_version` + 1; the middleware also refuses a deleted account), the security log
records the deletion, and `AccountErased` lets higher domains remove follows,
notifications and settings (wired in participation.composition).
"""

from __future__ import annotations

from participation.accounts import security_log
from participation.accounts.events import AccountErased
from participation.accounts.identity.tables import IdentityLink
from participation.accounts.tables import Account, AccountKind, ApiToken, RecoveryCode, Role, TwoFactor
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.idempotency.tables import IdempotencyKey
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.outbox.erasure import forget
from participation.validation import DomainError

# Unusable as an argon2 hash: no password verifies against it.
NO_PASSWORD = "!deleted"


def placeholder_email(account_id: int) -> str:
    """Unique (the column is) and undeliverable (.invalid is reserved, RFC 2606)."""
    return f"deleted-{account_id}@deleted.invalid"


def public_names(account: Account) -> tuple[str, ...]:
    """Every form the person's name took on pages and in mail, longest first."""
    names = {account.display_name, account.organisation_name}
    if account.kind == AccountKind.organisation.value and account.organisation_name:
        names.add(f"{account.display_name} ({account.organisation_name})")
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


async def delete_account(account_id: int, *, events: DomainEvents, actor: Account | None = None) -> None:
    """Erase the account `account_id` (by its owner, or by staff when `actor` is given)."""
    async with write_transaction():
        account = await for_update(Account.objects().where(Account.id == account_id)).first()
        if account is None or account.deleted_at is not None:
            raise DomainError(N_("This account does not exist."), 404)
        names = public_names(account)
        await ApiToken.delete().where(ApiToken.account == account_id)
        await TwoFactor.delete().where(TwoFactor.account == account_id)
        await RecoveryCode.delete().where(RecoveryCode.account == account_id)
        # The person may verify a new account later: their identity is no longer linked to this one.
        await IdentityLink.delete().where(IdentityLink.account == account_id)
        # Stored answers of the last 24 hours' API requests may quote what the person wrote or their name.
        await IdempotencyKey.delete().where(IdempotencyKey.account == account_id)
        await forget(account.email, names)
        await Account.update(
            {
                Account.email: placeholder_email(account_id),
                Account.email_verified_at: None,
                Account.password_hash: NO_PASSWORD,
                Account.display_name: "",
                Account.organisation_name: None,
                Account.kvk_number: None,
                Account.neighbourhood: None,
                Account.role: Role.member.value,
                Account.suspended_at: None,
                Account.suspension_reason: None,
                Account.deleted_at: utcnow(),
                Account.auth_version: Account.auth_version + 1,
            }
        ).where(Account.id == account_id)
        await security_log.record(security_log.SecurityEventKind.account_deleted, account=account_id, actor=actor)
        await events.publish(AccountErased(account_id, names))
