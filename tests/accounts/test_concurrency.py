"""50 concurrent registrations through the app: each answers alike, and no email has two accounts."""

from __future__ import annotations

import asyncio
from collections import Counter

from participation.accounts.tables import Account
from tests.helpers import PASSWORD, csrf_from


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

    # All alike (303: Post/Redirect/Get to "check your email"): the form tells no one which address had an account.
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {303: 50}, statuses
    rows = await Account.select(Account.email)
    per_email = Counter(row["email"].lower() for row in rows)
    assert len(per_email) == 35
    assert set(per_email.values()) == {1}
    verifications = [m.to for m in outbox if "/account/verify/" in m.body]
    assert sorted(verifications) == sorted(per_email), "one verification mail per account"
    assert len(outbox) == 50, "and a 'you already have an account' mail for each of the 15 later attempts"
