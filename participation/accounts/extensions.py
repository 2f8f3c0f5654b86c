"""The sections other domains add to the account page (my ideas, my supports, moderators' notices).

Each section returns (template name, context) for the signed-in account; the composition root
(`participation.composition`) gives their order, and the account page receives them through
dependency injection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from participation.accounts.tables import Account

AccountSection = Callable[[Account], Awaitable[tuple[str, dict[str, Any]]]]


@dataclass(frozen=True)
class AccountSections:
    sections: tuple[AccountSection, ...] = ()

    async def render_for(self, account: Account) -> list[tuple[str, dict[str, Any]]]:
        return [await section(account) for section in self.sections]
