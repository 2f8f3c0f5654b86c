"""Delete your account: the person is erased everywhere, what they contributed stays and still counts."""

from __future__ import annotations

from piccolo.columns import Text, Varchar

from ideas.tables import Comment, Idea
from participation.accounts.tables import Account, ApiToken, Role, SecurityEvent
from participation.database import all_tables
from participation.moderation.tables import ModerationDecision
from participation.notifications.tables import Notification
from participation.outbox.tables import OutboxMessage
from tests.forms import follow, open_form, text_of
from tests.helpers import PASSWORD, make_account
from tests.privacy.conftest import OTHER_EMAIL, SUBJECT_EMAIL, SUBJECT_NAME, SUBJECT_ORGANISATION
from tests.privacy.test_export import confirm_password, goes_to, signed_in
from voting.tables import Routing, Support

TRACES = (SUBJECT_EMAIL, SUBJECT_NAME, SUBJECT_ORGANISATION, "87654321")


async def traces_of_the_person() -> list[str]:
    """Every text value in every table that still holds the email, name, organisation or KvK number."""
    found = []
    for table in all_tables():
        columns = [c for c in table._meta.columns if isinstance(c, Varchar | Text)]
        if not columns:
            continue
        for row in await table.select(table._meta.primary_key, *columns):
            for key, value in row.items():
                if isinstance(value, str) and any(trace.lower() in value.lower() for trace in TRACES):
                    found.append(f"{table._meta.tablename}.{key} (row {row.get('id')}): {value[:80]!r}")
    return found


async def counts() -> dict[str, object]:
    return {
        "ideas": await Idea.count(),
        "comments": await Comment.count(),
        "supports": await Support.count(),
        "support_counts": await Idea.select(Idea.id, Idea.support_count).order_by(Idea.id),
        "routings": await Routing.select().order_by(Routing.id),
    }


async def test_deleting_leaves_no_trace_of_email_or_name_while_contributions_and_counts_stay(client, world):
    assert await traces_of_the_person()  # the search finds the person before
    before = await counts()
    # The other person's reply notice quotes the subject's name, in the app and queued as mail.
    assert await Notification.exists().where(Notification.payload.like(f"%{SUBJECT_ORGANISATION}%"))

    browser = await signed_in(client, SUBJECT_EMAIL)
    assert goes_to(await confirm_password(browser, "/account/delete")) == "/account/delete"
    form = await open_form(browser, "/account/delete", action="/account/delete")
    refused = await form.submit(browser)
    assert refused.status_code == 422
    assert "Vink het vakje aan" in text_of(refused)
    form = await open_form(browser, "/account/delete", action="/account/delete")
    done = await follow(browser, await form.fill(understood="yes").submit(browser))
    assert "Uw account is verwijderd" in text_of(done)

    assert await traces_of_the_person() == []
    assert await counts() == before
    # The sessions ended: this browser is signed out, and the old password opens nothing.
    assert (await browser.get("/account")).status_code in (302, 303, 401)
    again = await open_form(browser, "/login", action="/login")
    assert (await again.fill(email=SUBJECT_EMAIL, password=PASSWORD).submit(browser)).status_code == 401
    assert not await ApiToken.exists().where(ApiToken.account == world.subject.id)
    assert await SecurityEvent.exists().where(
        (SecurityEvent.account == world.subject.id) & (SecurityEvent.kind == "account_deleted")
    )
    # Contributions stay, shown as a former participant's.
    idea_page = await client.get(f"/ideas/{world.subject_idea.id}")
    assert "Oud-deelnemer" in text_of(idea_page)
    discussion = await client.get(f"/ideas/{world.other_idea.id}?lang=en")
    assert "Ik doe graag mee met de moestuin." in discussion.text and "Former participant" in text_of(discussion)
    # The other person's notice now reads "A former participant replied ...".
    other = await signed_in(client, OTHER_EMAIL)
    notices = await other.get("/account/notifications")
    assert "oud-deelnemer" in text_of(notices).lower()
    assert await OutboxMessage.count().where(OutboxMessage.recipient == SUBJECT_EMAIL) == 0


async def test_staff_delete_an_account_for_someone_who_cannot_sign_in(client, settings, world):
    admin = await make_account(settings, email="beheer@example.org", name="Beheerder", role=Role.admin)
    moderator = await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator)
    mod_browser = await signed_in(client, moderator.email)
    page = await mod_browser.get(f"/moderation/accounts/{world.subject.id}")
    assert page.status_code == 200 and "/erase" not in page.text

    browser = await signed_in(client, admin.email)
    form = await open_form(
        browser, f"/moderation/accounts/{world.subject.id}", action=f"/moderation/accounts/{world.subject.id}/erase"
    )
    refused = await form.submit(browser)
    assert refused.status_code == 422
    form = await open_form(
        browser, f"/moderation/accounts/{world.subject.id}", action=f"/moderation/accounts/{world.subject.id}/erase"
    )
    form.fill(erase_reason="Verzoek per brief van 20 november, identiteit aan de balie gecontroleerd.")
    log = await follow(browser, await form.submit(browser))
    assert "Account verwijderd op verzoek" in text_of(log)

    assert await traces_of_the_person() == []
    decision = await ModerationDecision.objects().get(ModerationDecision.action == "erase_account")
    assert (decision.actor, decision.target_type, decision.target_id) == (admin.id, "account", world.subject.id)
    account = await Account.objects().get(Account.id == world.subject.id)
    assert account.deleted_at is not None and account.display_name == ""
    assert (await client.get(f"/moderation/accounts/{world.subject.id}")).status_code in (302, 303, 401, 404)


async def test_decisions_of_a_deleted_staff_member_say_a_former_staff_member_decided(client, settings, world):
    """Not "the platform": a person did decide; they are just no longer named."""
    admin = await make_account(settings, email="beheer@example.org", name="Beheerder", role=Role.admin)
    moderator = await make_account(settings, email="mod@example.org", name="Mia Moderatorius", role=Role.moderator)
    mod_browser = await signed_in(client, moderator.email)
    path = f"/moderation/accounts/{world.other.id}"
    form = await open_form(mod_browser, path, action=f"{path}/suspend")
    await follow(mod_browser, await form.fill(reason="Herhaaldelijk reclame geplaatst.").submit(mod_browser))

    browser = await signed_in(client, admin.email)
    form = await open_form(
        browser, f"/moderation/accounts/{moderator.id}", action=f"/moderation/accounts/{moderator.id}/erase"
    )
    await follow(browser, await form.fill(erase_reason="Medewerker uit dienst; verzoek via HR.").submit(browser))

    log = text_of(await browser.get(f"/moderation/log?target_type=account&target_id={world.other.id}"))
    assert "een oud-medewerker" in log and "Mia Moderatorius" not in log
