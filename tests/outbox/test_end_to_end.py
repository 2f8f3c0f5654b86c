"""The whole loop over a real SMTP server: a moderator's decision on the rendered page, the
notification written in the decision's transaction, the outbox worker, the mail in the
author's language with the reason, and the one-click unsubscribe that stops that category."""

from __future__ import annotations

import httpx

from ideas.tables import Idea
from participation.accounts.tables import Account, Role
from participation.notifications.tables import Notification
from tests.forms import open_form
from tests.helpers import make_account, sign_in
from tests.ideas.factories import make_idea
from tests.outbox.test_delivery import text_of


async def _english_author(settings) -> Account:
    author = await make_account(settings, email="sam@example.org", name="Sam")
    author.locale = "en"
    await author.save([Account.locale])
    return author


async def _reject_on_the_page(client, idea_id: int, message: str):
    form = await open_form(client, f"/moderation/ideas/{idea_id}", action=f"/moderation/ideas/{idea_id}/reject")
    form.fill(category="off_topic", message=message)
    return await form.submit(client)


async def test_a_rejection_reaches_the_author_in_their_language_and_unsubscribe_stops_it(
    client, settings, mailbox, outbox
):
    author = await _english_author(settings)
    await make_account(settings, email="mod@example.org", role=Role.moderator)
    first = await make_idea(author, status="submitted", title="Smart benches in the town centre")
    second = await make_idea(author, status="submitted", title="Sensors for the canals in Dorp")
    await sign_in(client, "mod@example.org")

    response = await _reject_on_the_page(client, first.id, "Dit gaat niet over de stad.")
    assert response.status_code == 302
    assert (await Idea.objects().get(Idea.id == first.id)).status == "rejected"

    [mail] = [m for m in mailbox.messages if m["To"] == "sam@example.org"]
    assert mail["Subject"].startswith("Your idea was not published")  # English: the author's language
    assert "Dit gaat niet over de stad." in text_of(mail)  # the moderator's reason, as written
    assert "Smart benches in the town centre" in text_of(mail)
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The one-click POST a mail client sends: no session, no CSRF token.
    async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver.local") as stranger:
        done = await stranger.post(unsubscribe, content="List-Unsubscribe=One-Click")
    assert done.status_code == 200

    mailbox.messages.clear()
    response = await _reject_on_the_page(client, second.id, "Ook dit valt erbuiten.")
    assert response.status_code == 302
    assert [m for m in mailbox.messages if m["To"] == "sam@example.org"] == []  # that category is off now
    # Still told in the app.
    kinds = await Notification.select(Notification.idea_id).where(Notification.account == author.id)
    assert {row["idea_id"] for row in kinds} == {first.id, second.id}
