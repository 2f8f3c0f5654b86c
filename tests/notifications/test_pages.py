"""Through the browser: the unread count, mark read, the settings form, unsubscribe, following an entry.

The action under test goes through the form the page renders (tests/forms.py).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from participation.lib.clock import utcnow
from participation.notifications.digests import send_daily_digests
from participation.notifications.tables import Notification, NotificationSetting
from participation.register.tables import EntryFollow, RegisterEntry, RegisterUpdate
from tests.forms import expect_status, follow, form_on, open_form, text_of
from tests.helpers import PASSWORD
from tests.ideas.factories import make_comment, make_idea
from tests.notifications.conftest import comment_added, entry_updated, mails_to, status_changed, yesterday


async def sign_in(client, email: str) -> None:
    form = await open_form(client, "/login", action="/login")
    form.fill(email=email, password=PASSWORD)
    await follow(client, await form.submit(client))


def header(response) -> str:
    return text_of(response, "header")


async def test_the_unread_count_and_mark_read_through_the_forms(client, events, people, idea):
    await status_changed(events, idea, "published", "expired")
    await comment_added(events, await make_comment(idea, people["stranger"], body="Jammer!"))
    await sign_in(client, people["follower"].email)

    assert "Meldingen (2 nieuw)" in header(await client.get("/"))
    page = expect_status(await client.get("/account/notifications"), 200)
    assert "De steunperiode van het idee “Deelfietsen bij elk station”" in text_of(page)
    newest = form_on(page, button="Markeer als gelezen", selector="li.notification:first-child")
    await follow(client, await newest.submit(client))
    assert "Meldingen (1 nieuw)" in header(await client.get("/"))

    form = await open_form(client, "/account/notifications", action="/account/notifications/read")
    page = await follow(client, await form.submit(client))
    assert "Meldingen" in header(page) and "nieuw" not in header(page)
    unread = (Notification.account == people["follower"].id) & Notification.read_at.is_null()
    assert await Notification.count().where(unread) == 0


async def test_one_cannot_mark_someone_elses_notification_read(client, events, people, idea):
    await status_changed(events, idea, "published", "expired")
    others = await Notification.select(Notification.id).where(Notification.account == people["author"].id).first()
    await status_changed(events, await make_idea(people["follower"], status="submitted"), "submitted", "published")
    await sign_in(client, people["follower"].email)
    form = form_on(
        await client.get("/account/notifications"),
        button="Markeer als gelezen",
        selector="li.notification:first-child",
    )
    form.action = form.action.rsplit("/", 2)[0] + f"/{others['id']}/read"

    await form.submit(client)

    assert await Notification.count().where(Notification.read_at.is_not_null()) == 0


async def test_the_notifications_page_needs_sign_in(client):
    response = await client.get("/account/notifications")
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]


async def test_the_settings_form_on_the_account_page_changes_delivery(client, events, people, idea, mails):
    await sign_in(client, people["follower"].email)
    form = await open_form(client, "/account", action="/account/notifications/settings")
    assert form.options("following") == ["immediate", "daily", "off"]
    assert "staff" not in form.names, "staff summaries are for staff"
    form.fill(following="immediate")
    await follow(client, await form.submit(client))

    await comment_added(events, await make_comment(idea, people["stranger"]))

    assert len(mails_to(mails, people["follower"])) == 1
    assert mails_to(mails, people["supporter"]) == [], "the default (daily) still holds for others"


async def test_the_unsubscribe_link_works_without_sign_in_and_stops_that_category(client, events, people, mails):
    idea = await make_idea(people["author"], status="submitted")
    await status_changed(events, idea, "submitted", "published")
    [mail] = mails_to(mails, people["author"])
    link = urlsplit(mail["unsubscribe_url"])
    url = f"{link.path}?{link.query}"

    page = expect_status(await client.get(url), 200)  # no session, no sign-in
    form = form_on(page, button="Afmelden")
    done = await form.submit(client)
    assert done.status_code == 200 and "Gelukt" in text_of(done)

    await status_changed(events, idea, "published", "expired")
    assert len(mails_to(mails, people["author"])) == 1, "no mail about my ideas any more"
    assert [n["delivery"] for n in await Notification.select().where(Notification.account == people["author"].id)] == [
        "immediate",
        "off",
    ]


async def test_one_click_unsubscribe_as_a_mail_client_sends_it(client, notifier, events, people, idea, mails):
    """RFC 8058: the client POSTs `List-Unsubscribe=One-Click` to the link, with no cookie and no CSRF token."""
    await comment_added(events, await make_comment(idea, people["stranger"]), at=yesterday())
    await send_daily_digests(notifier)
    [digest] = mails_to(mails, people["follower"])
    link = urlsplit(digest["unsubscribe_url"])

    response = await client.post(
        f"{link.path}?{link.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 200
    setting = await NotificationSetting.select().where(NotificationSetting.account == people["follower"].id)
    assert [(s["category"], s["delivery"]) for s in setting] == [("following", "off")]
    await comment_added(events, await make_comment(idea, people["stranger"], body="Nog een."), at=yesterday())
    await send_daily_digests(notifier, now=utcnow() + timedelta(days=1))
    assert len(mails_to(mails, people["follower"])) == 1, "no digest any more"


async def test_a_forged_or_foreign_unsubscribe_link_changes_nothing(client, people, settings):
    from participation.notifications.services import unsubscribe_url

    good = urlsplit(unsubscribe_url(settings, people["author"].id, "my_ideas"))
    forged = good.query.replace("token=", "token=x")
    other_category = f"/unsubscribe/replies?{good.query}"

    assert (await client.post(f"{good.path}?{forged}")).status_code == 404
    assert (await client.post(other_category)).status_code == 404
    assert await NotificationSetting.count() == 0


async def test_following_an_entry_brings_its_updates_into_the_digest(client, notifier, events, people, mails):
    entry = RegisterEntry(
        slug="slimme-lantaarns", title="Slimme lantaarns", summary="S", theme="energy", scope="narrow"
    )
    await entry.save()
    await sign_in(client, people["stranger"].email)
    form = await open_form(client, "/register/slimme-lantaarns", action="/register/slimme-lantaarns/follow")
    page = await follow(client, await form.submit(client))
    assert "Je volgt dit project." in text_of(page)
    assert await EntryFollow.count().where(EntryFollow.account == people["stranger"].id) == 1

    update = RegisterUpdate(
        entry=entry.id,
        status="planned",
        previous_status="received",
        text="Gepland.",
        author_role="editor",
        author=people["editor"].id,
        created_at=yesterday(),
    )
    await update.save()
    await entry_updated(events, update, previous="received", at=yesterday())
    assert mails == [], "following is daily by default"
    await send_daily_digests(notifier)

    [digest] = mails_to(mails, people["stranger"])
    assert "Slimme lantaarns" in digest["text"] and "Gepland" in digest["text"]
    assert "/register/slimme-lantaarns" in digest["text"]

    form = await open_form(client, "/register/slimme-lantaarns", action="/register/slimme-lantaarns/unfollow")
    await follow(client, await form.submit(client))
    assert await EntryFollow.count() == 0


async def test_an_anonymous_visitor_is_offered_sign_in_to_follow_an_entry(client):
    await RegisterEntry(slug="open-data", title="Open data", summary="S", theme="energy", scope="narrow").save()
    page = expect_status(await client.get("/register/open-data"), 200)
    assert "Log in om dit project te volgen" in text_of(page)
    assert (await client.post("/register/open-data/follow")).status_code in (302, 303, 403)
    assert await EntryFollow.count() == 0
