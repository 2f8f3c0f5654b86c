"""What notifications add to the account page: the delivery settings form. See participation.composition."""

from __future__ import annotations

from typing import Any

from participation.accounts.tables import Account
from participation.notifications.permissions import deliveries_for
from participation.notifications.services import delivery_settings


async def settings_context(account: Account) -> dict[str, Any]:
    current = await delivery_settings(account)
    return {
        "categories": [
            {"name": category.value, "choices": [d.value for d in deliveries_for(category)]} for category in current
        ],
        "chosen": {category.value: delivery.value for category, delivery in current.items()},
    }


async def settings_section(account: Account) -> tuple[str, dict[str, Any]]:
    return "notifications/_settings_section.html", await settings_context(account)
