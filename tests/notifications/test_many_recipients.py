"""A notification to tens of thousands of supporters: chunked below the drivers' parameter limit."""

from __future__ import annotations

from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.notifications.services import notify
from participation.notifications.tables import Category, Notification


async def test_forty_thousand_recipients_pass_the_parameter_limit(parts):
    now = utcnow()
    # 3,500 real accounts (3,500 rows x 11 columns > 32,767 parameters in one INSERT) among
    # 40,000 recipient ids (one IN list of 40,000 > 32,767 parameters).
    accounts = [
        Account(email=f"many{i}@example.org", password_hash="x", display_name=f"Many {i}", email_verified_at=now)
        for i in range(3500)
    ]
    for start in range(0, len(accounts), 500):
        await Account.insert(*accounts[start : start + 500])
    real = [row["id"] for row in await Account.select(Account.id).where(Account.email.like("many%@example.org"))]
    recipients = {account_id: Category.following for account_id in range(1, 40_001)}
    recipients.update({account_id: Category.following for account_id in real})
    async with write_transaction():
        written = await notify(
            parts.notifier, recipients, kind="idea_routed", payload={"title": "Druk idee"}, link="/ideas/1", at=now
        )
    assert written == len(real) == 3500
    assert await Notification.count().where(Notification.account.is_in(real[:900])) == 900
    assert await Notification.count() == 3500
