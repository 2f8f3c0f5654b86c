"""The demo data: every domain's loader, run twice, creates nothing new the second time."""

from __future__ import annotations

from ideas.tables import Comment, Idea
from participation.accounts.permissions import is_staff
from participation.accounts.tables import Account, TwoFactor
from participation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from participation.moderation.tables import ModerationDecision, Report
from participation.register.tables import RegisterEntry, RegisterUpdate
from tests.helpers import sign_in
from voting.tables import Routing, Support

TABLES = (Account, Idea, Comment, Support, Routing, RegisterEntry, RegisterUpdate, Report, ModerationDecision)


async def _counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in TABLES}


async def test_demo_loads_once_with_a_routed_and_an_expired_idea(settings, parts):
    first = await load_demo(parts)
    assert all(created for _, created in first) and len(first) == len(DEMO_ACCOUNTS)
    counts = await _counts()
    second = await load_demo(parts)
    assert not any(created for _, created in second)
    assert await _counts() == counts
    assert await Idea.count().where(Idea.status == "routed") == 1
    assert await Idea.count().where(Idea.status == "expired") == 1
    assert await Routing.count() == 1
    assert await Report.count().where(Report.status == "open") >= 1 and await ModerationDecision.count() >= 1
    # Some ideas are close to the threshold without reaching it.
    close = await Idea.count().where(
        (Idea.status == "published") & (Idea.support_count >= settings.city.support_threshold * 0.7)
    )
    assert close >= 2
    # Counters equal their rows.
    for idea in await Idea.objects():
        assert idea.support_count == await Support.count().where(Support.idea == idea.id)


async def test_demo_staff_sign_in_with_the_printed_authenticator_keys(parts, client):
    """Staff need a second factor, in the demo too: fixed keys, printed at start-up, for any authenticator app."""
    await load_demo(parts)
    for demo in DEMO_ACCOUNTS:
        account = await Account.objects().get(Account.email == demo.email)
        factor = await TwoFactor.objects().get(TwoFactor.account == account.id)
        assert (factor.secret if factor else None) == demo.two_factor_secret
        assert (demo.two_factor_secret is not None) == is_staff(account)

    await sign_in(client, "moderator@example.org", DEMO_PASSWORD)
    assert (await client.get("/moderation")).status_code == 200
