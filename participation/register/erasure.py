"""A deleted account in the register: it no longer follows any entry."""

from __future__ import annotations

from participation.accounts.events import AccountErased
from participation.register.tables import EntryFollow


async def on_account_erased(event: AccountErased) -> None:
    await EntryFollow.delete().where(EntryFollow.account == event.account_id)
