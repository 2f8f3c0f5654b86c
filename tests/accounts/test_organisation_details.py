"""An organisation changes its name and KvK number on /account/organisation: a taken number is
refused (also in a race), and a verified organisation that changes them is verified no longer."""

from __future__ import annotations

import asyncio
from collections import Counter

from ideas.tables import Idea
from participation.accounts.kvk import KVK_TAKEN
from participation.accounts.tables import Account
from participation.accounts.verification import set_verification
from tests.accounts.tools import another_browser, dutch, field_error, page_text
from tests.forms import form_on
from tests.helpers import csrf_from, make_account, sign_in
from tests.voting.conftest import publish_idea
from voting import services as voting


async def organisation_browser(client, settings, email: str, kvk: str, name: str = "Lab B.V."):
    account = await make_account(settings, email=email, name="Eva", organisation=name, kvk=kvk)
    browser = another_browser(client)
    await sign_in(browser, email)
    browser.follow_redirects = False
    return account, browser


async def details_form(browser):
    account_page = await browser.get("/account")
    assert 'href="/account/organisation"' in account_page.text  # how the person gets there
    return form_on(await browser.get("/account/organisation"), button=dutch("Save organisation details"))


async def test_an_organisation_changes_its_details(client, settings):
    account, browser = await organisation_browser(client, settings, "info@lab.example", "12345678")
    form = await details_form(browser)
    response = await form.fill(organisation_name="Lab Zoetermeer B.V.", kvk_number="8765 4321").submit(browser)
    assert response.status_code == 303
    saved = await Account.objects().get(Account.id == account.id)
    assert (saved.organisation_name, saved.kvk_number) == ("Lab Zoetermeer B.V.", "87654321")


async def test_a_taken_number_is_refused_on_the_field(client, settings):
    await make_account(settings, email="other@lab.example", name="Ruben", organisation="Ander B.V.", kvk="11112222")
    account, browser = await organisation_browser(client, settings, "info@lab.example", "12345678")
    response = await (await details_form(browser)).fill(kvk_number="1111.2222").submit(browser)
    assert response.status_code == 422
    assert field_error(response, "kvk_number") == dutch(KVK_TAKEN)
    assert (await Account.objects().get(Account.id == account.id)).kvk_number == "12345678"


async def test_a_verified_organisation_that_changes_its_number_is_verified_no_longer(client, settings, events):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    account, browser = await organisation_browser(client, settings, "info@lab.example", "12345678")
    idea = await publish_idea(settings, author)
    await set_verification(account.id, organisation=True, events=events)
    account.verified_organisation = True
    await voting.support_idea(settings, account, idea.id, events=events)
    assert dutch("verified organisation") in page_text(await browser.get("/account"))

    form = await details_form(browser)
    response = await form.fill(kvk_number="87654321").submit(browser)
    assert response.status_code == 303
    assert not (await Account.objects().get(Account.id == account.id)).verified_organisation
    row = await Idea.select(Idea.verified_support_count).where(Idea.id == idea.id).first()
    assert row["verified_support_count"] == 0  # its support no longer counts as verified
    page = page_text(await browser.get("/account"))
    assert (
        dutch("Your organisation is no longer shown as verified until the municipality checks the new details.") in page
    )


async def test_a_resident_has_no_organisation_details(client, settings):
    await make_account(settings, email="noor@example.org", name="Noor")
    browser = another_browser(client)
    await sign_in(browser, "noor@example.org")
    assert (await browser.get("/account/organisation")).status_code == 404
    assert 'href="/account/organisation"' not in (await browser.get("/account")).text


async def test_two_organisations_taking_one_number_at_once(client, settings):
    browsers = [
        (await organisation_browser(client, settings, f"org{i}@lab.example", f"1000000{i}", f"Lab {i}"))[1]
        for i in range(1, 7)
    ]
    tokens = [csrf_from((await b.get("/account/organisation")).text) for b in browsers]
    responses = await asyncio.gather(
        *(
            b.post(
                "/account/organisation",
                data={"_csrf_token": t, "organisation_name": f"Lab {i}", "kvk_number": "55667788"},
            )
            for i, (b, t) in enumerate(zip(browsers, tokens, strict=True), start=1)
        )
    )
    assert Counter(r.status_code for r in responses) == {303: 1, 422: 5}  # no 500
    assert await Account.count().where(Account.kvk_number == "55667788") == 1
