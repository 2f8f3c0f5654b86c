"""A KvK number (Chamber of Commerce registration) belongs to one organisation account.

Stored normalised (the eight digits, without the spaces or dots people type between them) and
unique: the index `account_kvk_number_uniq` decides a race between two registrations, and the
forms ask first so that the common case gets its answer without one. NULL for residents.
"""

from __future__ import annotations

import re

from participation.accounts.tables import Account
from participation.i18n import N_

# How people group a KvK number's digits: "12 34 56 78", "1234 5678", "12.34.56.78".
_KVK_SEPARATORS = re.compile(r"[\s.]")
KVK_RE = re.compile(r"^\d{8}$")

KVK_TAKEN = N_(
    "This KvK number already belongs to another organisation account. "
    "If it is your organisation's, contact the municipality."
)


def normalise_kvk(text: object) -> str:
    """The KvK number's eight digits without the spaces or dots people type between them."""
    return _KVK_SEPARATORS.sub("", str(text or ""))


def kvk_problem(number: str) -> str | None:
    """Why a normalised number is not a KvK number, or None."""
    if not KVK_RE.match(number):
        return N_("A KvK number is exactly 8 digits.")
    if not number.strip("0"):
        return N_("00000000 is not a KvK number. Enter the 8 digits of your registration.")
    return None


async def kvk_taken(number: str | None, *, other_than: int | None = None) -> bool:
    """Whether another account holds this (normalised) number."""
    if not number:
        return False
    query = Account.exists().where(Account.kvk_number == number)
    if other_than is not None:
        query = query.where(Account.id != other_than)
    return await query
