"""Deleting an account on someone's behalf: for a person who asks but cannot sign in.

Administrators only, after checking who is asking (at the desk, by letter); the reason says
how the request came in and is kept in the decision log, the record of the city's decision.
It should not repeat the person's name or address: those are what is being erased.
"""

from __future__ import annotations

from participation.accounts.deletion import delete_account
from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.lib.events import DomainEvents
from participation.moderation.accounts import get_account
from participation.moderation.log import record
from participation.moderation.permissions import erase_refusal
from participation.validation import DomainError, Errors, check_length, clean_text


async def erase_on_request(actor: Account | None, account_id: int, reason: str, *, events: DomainEvents) -> None:
    target = await get_account(account_id)
    if refusal := erase_refusal(actor, target):
        raise DomainError(refusal, 403)
    reason = clean_text(reason)
    errors = Errors()
    check_length(errors, "erase_reason", reason, 5, 500)
    errors.raise_if_any()
    async with write_transaction():
        await delete_account(account_id, events=events, actor=actor)
        await record(actor, "erase_account", "account", account_id, reason=reason)
