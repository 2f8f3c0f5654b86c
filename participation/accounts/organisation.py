"""An organisation changes its own details: its name and its KvK number.

The KvK number stays unique (participation.accounts.kvk): a number another account holds is
refused on the field, also when two changes race (the unique index decides). A verified
organisation that changes either loses the verification (set_verification, which recounts its
supports in the same transaction): what was checked against the Handelsregister was the old
name and number, and a moderator checks the new ones.
"""

from __future__ import annotations

from participation.accounts.kvk import KVK_TAKEN, kvk_problem, kvk_taken, normalise_kvk
from participation.accounts.tables import Account, AccountKind
from participation.accounts.verification import set_verification
from participation.database import for_update, is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.events import DomainEvents
from participation.validation import DomainError, Errors, FormErrors, check_length, clean_text


async def change_organisation_details(
    account: Account, organisation_name: str, kvk_number: str, *, events: DomainEvents
) -> bool:
    """Save the new details; True when a verification ended with the change."""
    if account.kind != AccountKind.organisation.value:
        raise DomainError(N_("Only an organisation account has organisation details."), 404)
    name, number = clean_text(organisation_name), normalise_kvk(kvk_number)
    errors = Errors()
    check_length(errors, "organisation_name", name, 2, 120)
    if problem := kvk_problem(number):
        errors.add("kvk_number", problem)
    errors.raise_if_any()
    try:
        async with write_transaction():
            current = await for_update(Account.objects().where(Account.id == account.id)).first()
            assert current is not None
            if (current.organisation_name, current.kvk_number) == (name, number):
                return False
            if number != current.kvk_number and await kvk_taken(number, other_than=account.id):
                raise FormErrors({"kvk_number": KVK_TAKEN})
            await Account.update({Account.organisation_name: name, Account.kvk_number: number}).where(
                Account.id == account.id
            )
            ended = bool(current.verified_organisation)
            if ended:
                await set_verification(account.id, organisation=False, events=events)
    except Exception as exc:
        if is_unique_violation(exc):  # another account took the number between the check and the write
            raise FormErrors({"kvk_number": KVK_TAKEN}) from exc
        raise
    account.organisation_name, account.kvk_number = name, number
    if ended:
        account.verified_organisation = False
    return ended
