"""The events notifications build on are published inside the transaction of the change.

A recording handler sees each event with the rows it needs already written; a handler that
fails rolls the change back (so a notification written there can never outlive its cause).
"""

from __future__ import annotations

import pytest

from ideas import services as ideas
from ideas.events import CommentAdded, IdeaStatusChanged
from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.lib.events import DomainEvents
from participation.moderation import decisions
from participation.register import services as register
from participation.register.events import EntryUpdated
from participation.validation import DomainError
from tests.helpers import make_account
from tests.ideas.factories import make_idea
from tests.register.conftest import entry_fields
from tests.voting.conftest import make_supporters, publish_idea
from voting import services as voting
from voting.tables import Routing


class Recorder:
    def __init__(self) -> None:
        self.seen: list[object] = []
        self.routing_seen: list[bool] = []

    async def __call__(self, event: object) -> None:
        self.seen.append(event)
        if isinstance(event, IdeaStatusChanged) and event.status == "routed":
            self.routing_seen.append(await Routing.exists().where(Routing.idea == event.idea_id))

    def events(self) -> DomainEvents:
        return DomainEvents({IdeaStatusChanged: (self,), CommentAdded: (self,), EntryUpdated: (self,)})


async def test_a_decision_publishes_the_status_change_with_its_reason(settings):
    recorder = Recorder()
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    author = await make_account(settings, email="author@example.org")
    idea = await make_idea(author, status="submitted")
    await decisions.reject(
        settings, moderator, idea.id, "off_topic", "Dit gaat niet over de stad.", events=recorder.events()
    )
    assert [(e.previous, e.status, e.reason) for e in recorder.seen] == [
        ("submitted", "rejected", "Dit gaat niet over de stad.")
    ]


async def test_routing_is_published_after_the_entry_and_routing_record_exist(settings):
    recorder = Recorder()
    author = await make_account(settings, email="author@example.org")
    idea = await publish_idea(settings, author, threshold_override=2)
    for account, _ in await make_supporters(settings, 2):
        await voting.support_idea(settings, account, idea.id, events=recorder.events())
    routed = [e for e in recorder.seen if isinstance(e, IdeaStatusChanged)]
    assert [(e.previous, e.status) for e in routed] == [("published", "routed")]
    assert recorder.routing_seen == [True]


async def test_a_failing_handler_rolls_the_change_back(settings):
    async def refuse(event: object) -> None:
        raise DomainError("handler failed", 500)

    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    author = await make_account(settings, email="author@example.org")
    idea = await make_idea(author, status="submitted")
    with pytest.raises(DomainError):
        await decisions.publish(settings, moderator, idea.id, events=DomainEvents({IdeaStatusChanged: (refuse,)}))
    assert (await Idea.objects().get(Idea.id == idea.id)).status == "submitted"


async def test_a_reply_and_a_register_update_are_published(settings):
    recorder = Recorder()
    author = await make_account(settings, email="author@example.org")
    reader = await make_account(settings, email="reader@example.org")
    idea = await make_idea(author)
    top = await ideas.add_comment(reader, idea.id, "Goed idee", events=recorder.events())
    reply = await ideas.add_comment(author, idea.id, "Dank je", parent_id=top.id, events=recorder.events())
    comments = [e for e in recorder.seen if isinstance(e, CommentAdded)]
    assert [(e.comment_id, e.parent_id, e.author_id) for e in comments] == [
        (top.id, None, reader.id),
        (reply.id, top.id, author.id),
    ]

    editor = await make_account(settings, email="editor@example.org", role=Role.editor)
    entry = await register.create_entry(settings, editor, entry_fields())
    update = await register.post_update(
        settings, editor, entry.slug, text="We beoordelen het.", status="under_assessment", events=recorder.events()
    )
    updates = [e for e in recorder.seen if isinstance(e, EntryUpdated)]
    assert [(e.entry_id, e.update_id, e.previous_status, e.status) for e in updates] == [
        (entry.id, update.id, entry.status, "under_assessment")
    ]
