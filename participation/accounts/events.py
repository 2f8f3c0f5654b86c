"""What the accounts domain announces, inside the transaction of the change (see participation.lib.events)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountErased:
    """An account was deleted: its row is now an empty placeholder (participation.accounts.deletion).

    Higher domains remove what only concerned the person (follows, notifications, settings)
    and the places where others' data quotes them. `names` are the public names the person
    was shown under (display name, organisation, both), longest first.
    """

    account_id: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class VerificationChanged:
    """An account's verification changed (participation.accounts.verification.set_verification).

    Published inside the transaction of the change, so a higher domain that counts verified
    participants (voting: verified supports) recounts in that same transaction.
    """

    account_id: int
    resident: bool
    organisation: bool
    was_resident: bool
    was_organisation: bool
