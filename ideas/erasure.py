"""A deleted account in the ideas domain: its follows go (its ideas and comments stay, unnamed)."""

from __future__ import annotations

from ideas.tables import Follow
from participation.accounts.events import AccountErased


async def on_account_erased(event: AccountErased) -> None:
    await Follow.delete().where(Follow.account == event.account_id)
