"""Staff-only checks: the role guards on routes and the `participation accounts` commands."""

from __future__ import annotations

import pytest

from participation.accounts.tables import Account, Role, TwoFactor
from tests.accounts.tools import dutch
from tests.helpers import PASSWORD, make_account, post_form, sign_in

STAFF_PASSWORD = "staff passphrase for the town hall"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.member, set()),
        (Role.moderator, {"/probe/moderator", "/probe/staff"}),
        (Role.editor, {"/probe/editor", "/probe/staff"}),
        (Role.admin, {"/probe/moderator", "/probe/editor", "/probe/staff"}),
    ],
)
async def test_role_guards(probe_client, settings, role, allowed):
    await make_account(settings, email="someone@example.org", role=role)
    await sign_in(probe_client, "someone@example.org")
    for path in ("/probe/moderator", "/probe/editor", "/probe/staff"):
        response = await probe_client.get(path)
        assert response.status_code == (200 if path in allowed else 403), (role, path)


async def test_anonymous_visitor_is_sent_to_sign_in_by_a_role_guard(probe_client):
    response = await probe_client.get("/probe/moderator")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=/probe/moderator"


async def test_accounts_create_makes_a_verified_account_with_the_role(cli, probe_client):
    result = await cli(
        "accounts",
        "create",
        "--email",
        "Mod@Gemeente.example",
        "--name",
        "Moderator Mia",
        "--role",
        "moderator",
        "--password",
        STAFF_PASSWORD,
    )

    assert result.exit_code == 0, result.output
    assert "mod@gemeente.example" in result.output
    account = await Account.objects().get(Account.email == "mod@gemeente.example")
    assert account.role == "moderator" and account.kind == "resident"
    assert account.email_verified_at is not None
    await sign_in(probe_client, "mod@gemeente.example", STAFF_PASSWORD)
    assert (await probe_client.get("/probe/moderator")).status_code == 200
    assert (await probe_client.get("/probe/participant")).status_code == 200


async def test_accounts_create_organisation_and_prompted_password(cli):
    result = await cli(
        "accounts",
        "create",
        "--email",
        "info@lantaarn.example",
        "--name",
        "Joost",
        "--organisation",
        "Lantaarn BV",
        "--kvk",
        "12345678",
        input=f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    account = await Account.objects().get(Account.email == "info@lantaarn.example")
    assert (account.kind, account.organisation_name, account.kvk_number, account.role) == (
        "organisation",
        "Lantaarn BV",
        "12345678",
        "member",
    )


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "abcdefgh"])
async def test_accounts_create_refuses_a_bad_kvk_number(cli, kvk):
    result = await cli(
        "accounts",
        "create",
        "--email",
        "info@lantaarn.example",
        "--name",
        "Joost",
        "--organisation",
        "Lantaarn BV",
        "--kvk",
        kvk,
        "--password",
        STAFF_PASSWORD,
    )

    assert result.exit_code != 0
    assert dutch("A KvK number is exactly 8 digits.") in result.output
    assert await Account.count() == 0


async def test_accounts_create_requires_kvk_with_organisation(cli):
    result = await cli(
        "accounts",
        "create",
        "--email",
        "info@lantaarn.example",
        "--name",
        "Joost",
        "--organisation",
        "Lantaarn BV",
        "--password",
        STAFF_PASSWORD,
    )
    assert result.exit_code != 0 and "--kvk" in result.output
    assert await Account.count() == 0


async def test_accounts_create_refuses_duplicates_and_weak_passwords(cli, settings):
    await make_account(settings, email="taken@example.org")
    duplicate = await cli(
        "accounts", "create", "--email", "TAKEN@example.org", "--name", "X Y", "--password", STAFF_PASSWORD
    )
    weak = await cli(
        "accounts", "create", "--email", "new@example.org", "--name", "X Y", "--password", "passwordpassword"
    )

    assert duplicate.exit_code != 0
    assert (
        dutch("An account with this email address already exists. Sign in or reset your password.") in duplicate.output
    )
    assert weak.exit_code != 0
    assert dutch("This password is too common; choose one that is harder to guess.") in weak.output
    assert await Account.count() == 1


async def test_set_role_changes_the_role_and_ends_sessions(cli, probe_client, settings):
    account = await make_account(settings, email="mia@example.org")
    await sign_in(probe_client, "mia@example.org")
    assert (await probe_client.get("/probe/editor")).status_code == 403

    result = await cli("accounts", "set-role", "--email", "MIA@example.org", "--role", "editor")

    assert result.exit_code == 0, result.output
    updated = await Account.objects().get(Account.id == account.id)
    assert updated.role == "editor"
    assert updated.auth_version == account.auth_version + 1
    assert (await probe_client.get("/probe/editor")).status_code in (302, 303), "the old session ended"
    await sign_in(probe_client, "mia@example.org", PASSWORD)
    assert (await probe_client.get("/probe/editor")).status_code == 200


async def test_set_role_for_an_unknown_email_fails(cli):
    result = await cli("accounts", "set-role", "--email", "nobody@example.org", "--role", "admin")
    assert result.exit_code != 0
    assert dutch("No account with this email address.") in result.output


async def test_set_role_refuses_an_unknown_role(cli, settings):
    await make_account(settings, email="mia@example.org")
    result = await cli("accounts", "set-role", "--email", "mia@example.org", "--role", "emperor")
    assert result.exit_code != 0
    assert (await Account.objects().get(Account.email == "mia@example.org")).role == "member"


async def test_reset_two_step_removes_the_factor_ends_sessions_and_staff_enrol_again(cli, probe_client, settings):
    """A moderator lost the phone and the recovery codes; an admin resets it from the command line."""
    moderator = await make_account(settings, email="mod@example.org", role=Role.moderator)
    await sign_in(probe_client, moderator.email)

    result = await cli("accounts", "reset-two-step", "--email", "MOD@example.org")

    assert result.exit_code == 0, result.output
    assert not await TwoFactor.exists().where(TwoFactor.account == moderator.id)
    assert (await probe_client.get("/probe/moderator")).status_code in (302, 303), "the old session ended"
    probe_client.follow_redirects = False
    assert (await post_form(probe_client, "/login", {"email": moderator.email, "password": PASSWORD})).headers[
        "location"
    ] == "/login/enrol"
