"""A deleted account in the register: it no longer follows any entry, nor owns a programme line."""

from __future__ import annotations

from participation.accounts.events import AccountErased
from participation.register.tables import EntryFollow, ProgrammeLine


async def on_account_erased(event: AccountErased) -> None:
    await EntryFollow.delete().where(EntryFollow.account == event.account_id)
    # The line then shows no owner until an admin names a new one; the change log keeps who acted.
    await ProgrammeLine.update({ProgrammeLine.owner_account: None}).where(
        ProgrammeLine.owner_account == event.account_id
    )
