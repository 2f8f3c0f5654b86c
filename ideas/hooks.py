"""How the ideas package plugs into the account page; the core plugin calls `install()`."""

from __future__ import annotations

from typing import Any

from ideas.services import my_ideas
from participation.accounts.controllers import account_sections
from participation.accounts.tables import Account


async def _my_ideas_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "ideas/_my_ideas.html", {"my_ideas": await my_ideas(account)}


def install() -> None:
    if _my_ideas_section not in account_sections:
        account_sections.append(_my_ideas_section)
