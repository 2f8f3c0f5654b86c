"""The daily job: one digest per recipient and day, nothing without activity, never twice; staff summaries."""

from __future__ import annotations

from datetime import timedelta

from participation.accounts.tables import Role
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.moderation.tables import Report
from participation.notifications import services
from participation.notifications.digests import send_daily_digests, send_staff_summaries
from participation.notifications.tables import Category, Delivery, Digest, Notification
from participation.register.tables import RegisterEntry
from participation.tasks import run_once
from tests.helpers import make_account
from tests.ideas.factories import make_comment, make_idea
from tests.notifications.conftest import comment_added, mails_to, status_changed, yesterday


async def test_a_days_activity_becomes_one_message_per_recipient(notifier, events, people, idea, mails):
    first = await make_comment(idea, people["stranger"], body="Eerste reactie.")
    second = await make_comment(idea, people["stranger"], body="Tweede reactie.")
    await comment_added(events, first, at=yesterday())
    await comment_added(events, second, at=yesterday())
    await status_changed(events, idea, "published", "expired", at=yesterday())
    mails.clear()  # the author's own decision went out at once

    assert await send_daily_digests(notifier) == 3  # the author's comments, the follower's, the supporter's

    for name in ("follower", "supporter", "author"):
        assert len(mails_to(mails, people[name])) == 1, name
    [follower_mail] = mails_to(mails, people["follower"])
    assert follower_mail["text"].count(f"/ideas/{idea.id}") == 3
    assert "3 nieuwe updates" in follower_mail["subject"] and follower_mail["category"] == "digest"
    assert "/unsubscribe/digest?token=" in follower_mail["unsubscribe_url"]
    [english] = mails_to(mails, people["supporter"])
    assert "3 new updates" in english["subject"] and english["locale"] == "en"
    pending = await Notification.count().where((Notification.delivery == "daily") & Notification.digested_at.is_null())
    assert pending == 0


async def test_nothing_is_sent_without_activity(notifier, people, idea, mails):
    assert await send_daily_digests(notifier) == 0
    assert await send_staff_summaries(notifier) == 0
    assert mails == [] and await Digest.count() == 0


async def test_a_day_is_digested_once_and_todays_activity_waits_for_tomorrow(notifier, events, people, idea, mails):
    await comment_added(events, await make_comment(idea, people["stranger"]), at=yesterday())
    await comment_added(events, await make_comment(idea, people["stranger"], body="Vandaag."), at=utcnow())

    await send_daily_digests(notifier)
    first_run = len(mails_to(mails, people["follower"]))
    await send_daily_digests(notifier)
    await send_daily_digests(notifier, now=utcnow() + timedelta(minutes=30))

    assert first_run == 1 and len(mails_to(mails, people["follower"])) == 1
    assert mails_to(mails, people["follower"])[0]["text"].count(f"/ideas/{idea.id}") == 1
    await send_daily_digests(notifier, now=utcnow() + timedelta(days=1))
    assert len(mails_to(mails, people["follower"])) == 2, "today's comment goes out tomorrow"


async def test_daily_off_and_immediate_items_never_enter_a_digest(notifier, events, people, idea, mails):
    async with write_transaction():
        await services._set_delivery(people["follower"].id, Category.following, Delivery.off)
        await services._set_delivery(people["supporter"].id, Category.following, Delivery.immediate)
    await comment_added(events, await make_comment(idea, people["stranger"]), at=yesterday())
    mails.clear()

    await send_daily_digests(notifier)

    assert mails_to(mails, people["follower"]) == [] and mails_to(mails, people["supporter"]) == []
    assert len(mails_to(mails, people["author"])) == 1


async def test_the_periodic_task_sends_the_digest(parts, events, people, idea, mails):
    await comment_added(events, await make_comment(idea, people["stranger"]), at=yesterday())

    first = await run_once(parts)
    second = await run_once(parts)

    assert first["digests_sent"] == 3 and second["digests_sent"] == 0


async def test_moderators_get_a_daily_queue_summary(settings, notifier, people, mails):
    admin = await make_account(settings, email="admin@example.org", name="Beheer", role=Role.admin)
    await make_idea(people["author"], status="submitted")
    await Report(reporter=people["follower"].id, target_type="idea", target_id=1, reason="spam").save()

    assert await send_staff_summaries(notifier) == 2  # the moderator and the admin
    assert await send_staff_summaries(notifier) == 0, "once a day"

    [mail] = mails_to(mails, people["moderator"])
    assert "1 inzending(en)" in mail["text"] and "1 open melding(en)" in mail["text"]
    assert mail["category"] == "staff" and "/unsubscribe/staff?token=" in mail["unsubscribe_url"]
    assert len(mails_to(mails, admin)) == 1
    assert mails_to(mails, people["editor"]) == [] and mails_to(mails, people["author"]) == []
    [in_app] = await Notification.select().where(Notification.account == people["moderator"].id)
    assert in_app["kind"] == "staff_moderation" and in_app["digested_at"] is not None


async def test_editors_get_due_and_overdue_responses(settings, notifier, people, mails):
    now = utcnow()
    for slug, due in (
        ("bijna", now + timedelta(days=3)),
        ("te-laat", now - timedelta(days=2)),
        ("later", now + timedelta(days=30)),
    ):
        await RegisterEntry(
            slug=slug,
            title=f"Project {slug}",
            summary="S",
            theme="energy",
            scope="narrow",
            origin="idea",
            status="received",
            response_due_at=due,
        ).save()

    assert await send_staff_summaries(notifier) == 1

    [mail] = mails_to(mails, people["editor"])
    assert "Project bijna" in mail["text"] and "Project te-laat" in mail["text"]
    assert "Project later" not in mail["text"]
    assert "1 doorgezette project(en)" in mail["text"] and "1 te laat" in mail["text"]
    assert mails_to(mails, people["moderator"]) == []


async def test_a_staff_summary_turned_off_stays_in_the_app(notifier, people, mails):
    async with write_transaction():
        await services._set_delivery(people["moderator"].id, Category.staff, Delivery.off)
    await make_idea(people["author"], status="submitted")

    await send_staff_summaries(notifier)

    assert mails == []
    assert await Notification.count().where(Notification.account == people["moderator"].id) == 1
