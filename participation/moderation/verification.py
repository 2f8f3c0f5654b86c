"""Staff verify an organisation's KvK number by hand, and revoke that verification.

Where no eHerkenning broker is connected (or for an organisation without eHerkenning), a
moderator looks the number up in the Handelsregister of the KvK (kvk.nl, "Zoeken in het
Handelsregister") and checks that the registration is active and that its trade name is the
organisation named on the account. The moderator types the number as found there: it must be
the account's, so a slip verifies nothing. What was checked goes into the decision log with
the change, in one transaction with `set_verification` (which recounts the organisation's
supports in that same transaction).
"""

from __future__ import annotations

from participation.accounts.kvk import normalise_kvk
from participation.accounts.tables import Account, AccountKind
from participation.accounts.verification import set_verification
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.events import DomainEvents
from participation.moderation.log import record
from participation.moderation.permissions import MODERATORS_ONLY, can_moderate
from participation.validation import DomainError, Errors, Message, check_length, clean_text

NOTE_MAX = 500


def verification_refusal(actor: Account | None, target: Account) -> tuple[Message, int] | None:
    """Moderators and administrators verify organisation accounts that have a KvK number; not their own.

    With the HTTP status: 403 for who asks, 409 for an account that is no organisation to verify."""
    if not can_moderate(actor):
        return Message(MODERATORS_ONLY), 403
    assert actor is not None
    if actor.id == target.id:
        return Message(N_("You cannot verify your own account.")), 403
    if target.kind != AccountKind.organisation.value or not target.kvk_number:
        return Message(N_("Only an organisation account with a KvK number can be verified as an organisation.")), 409
    return None


def can_verify_organisation(actor: Account | None, target: Account) -> bool:
    return verification_refusal(actor, target) is None


async def _locked_target(account_id: int) -> Account:
    target = await for_update(Account.objects().where(Account.id == account_id)).first()
    if target is None or target.deleted_at is not None:
        raise DomainError(N_("This account does not exist."), 404)
    return target


async def verify_organisation(
    actor: Account | None, account_id: int, kvk_checked: str, note: str, *, events: DomainEvents
) -> Account:
    """Mark the organisation verified after checking its KvK number in the Handelsregister."""
    kvk_checked, note = normalise_kvk(kvk_checked), clean_text(note)
    async with write_transaction():
        target = await _locked_target(account_id)
        if refusal := verification_refusal(actor, target):
            raise DomainError(*refusal)
        errors = Errors()
        if kvk_checked != target.kvk_number:
            errors.add(
                "kvk_checked",
                N_("This is not the KvK number of this account. Type the number as the Handelsregister shows it."),
            )
        check_length(errors, "verification_note", note, 1, NOTE_MAX)
        errors.raise_if_any()
        if target.verified_organisation:
            raise DomainError(N_("This organisation is already verified."), 409)
        await set_verification(account_id, organisation=True, events=events)
        await record(actor, "verify_organisation", "account", account_id, reason=f"KvK {target.kvk_number}: {note}")
    target.verified_organisation = True
    return target


async def revoke_organisation(actor: Account | None, account_id: int, reason: str, *, events: DomainEvents) -> Account:
    """Take a verification back (the registration ended, or it was granted in error), with the reason logged."""
    reason = clean_text(reason)
    async with write_transaction():
        target = await _locked_target(account_id)
        if refusal := verification_refusal(actor, target):
            raise DomainError(*refusal)
        errors = Errors()
        check_length(errors, "revoke_reason", reason, 1, NOTE_MAX)
        errors.raise_if_any()
        if not target.verified_organisation:
            raise DomainError(N_("This organisation is not verified."), 409)
        await set_verification(account_id, organisation=False, events=events)
        await record(actor, "revoke_organisation", "account", account_id, reason=f"KvK {target.kvk_number}: {reason}")
    target.verified_organisation = False
    return target
