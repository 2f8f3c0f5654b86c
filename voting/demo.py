"""Demo supports: some ideas close to the threshold, one routed into the register, one expired. Idempotent.

Demo supporters are confirmed accounts without a usable password (they only
exist to support); two in three are verified residents, as if they had signed in
with DigiD, so the pages show both figures. Supports go through the real service,
so the routing and counters are what the platform itself would produce.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from ideas import lifecycle
from ideas.tables import Idea, IdeaStatus
from participation.accounts.passwords import hash_password
from participation.accounts.tables import Account
from participation.accounts.verification import set_verification
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.settings import Settings
from voting import services

SUPPORTERS = 120
# Idea title -> number of demo supporters. At the city's threshold (100 by default) an idea routes.
PLAN = {
    "Slimme lantaarnpalen in het Dorp": None,  # None: exactly the threshold, so it routes
    "Slimme fietsenstalling bij station Oosterheem": 87,
    "Buurtbatterij voor Palenstein": 72,
    "Hitteplan met koele plekken op de kaart": 35,
    "Meldingen openbare ruimte met foto en vaste terugkoppeling": 18,
    "Pilot adaptieve straatverlichting in Oosterheem": 12,
    "Deelauto's bij de nieuwbouw in Rokkeveen": 6,
}
EXPIRED = "Slimme afvalcontainers die melden wanneer ze vol zijn"


async def _supporters(settings: Settings, events: DomainEvents) -> list[Account]:
    emails = [f"inwoner{i:03d}@demo.example" for i in range(1, SUPPORTERS + 1)]
    existing = set(await Account.select(Account.email).where(Account.email.is_in(emails)).output(as_list=True))
    missing = [e for e in emails if e not in existing]
    if missing:
        unusable = await hash_password(secrets.token_urlsafe(32), fast=True)
        now = utcnow()
        await Account.insert(
            *[
                Account(email=e, password_hash=unusable, display_name=f"Inwoner {e[7:10]}", email_verified_at=now)
                for e in missing
            ]
        )
        created = await Account.select(Account.id, Account.email).where(Account.email.is_in(missing))
        for row in created:
            if int(row["email"][7:10]) % 3:
                await set_verification(row["id"], resident=True, events=events)
    return await Account.objects().where(Account.email.is_in(emails)).order_by(Account.id)


async def load_voting_demo(settings: Settings, events: DomainEvents) -> int:
    """Add the planned supports that are missing; returns how many supports were added."""
    supporters = await _supporters(settings, events)
    ideas = {i.title: i for i in await Idea.objects().where(Idea.title.is_in([*PLAN, EXPIRED]))}
    added = 0
    for title, wanted in PLAN.items():
        idea = ideas.get(title)
        if idea is None or idea.status != IdeaStatus.published.value:
            continue  # a routed idea takes no new supports; a second run adds nothing
        wanted = wanted if wanted is not None else settings.city.support_threshold
        for account in supporters[:wanted]:
            before = idea.support_count
            outcome = await services.support_idea(settings, account, idea.id, events=events)
            added += outcome.support_count > before
            idea.support_count = outcome.support_count
            if outcome.routed_entry_slug:
                break  # a city with a lower threshold than the plan: routed, so no more supports
    expired = ideas.get(EXPIRED)
    if expired is not None and expired.status == IdeaStatus.published.value:
        # Published a window ago, with a few supports while it was open; then the window closed.
        published = utcnow() - timedelta(days=settings.city.support_window_days + 3)
        await Idea.update(
            {
                Idea.published_at: published,
                Idea.support_closes_at: published + timedelta(days=settings.city.support_window_days),
            }
        ).where(Idea.id == expired.id)
        # Fewer than the threshold, so that it expires (a city with a very low threshold gets fewer).
        for account in supporters[: min(9, settings.city.support_threshold - 1)]:
            await services.support_idea(settings, account, expired.id, now=published + timedelta(days=5), events=events)
            added += 1
        await lifecycle.expire_due_ideas(events=events)
    return added
