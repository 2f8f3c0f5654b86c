"""A person with one of everything the platform keeps about someone, and another person beside them.

Built through the services (as the app would), so notifications and mail that quote the
person exist too: the subject comments on an idea the other person follows, and replies
to the other person's comment.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ideas import services as ideas
from ideas.tables import Comment, Idea
from participation.accounts import security_log, tokens
from participation.accounts import services as accounts
from participation.accounts.tables import Account
from participation.lib.clock import utcnow
from participation.moderation.reports import create_report
from participation.notifications.services import notify
from participation.notifications.tables import Category, NotificationSetting
from participation.register.services import follow_entry
from participation.register.tables import RegisterEntry
from tests.flows.conftest import browser, people  # noqa: F401 - people in every role, a browser each
from tests.helpers import make_account
from tests.ideas.factories import make_comment, make_idea
from voting.services import support_idea

# Unusual enough that finding them anywhere can only mean they were not erased.
SUBJECT_EMAIL = "wilhelmina.zonnebloem@example.org"
SUBJECT_NAME = "Wilhelmina Zonnebloem"
SUBJECT_ORGANISATION = "Zonnebloem Lichtwerk B.V."
OTHER_EMAIL = "bartholomeus.klaproos@example.org"
OTHER_NAME = "Bartholomeus Klaproos"


@dataclass
class World:
    subject: Account
    other: Account
    subject_idea: Idea
    other_idea: Idea
    subject_comment: Comment
    subject_reply: Comment
    other_comment: Comment
    entry: RegisterEntry


@pytest.fixture
async def world(settings, parts, events) -> World:
    subject = await make_account(
        settings,
        email=SUBJECT_EMAIL,
        name=SUBJECT_NAME,
        organisation=SUBJECT_ORGANISATION,
        kvk="87654321",
        neighbourhood="centrum",
    )
    other = await make_account(settings, email=OTHER_EMAIL, name=OTHER_NAME, neighbourhood="dorp")
    subject_idea = await make_idea(subject, title="Zonnepanelen op elk schoolgebouw")
    other_idea = await make_idea(other, title="Een moestuin op het stadhuisplein")
    await ideas.follow(other, subject_idea.id)
    await ideas.follow(subject, other_idea.id)
    other_comment = await make_comment(other_idea, other, body="Mijn eigen reactie op mijn eigen idee.")
    # The other person follows their own idea (authors do), so these quote the subject's name to them.
    subject_comment = await ideas.add_comment(
        subject, other_idea.id, "Ik doe graag mee met de moestuin.", events=events
    )
    subject_reply = await ideas.add_comment(
        subject, other_idea.id, "Eens, en ook kruiden.", parent_id=other_comment.id, events=events
    )
    await ideas.add_comment(other, subject_idea.id, "Goed plan voor de scholen!", events=events)
    await notify(
        parts.notifier,
        {subject.id: Category.my_ideas},
        kind="idea_published",
        payload={"title": subject_idea.title},
        link=f"/ideas/{subject_idea.id}",
        at=utcnow(),
        idea_id=subject_idea.id,
    )
    await support_idea(settings, subject, other_idea.id, events=events)
    await support_idea(settings, other, subject_idea.id, events=events)
    await create_report(
        settings, subject, "comment", other_comment.id, "off_topic", "Niet over het idee.", events=events
    )
    entry = RegisterEntry(
        slug="slimme-lantaarns",
        title="Slimme lantaarns",
        summary="Lantaarns die dimmen.",
        theme="energy",
        scope="narrow",
    )
    await entry.save()
    await follow_entry(subject, entry.slug)
    await follow_entry(other, entry.slug)
    await NotificationSetting.insert(NotificationSetting(account=subject.id, category="replies", delivery="daily"))
    await tokens.create_api_token(settings, subject, name="mijn script")
    await tokens.create_api_token(settings, other, name="ander script")
    await security_log.record(security_log.SecurityEventKind.sign_in, account=subject)
    await security_log.record(security_log.SecurityEventKind.sign_in, account=other)
    # Mail to the subject's address: the "you already have an account" notice.
    await accounts.request_password_reset(settings, SUBJECT_EMAIL)
    return World(subject, other, subject_idea, other_idea, subject_comment, subject_reply, other_comment, entry)
