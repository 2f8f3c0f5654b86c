"""Whether an account is a verified resident of the municipality or a verified organisation.

The flags on `Account` change only here. A change is announced as `VerificationChanged` inside
the caller's transaction, so whatever counts verified participants (the supports that count
toward routing) is recounted before the change commits. Who verifies (an OpenID Connect
provider, a staff member checking a KvK number) is the caller's business.
"""

from __future__ import annotations

from datetime import UTC, datetime

from participation.accounts.events import VerificationChanged
from participation.accounts.tables import Account
from participation.database import for_update, write_transaction
from participation.lib.events import DomainEvents


async def set_verification(
    account_id: int,
    *,
    resident: bool | None = None,
    organisation: bool | None = None,
    events: DomainEvents,
    now: datetime | None = None,
) -> bool:
    """Set either flag (None leaves it as it is); True when something changed.

    Joins the caller's transaction when there is one (the caller may also record why, e.g.
    a linked identity or a decision in the moderation log, in the same transaction).
    """
    async with write_transaction():
        row = await for_update(
            Account.select(Account.verified_resident, Account.verified_organisation).where(Account.id == account_id)
        ).first()
        if row is None:
            raise LookupError(f"no account {account_id}")
        was_resident, was_organisation = bool(row["verified_resident"]), bool(row["verified_organisation"])
        new_resident = was_resident if resident is None else resident
        new_organisation = was_organisation if organisation is None else organisation
        if (new_resident, new_organisation) == (was_resident, was_organisation):
            return False
        verified = new_resident or new_organisation
        await Account.update(
            {
                Account.verified_resident: new_resident,
                Account.verified_organisation: new_organisation,
                Account.verified_at: (now or datetime.now(UTC)) if verified else None,
            }
        ).where(Account.id == account_id)
        await events.publish(
            VerificationChanged(account_id, new_resident, new_organisation, was_resident, was_organisation)
        )
        return True
