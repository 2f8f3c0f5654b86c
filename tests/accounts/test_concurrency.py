"""50 concurrent registrations through the app: each answers cleanly, and no email has two accounts."""

from __future__ import annotations

import asyncio
from collections import Counter

from participation.accounts.tables import Account
from tests.accounts.tools import dutch, field_error
from tests.helpers import PASSWORD, csrf_from

DUPLICATE = "An account with this email address already exists. Sign in or reset your password."


def emails() -> list[str]:
    """30 distinct addresses, and 5 addresses registered 4 times each in different letter case."""
    distinct = [f"resident{i}@example.org" for i in range(30)]
    contested = [
        variant
        for i in range(5)
        for variant in (f"twin{i}@example.org", f"Twin{i}@example.org", f"TWIN{i}@EXAMPLE.ORG", f"twin{i}@Example.Org")
    ]
    return distinct + contested


async def test_fifty_concurrent_registrations(client, outbox):
    token = csrf_from((await client.get("/account/register")).text)
    addresses = emails()
    assert len(addresses) == 50

    async def register(i: int, email: str):
        return await client.post(
            "/account/register",
            data={
                "_csrf_token": token,
                "kind": "resident",
                "display_name": f"Resident {i}",
                "email": email,
                "password": PASSWORD,
            },
        )

    responses = await asyncio.gather(*(register(i, email) for i, email in enumerate(addresses)))

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {303, 422}, statuses  # 303: Post/Redirect/Get to the "check your email" page
    for response in responses:
        assert "locked" not in response.text.lower()
        if response.status_code == 422:
            assert field_error(response, "email") == dutch(DUPLICATE)
    assert statuses[303] == 35, statuses
    rows = await Account.select(Account.email)
    per_email = Counter(row["email"].lower() for row in rows)
    assert len(per_email) == 35
    assert set(per_email.values()) == {1}
    assert len(outbox) == 35, "one verification mail per account"
