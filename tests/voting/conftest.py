"""Fixtures for supports: published ideas and many verified accounts with API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ideas.tables import Idea
from participation.accounts import tokens
from participation.accounts.passwords import hash_password
from participation.accounts.tables import Account
from participation.lib.clock import utcnow
from tests.helpers import make_account


async def publish_idea(
    settings,
    author: Account,
    *,
    kind: str = "idea",
    threshold_override: int | None = None,
    published_at: datetime | None = None,
    **fields,
) -> Idea:
    """A published idea whose support window started at `published_at` (default: now)."""
    published_at = published_at or utcnow()
    idea = Idea(
        author=author.id,
        kind=kind,
        title=fields.pop("title", "Slimme lantaarnpalen in Oosterheem"),
        summary=fields.pop("summary", "Lantaarnpalen die dimmen als er niemand op straat is, om energie te besparen."),
        body=fields.pop("body", "Een uitgebreide beschrijving."),
        theme=fields.pop("theme", "energy"),
        neighbourhood=fields.pop("neighbourhood", "oosterheem"),
        scope=fields.pop("scope", "narrow"),
        status="published",
        published_at=published_at,
        support_closes_at=published_at + timedelta(days=settings.city.support_window_days),
        threshold_override=threshold_override,
        **fields,
    )
    await idea.save()
    return idea


@pytest.fixture
async def author(settings) -> Account:
    return await make_account(settings, email="author@example.org", name="Auteur")


@pytest.fixture
async def idea(settings, author) -> Idea:
    return await publish_idea(settings, author)


async def make_supporters(settings, count: int, prefix: str = "supporter") -> list[tuple[Account, dict[str, str]]]:
    """`count` verified accounts with an API token each, created directly (hashing once)."""
    password_hash = await hash_password("not used in these tests", fast=True)
    now = utcnow()
    rows = [
        Account(
            email=f"{prefix}{i}@example.org",
            password_hash=password_hash,
            display_name=f"{prefix} {i}",
            email_verified_at=now,
        )
        for i in range(count)
    ]
    await Account.insert(*rows)
    created = await Account.objects().where(Account.email.like(f"{prefix}%@example.org")).order_by(Account.id)
    issued = [await tokens.create_api_token(settings, a) for a in created]
    return [(a, {"Authorization": f"Bearer {t.secret}"}) for a, t in zip(created, issued, strict=True)]
