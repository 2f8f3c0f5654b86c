"""What the ideas domain shows on the account page ("My ideas"); see `participation.composition`."""

from __future__ import annotations

from typing import Any

from ideas.services import my_ideas
from participation.accounts.tables import Account


async def my_ideas_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "ideas/_my_ideas.html", {"my_ideas": await my_ideas(account)}
