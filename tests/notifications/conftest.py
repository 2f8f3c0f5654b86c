"""Notifications: the app's wiring with a recording sender in place of the outbox.

`parts` (and so the `events` fixture of tests/conftest.py) is the composition root's wiring
with one change: `send_mail` records each mail's arguments (the outbox's `enqueue` signature).
Set-up rows come from factories; events are published as the domains publish them, inside a
write transaction, so what the handlers write commits or rolls back with it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from ideas.events import CommentAdded, IdeaStatusChanged
from ideas.tables import Follow, Idea
from participation.accounts.tables import Account, Role
from participation.composition import build_parts
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.notifications.tables import Notification
from participation.register.events import EntryUpdated
from tests.helpers import make_account
from tests.ideas.factories import make_idea
from voting.tables import Support


@pytest.fixture
def mails() -> list[dict]:
    """Every mail the notifications wrote to the outbox during the test: enqueue's keyword arguments."""
    return []


@pytest.fixture
def parts(settings, mails):
    async def record(**message) -> int:
        mails.append(message)
        return len(mails)

    return build_parts(settings, send_mail=record)


@pytest.fixture
def notifier(parts):
    return parts.notifier


async def publish(events, event) -> None:
    async with write_transaction():
        await events.publish(event)


def yesterday():
    """A moment of yesterday (city time): before the start of today in any time zone offset we use."""
    return utcnow() - timedelta(days=1, hours=1)


@pytest.fixture
async def people(settings) -> dict[str, Account]:
    supporter = await make_account(settings, email="supporter@example.org", name="Supporter")
    supporter.locale = "en"  # reads English: their mails come in English
    await supporter.save([Account.locale])
    return {
        "author": await make_account(settings, email="author@example.org", name="Auteur"),
        "follower": await make_account(settings, email="follower@example.org", name="Volger"),
        "supporter": supporter,
        "stranger": await make_account(settings, email="stranger@example.org", name="Vreemde"),
        "editor": await make_account(settings, email="editor@example.org", name="Redacteur", role=Role.editor),
        "moderator": await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator),
    }


@pytest.fixture
async def idea(people) -> Idea:
    """A published idea: its author follows it (as submitting does), one follower, one supporter."""
    idea = await make_idea(people["author"], status="published", title="Deelfietsen bij elk station")
    for account in (people["author"], people["follower"]):
        await Follow(account=account.id, idea=idea.id).save()
    await Support(account=people["supporter"].id, idea=idea.id).save()
    return idea


async def status_changed(events, idea: Idea, previous: str, status: str, at=None, **extra) -> None:
    await Idea.update({Idea.status: status}).where(Idea.id == idea.id)
    await publish(events, IdeaStatusChanged(idea.id, previous, status, at or utcnow(), **extra))


async def comment_added(events, comment, at=None) -> None:
    await publish(events, CommentAdded(comment.id, comment.idea, comment.author, comment.parent, at or utcnow()))


async def entry_updated(events, update, previous: str | None = None, at=None) -> None:
    status = update.status or previous or "received"
    await publish(events, EntryUpdated(update.entry, update.id, status, previous or status, at or utcnow()))


async def notifications_of(account: Account) -> list[dict]:
    return await Notification.select().where(Notification.account == account.id).order_by(Notification.id)


def mails_to(mails: list[dict], account: Account) -> list[dict]:
    return [m for m in mails if m["to"] == account.email]
