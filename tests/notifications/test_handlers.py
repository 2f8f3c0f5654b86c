"""Who is told what, when a domain event is published in the change's transaction."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from ideas.events import IdeaStatusChanged
from ideas.tables import Idea
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.notifications import services
from participation.notifications.tables import Category, Delivery, Notification
from participation.register import services as register
from participation.register.tables import EntryFollow, RegisterUpdate
from tests.ideas.factories import make_comment, make_idea
from tests.notifications.conftest import (
    comment_added,
    entry_updated,
    mails_to,
    notifications_of,
    status_changed,
)
from voting.tables import Routing


@pytest.mark.parametrize(
    ("previous", "status", "reason", "expected"),
    [
        ("submitted", "published", None, "is gepubliceerd"),
        ("submitted", "needs_changes", "Maak de titel korter.", "Maak de titel korter."),
        ("submitted", "rejected", "Dit is reclame.", "Dit is reclame."),
        ("published", "expired", None, "steunperiode van je idee"),
    ],
)
async def test_the_author_is_told_of_a_decision_at_once(
    events, people, idea, mails, previous, status, reason, expected
):
    await status_changed(events, idea, previous, status, reason=reason)

    [told] = await notifications_of(people["author"])
    assert (told["category"], told["kind"], told["delivery"]) == ("my_ideas", f"idea_{status}", "immediate")
    assert told["emailed_at"] is not None and told["read_at"] is None
    [mail] = mails_to(mails, people["author"])
    assert expected in mail["text"] and expected in mail["html"]
    assert mail["locale"] == "nl" and mail["category"] == "my_ideas"
    assert "Zoetermeer" in mail["subject"] or "Zoetermeer" in mail["text"]
    assert mail["unsubscribe_url"] and "/unsubscribe/my_ideas?token=" in mail["unsubscribe_url"]


async def test_a_rejection_reaches_an_english_author_in_english(events, people, mails):
    idea = await make_idea(people["supporter"], status="submitted", title="Smart benches in the park")
    await status_changed(events, idea, "submitted", "rejected", reason="This is advertising.")

    [mail] = mails_to(mails, people["supporter"])
    assert "was not published: This is advertising." in mail["text"]
    assert mail["locale"] == "en"


async def test_the_reason_in_the_html_mail_is_escaped(events, people, mails):
    idea = await make_idea(people["author"], status="submitted")
    await status_changed(events, idea, "submitted", "rejected", reason="<script>alert(1)</script>")

    [mail] = mails_to(mails, people["author"])
    assert "<script>" not in mail["html"] and "&lt;script&gt;" in mail["html"]


async def test_followers_and_supporters_hear_of_a_status_change_in_their_digest(events, people, idea, mails):
    await status_changed(events, idea, "published", "expired")

    for name in ("follower", "supporter"):
        [told] = await notifications_of(people[name])
        assert (told["category"], told["delivery"], told["emailed_at"]) == ("following", "daily", None)
    [author_note] = await notifications_of(people["author"])
    assert author_note["category"] == "my_ideas", "the author is told once, as the author"
    assert await notifications_of(people["stranger"]) == []
    assert [m["to"] for m in mails] == [people["author"].email]


async def test_merged_links_to_the_original(events, people, idea, mails):
    original = await make_idea(people["stranger"], status="published", title="Deelfietsen overal in de stad")
    await status_changed(events, idea, "published", "merged", merged_into=original.id)

    [told] = await notifications_of(people["author"])
    assert told["link"] == f"/ideas/{original.id}"
    [mail] = mails_to(mails, people["author"])
    assert "Deelfietsen overal in de stad" in mail["text"] and f"/ideas/{original.id}" in mail["text"]


async def test_routed_tells_the_register_link_and_the_due_date(settings, events, people, idea, mails):
    due = utcnow() + timedelta(weeks=6)
    async with write_transaction():
        entry = await register.create_routed_entry(
            title=idea.title,
            summary=idea.summary,
            theme=idea.theme,
            scope=idea.scope,
            neighbourhood=idea.neighbourhood,
            origin="idea",
            idea_id=idea.id,
            personal_data=None,
            personal_data_description=None,
            response_due_at=due,
        )
        await Routing(
            idea=idea.id, support_count=100, threshold=100, method="threshold", register_entry_id=entry.id
        ).save()
        await Idea.update({Idea.status: "routed"}).where(Idea.id == idea.id)
        await events.publish(IdeaStatusChanged(idea.id, "published", "routed", utcnow()))

    [mail] = mails_to(mails, people["author"])
    assert f"{settings.base_url}/register/{entry.slug}" in mail["text"]
    local_due = due.astimezone(ZoneInfo(settings.city.timezone)).date()
    assert str(local_due.year) in mail["text"] and "uiterlijk" in mail["text"]
    [follower_note] = await notifications_of(people["follower"])
    assert (follower_note["kind"], follower_note["entry_id"]) == ("idea_routed", entry.id)


async def test_the_actor_of_a_withdrawal_is_not_told(events, people, idea, mails):
    await status_changed(events, idea, "published", "withdrawn", reason="elsewhere")

    assert await notifications_of(people["author"]) == []
    assert [n["kind"] for n in await notifications_of(people["follower"])] == ["idea_withdrawn"]
    assert mails == []


async def test_a_comment_reaches_followers_and_supporters_but_not_its_author(events, people, idea, mails):
    comment = await make_comment(idea, people["follower"], body="Goed plan!")
    await comment_added(events, comment)

    assert await notifications_of(people["follower"]) == [], "the commenter follows the idea but wrote it"
    for name in ("author", "supporter"):
        [told] = await notifications_of(people[name])
        assert (told["kind"], told["category"], told["delivery"]) == ("comment", "following", "daily")
    assert mails == [], "comments on followed ideas wait for the digest by default"


async def test_a_reply_reaches_the_parent_comment_author_at_once_and_only_once(events, people, idea, mails):
    parent = await make_comment(idea, people["supporter"], body="Waar komen de fietsen?")
    reply = await make_comment(idea, people["author"], body="Bij elk station.", parent=parent)
    await comment_added(events, reply)

    [told] = await notifications_of(people["supporter"])
    assert (told["kind"], told["category"], told["delivery"]) == ("reply", "replies", "immediate")
    [mail] = mails_to(mails, people["supporter"])
    assert "replied to your comment" in mail["text"] and mail["locale"] == "en"
    assert await notifications_of(people["author"]) == [], "the replier is the actor"
    assert [n["kind"] for n in await notifications_of(people["follower"])] == ["comment"]


async def test_an_entry_update_reaches_the_source_author_and_entry_followers_not_the_editor(
    settings, events, people, idea, mails
):
    async with write_transaction():
        entry = await register.create_routed_entry(
            title=idea.title,
            summary=idea.summary,
            theme=idea.theme,
            scope=idea.scope,
            neighbourhood=None,
            origin="idea",
            idea_id=idea.id,
            personal_data=None,
            personal_data_description=None,
            response_due_at=utcnow() + timedelta(weeks=6),
        )
    for account in (people["stranger"], people["editor"]):
        await EntryFollow(account=account.id, entry=entry.id).save()
    update = RegisterUpdate(
        entry=entry.id,
        status="under_assessment",
        previous_status="received",
        text="We kijken ernaar.",
        author_role="editor",
        author=people["editor"].id,
    )
    await update.save()
    await entry_updated(events, update, previous="received")

    [author_note] = await notifications_of(people["author"])
    assert (author_note["kind"], author_note["category"], author_note["delivery"]) == (
        "entry_status",
        "my_ideas",
        "immediate",
    )
    [mail] = mails_to(mails, people["author"])
    assert "In beoordeling" in mail["text"] and f"/register/{entry.slug}" in mail["text"]
    for name in ("stranger", "follower", "supporter"):
        [told] = await notifications_of(people[name])
        assert (told["category"], told["entry_id"]) == ("following", entry.id)
    assert await notifications_of(people["editor"]) == [], "the editor posted it"


async def test_the_platforms_own_routing_update_is_not_told_twice(events, people, idea):
    async with write_transaction():
        entry = await register.create_routed_entry(
            title=idea.title,
            summary=idea.summary,
            theme=idea.theme,
            scope=idea.scope,
            neighbourhood=None,
            origin="idea",
            idea_id=idea.id,
            personal_data=None,
            personal_data_description=None,
            response_due_at=utcnow() + timedelta(weeks=6),
        )
    update = await RegisterUpdate.objects().get(RegisterUpdate.entry == entry.id)
    await entry_updated(events, update, previous="received")

    assert await Notification.count() == 0


async def test_settings_decide_between_at_once_daily_and_off(events, people, idea, mails):
    async with write_transaction():
        await services._set_delivery(people["follower"].id, Category.following, Delivery.immediate)
        await services._set_delivery(people["author"].id, Category.my_ideas, Delivery.off)
        await services._set_delivery(people["supporter"].id, Category.following, Delivery.off)

    await status_changed(events, idea, "published", "expired")

    assert [m["to"] for m in mails] == [people["follower"].email]
    deliveries = {
        name: [(n["delivery"], n["emailed_at"] is not None) for n in await notifications_of(people[name])]
        for name in ("author", "follower", "supporter")
    }
    assert deliveries == {
        "author": [("off", False)],  # still in the app
        "follower": [("immediate", True)],
        "supporter": [("off", False)],
    }


async def test_an_unconfirmed_address_gets_no_mail_but_sees_it_in_the_app(events, people, mails):
    from participation.accounts.tables import Account

    author = people["author"]
    author.email_verified_at = None
    await author.save([Account.email_verified_at])
    idea = await make_idea(author, status="submitted")
    await status_changed(events, idea, "submitted", "published")

    assert mails == []
    assert [n["delivery"] for n in await notifications_of(author)] == ["off"]


async def test_a_rolled_back_change_leaves_no_notification(events, people, idea):
    class Refused(Exception):
        pass

    with pytest.raises(Refused):
        async with write_transaction():
            await events.publish(IdeaStatusChanged(idea.id, "published", "expired", utcnow()))
            assert await Notification.count() > 0, "written inside the transaction"
            raise Refused()

    assert await Notification.count() == 0
