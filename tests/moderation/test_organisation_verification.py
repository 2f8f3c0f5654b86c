"""Staff verify an organisation's KvK number by hand: the form on the staff account page, the
decision log, the recount of its supports, the "verified organisation" on its pilot; and revoking."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.moderation import verification
from participation.moderation.tables import ModerationDecision
from participation.validation import DomainError
from tests.accounts.tools import dutch, field_error, page_text
from tests.forms import form_on
from tests.helpers import make_account
from tests.moderation.conftest import browser_as
from tests.voting.conftest import publish_idea
from voting import services as voting

NOTE = "Handelsregister geraadpleegd op 29-11-2026: inschrijving actief, handelsnaam Slimme Lantaarn B.V."


@pytest.fixture
async def organisation(settings) -> Account:
    return await make_account(
        settings, email="info@lantaarn.example", name="Eva", organisation="Slimme Lantaarn B.V.", kvk="12345678"
    )


async def account_form(browser, account_id: int, button: str):
    page = await browser.get(f"/moderation/accounts/{account_id}")
    assert page.status_code == 200
    return form_on(page, button=button)


async def log_of(account_id: int) -> list[tuple[str, str]]:
    rows = await ModerationDecision.select(ModerationDecision.action, ModerationDecision.reason).where(
        (ModerationDecision.target_type == "account") & (ModerationDecision.target_id == account_id)
    )
    return [(r["action"], r["reason"]) for r in rows]


async def test_a_moderator_verifies_an_organisation_and_its_pilot_says_so(
    client, settings, people, organisation, events
):
    pilot = await publish_idea(settings, organisation, kind="pilot", title="Slimme lantaarns proef")
    idea = await publish_idea(settings, people["author"])
    await voting.support_idea(settings, organisation, idea.id, events=events)
    before = await client.get(f"/ideas/{pilot.id}")
    assert dutch("verified organisation") not in page_text(before)

    moderator = await browser_as(client, people["moderator"].email)
    form = await account_form(moderator, organisation.id, dutch("Verify the organisation"))
    response = await form.fill(kvk_checked="1234 5678", verification_note=NOTE).submit(moderator)

    assert response.status_code == 303
    account = await Account.objects().get(Account.id == organisation.id)
    assert account.verified_organisation and account.verified_at is not None and not account.verified_resident
    assert await log_of(organisation.id) == [("verify_organisation", f"KvK 12345678: {NOTE}")]
    # Its support now counts as verified, in the same transaction as the change.
    row = await Idea.select(Idea.support_count, Idea.verified_support_count).where(Idea.id == idea.id).first()
    assert (row["support_count"], row["verified_support_count"]) == (1, 1)
    staff_view = page_text(await moderator.get(f"/moderation/ideas/{idea.id}"))
    assert f"1 ({dutch('%(num)s from verified accounts', num=1)})" in staff_view
    page = page_text(await client.get(f"/ideas/{pilot.id}"))
    assert f'Slimme Lantaarn B.V. <span class="verified-organisation">{dutch("verified organisation")}</span>' in page
    english = page_text(await client.get(f"/ideas/{pilot.id}?lang=en"))
    assert "verified organisation" in english
    api = (await client.get(f"/api/v1/ideas/{pilot.id}")).json()
    assert api["author"] == "Slimme Lantaarn B.V." and api["author_verified_organisation"] is True

    # The staff page now offers revoking instead; the reason goes into the log and the count follows.
    form = await account_form(moderator, organisation.id, dutch("Revoke the verification"))
    response = await form.fill(revoke_reason="Inschrijving opgeheven volgens het Handelsregister.").submit(moderator)
    assert response.status_code == 303
    assert not (await Account.objects().get(Account.id == organisation.id)).verified_organisation
    assert [a for a, _ in await log_of(organisation.id)] == ["verify_organisation", "revoke_organisation"]
    row = await Idea.select(Idea.verified_support_count).where(Idea.id == idea.id).first()
    assert row["verified_support_count"] == 0
    assert dutch("verified organisation") not in page_text(await client.get(f"/ideas/{pilot.id}"))


async def test_a_number_that_is_not_the_accounts_verifies_nothing(client, people, organisation):
    moderator = await browser_as(client, people["moderator"].email)
    form = await account_form(moderator, organisation.id, dutch("Verify the organisation"))
    response = await form.fill(kvk_checked="87654321", verification_note=NOTE).submit(moderator)

    assert response.status_code == 422
    assert field_error(response, "kvk_checked") == dutch(
        "This is not the KvK number of this account. Type the number as the Handelsregister shows it."
    )
    assert NOTE in page_text(response), "what the moderator typed is kept"
    assert not (await Account.objects().get(Account.id == organisation.id)).verified_organisation
    assert await log_of(organisation.id) == []


async def test_what_was_checked_is_required(client, people, organisation):
    moderator = await browser_as(client, people["moderator"].email)
    form = await account_form(moderator, organisation.id, dutch("Verify the organisation"))
    response = await form.fill(kvk_checked="12345678", verification_note="  ").submit(moderator)
    assert response.status_code == 422
    assert field_error(response, "verification_note") == dutch("This field is required.")
    assert not (await Account.objects().get(Account.id == organisation.id)).verified_organisation


async def test_only_organisations_with_a_number_and_only_moderators(settings, people, organisation, events):
    refusals = [
        (people["editor"], organisation, 403),  # moderators and administrators only
        (people["moderator"], people["member"], 409),  # a resident: no organisation to verify
    ]
    for actor, target, status in refusals:
        with pytest.raises(DomainError) as refused:
            await verification.verify_organisation(actor, target.id, "12345678", NOTE, events=events)
        assert refused.value.status_code == status
    await verification.verify_organisation(people["admin"], organisation.id, "12345678", NOTE, events=events)
    with pytest.raises(DomainError) as again:
        await verification.verify_organisation(people["moderator"], organisation.id, "12345678", NOTE, events=events)
    assert again.value.status_code == 409
    assert [a for a, _ in await log_of(organisation.id)] == ["verify_organisation"]


async def test_a_residents_staff_page_offers_no_organisation_verification(client, people):
    moderator = await browser_as(client, people["moderator"].email)
    page = await moderator.get(f"/moderation/accounts/{people['member'].id}")
    assert page.status_code == 200
    assert dutch("Verify the organisation") not in page_text(page)
