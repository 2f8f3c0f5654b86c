"""Account flows through the rendered forms: sign-up, verification, sign in and out, passwords."""

from __future__ import annotations

from participation.accounts.tables import Account
from tests.flows.conftest import outcome, sign_in_with_form
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.helpers import PASSWORD, link_from, make_account

NEW_PASSWORD = "vier paarden drinken koffie"


async def test_resident_signs_up_verifies_and_signs_in(browser, outbox):
    visitor = await browser()
    form = await open_form(visitor, "/account/register", action="/account/register")
    form.fill(display_name="Noor", email="Noor@Example.org", password=PASSWORD, neighbourhood="oosterheem")
    page = await outcome(visitor, await form.submit(visitor))
    assert "noor@example.org" in text_of(page)

    account = await Account.objects().get(Account.email == "noor@example.org")
    assert (account.kind, account.display_name, account.neighbourhood) == ("resident", "Noor", "oosterheem")
    assert account.email_verified_at is None

    # The person opens the link in the mail the platform sent.
    assert [m.to for m in outbox] == ["noor@example.org"]
    confirmed = await visitor.get(link_from(outbox[-1].body, "/account/verify"))
    assert confirmed.status_code == 200
    account = await Account.objects().get(Account.email == "noor@example.org")
    assert account.email_verified_at is not None

    signed_in = await sign_in_with_form(visitor, "noor@example.org")
    assert str(signed_in.url).endswith("/account")
    assert "Noor" in text_of(signed_in, "header")


async def test_organisation_signs_up(browser, outbox):
    visitor = await browser()
    # The resident form links to the organisation form; a person follows that link.
    resident_page = await visitor.get("/account/register")
    assert "/account/register?kind=organisation" in resident_page.text
    form = await open_form(visitor, "/account/register?kind=organisation", action="/account/register")
    form.fill(
        organisation_name="LichtLab B.V.",
        kvk_number="12345678",
        contact_name="Sam de Vries",
        email="sam@lichtlab.example",
        password=PASSWORD,
    )
    await outcome(visitor, await form.submit(visitor))

    account = await Account.objects().get(Account.email == "sam@lichtlab.example")
    assert account.kind == "organisation"
    assert (account.organisation_name, account.kvk_number, account.display_name) == (
        "LichtLab B.V.",
        "12345678",
        "Sam de Vries",
    )
    assert outbox[-1].to == "sam@lichtlab.example"


async def test_sign_up_errors_are_shown_on_the_form(browser):
    visitor = await browser()
    form = await open_form(visitor, "/account/register", action="/account/register")
    form.fill(display_name="Noor", email="not-an-address", password="kort")
    response = await form.submit(visitor)
    assert response.status_code == 422
    again = form_on(response, action="/account/register")
    # What the person typed is kept; the password is not sent back.
    assert dict(again.data())["display_name"] == "Noor"
    assert dict(again.data())["password"] == ""
    assert await Account.count() == 0


async def test_sign_in_and_out(settings, browser):
    await make_account(settings, email="lid@example.org", name="Lid")
    visitor = await browser()
    form = await open_form(visitor, "/login", action="/login")
    form.fill(email="lid@example.org", password=PASSWORD, remember=True)
    page = await follow(visitor, await form.submit(visitor))
    assert "Lid" in text_of(page, "header")
    assert (await visitor.get("/account")).status_code == 200

    sign_out = form_on(page, action="/logout")
    home = await follow(visitor, await sign_out.submit(visitor))
    assert str(home.url).endswith("/")
    assert "Lid" not in text_of(home, "header")
    assert (await visitor.get("/account")).status_code != 200


async def test_sign_in_with_a_wrong_password_says_so(settings, browser):
    await make_account(settings, email="lid@example.org", name="Lid")
    visitor = await browser()
    form = await open_form(visitor, "/login", action="/login")
    form.fill(email="lid@example.org", password="niet het goede wachtwoord")
    response = await form.submit(visitor)
    assert response.status_code in (400, 401, 422)
    assert (await visitor.get("/account")).status_code != 200


async def test_sign_in_returns_to_the_page_that_asked(settings, browser, published):
    await make_account(settings, email="lid@example.org", name="Lid")
    visitor = await browser()
    form = await open_form(visitor, f"/login?next=/ideas/{published.id}", action="/login")
    form.fill(email="lid@example.org", password=PASSWORD)
    page = await follow(visitor, await form.submit(visitor))
    assert str(page.url).endswith(f"/ideas/{published.id}")


async def test_password_reset_from_the_mailed_link(settings, browser, outbox):
    await make_account(settings, email="lid@example.org", name="Lid")
    visitor = await browser()
    assert "/account/forgot" in (await visitor.get("/login")).text
    forgot = await open_form(visitor, "/account/forgot", action="/account/forgot")
    forgot.fill(email="lid@example.org")
    await outcome(visitor, await forgot.submit(visitor))
    assert outbox[-1].to == "lid@example.org"

    reset = await open_form(visitor, link_from(outbox[-1].body, "/account/reset"), action="/account/reset")
    reset.fill(password="kort")
    refused = await reset.submit(visitor)
    assert refused.status_code == 422 and "password" in page_problems(refused).fields
    reset = form_on(refused, action="/account/reset")  # the link's token is still in the form
    reset.fill(password=NEW_PASSWORD)
    login_page = await follow(visitor, await reset.submit(visitor))
    assert str(login_page.url).endswith("/login")

    old = await open_form(visitor, "/login", action="/login")
    old.fill(email="lid@example.org", password=PASSWORD)
    assert not (await old.submit(visitor)).is_redirect
    form = await open_form(visitor, "/login", action="/login")
    form.fill(email="lid@example.org", password=NEW_PASSWORD)
    assert "Lid" in text_of(await follow(visitor, await form.submit(visitor)), "header")


async def test_change_password_while_signed_in(settings, browser):
    await make_account(settings, email="lid@example.org", name="Lid")
    visitor = await browser("lid@example.org")
    form = await open_form(visitor, "/account/password", action="/account/password")
    form.fill(current_password=PASSWORD, password=NEW_PASSWORD)
    page = await follow(visitor, await form.submit(visitor))
    assert str(page.url).endswith("/account")

    other = await browser()
    assert "Lid" in text_of(await sign_in_with_form(other, "lid@example.org", NEW_PASSWORD), "header")


async def test_resend_the_verification_link(settings, browser, outbox):
    await make_account(settings, email="nieuw@example.org", name="Nieuw", verified=False)
    visitor = await browser("nieuw@example.org")
    outbox.clear()
    form = await open_form(visitor, "/account", action="/account/verify/resend")
    await follow(visitor, await form.submit(visitor))
    assert [m.to for m in outbox] == ["nieuw@example.org"]
    await visitor.get(link_from(outbox[-1].body, "/account/verify"))
    account = await Account.objects().get(Account.email == "nieuw@example.org")
    assert account.email_verified_at is not None
