"""Email verification: the mailed link works once and expires; unverified accounts may not take part."""

from __future__ import annotations

import time
from types import SimpleNamespace

from participation.accounts import services, signed_links
from participation.accounts.permissions import can_participate, participation_refusal
from participation.accounts.tables import Account, Role
from tests.accounts.tools import dutch, page_text
from tests.helpers import PASSWORD, api_token, link_from, make_account, post_form, sign_in

CONFIRMED = "Email address confirmed"
NOT_VALID = "This link is invalid or has already been used."
ALREADY_CONFIRMED = "Your email address is already confirmed. You can sign in."
EXPIRED = "This link has expired. Request a new one."
CONFIRM_FIRST = "Confirm your email address first; we sent you a link."


async def register_resident(client, email="noor@example.org"):
    response = await post_form(
        client, "/account/register", {"kind": "resident", "display_name": "Noor", "email": email, "password": PASSWORD}
    )
    assert response.status_code == 303, response.text[:300]


async def test_link_from_the_mail_verifies_once(client, outbox):
    await register_resident(client)
    link = link_from(outbox[-1].body, "/account/verify")

    first = await client.get(link)
    assert first.status_code == 200
    assert dutch(CONFIRMED) in page_text(first)
    account = await Account.objects().get(Account.email == "noor@example.org")
    assert account.email_verified_at is not None

    # Opened again (a second click, a mail preview): the account is confirmed, not "invalid".
    second = await client.get(link)
    assert second.status_code == 200
    assert dutch(ALREADY_CONFIRMED) in page_text(second)
    assert dutch(NOT_VALID) not in page_text(second)
    assert 'href="/login"' in second.text


async def test_expired_link_is_refused(client, outbox, monkeypatch, settings):
    await register_resident(client)
    link = link_from(outbox[-1].body, "/account/verify")
    later = time.time() + settings.email_link_hours * 3600 + 60
    monkeypatch.setattr(signed_links, "time", SimpleNamespace(time=lambda: later))

    response = await client.get(link)

    assert response.status_code == 400
    assert dutch(EXPIRED) in page_text(response)
    account = await Account.objects().get(Account.email == "noor@example.org")
    assert account.email_verified_at is None


async def test_link_made_with_a_past_expiry_is_refused(client, settings):
    account = await make_account(settings, email="old@example.org", verified=False)
    fingerprint = signed_links.fingerprint(account.email, account.email_verified_at)
    token = signed_links.make_token(
        settings.secret_key, services.VERIFY_PURPOSE, account.id, fingerprint, 3600, now=time.time() - 7200
    )

    response = await client.get(f"/account/verify?token={token}")

    assert response.status_code == 400
    assert dutch(EXPIRED) in page_text(response)
    assert (await Account.objects().get(Account.id == account.id)).email_verified_at is None


async def test_tampered_or_foreign_links_are_refused(client, outbox, settings):
    await register_resident(client)
    link = link_from(outbox[-1].body, "/account/verify")
    other = await make_account(settings, email="other@example.org", verified=False)
    account_id, rest = link.rsplit("/", 1)[1].split(".", 1)
    for token in [f"{other.id}.{rest}", link.rsplit("/", 1)[1][:-2] + "xx", "garbage", ""]:
        response = await client.get(f"/account/verify?token={token}")
        assert response.status_code == 400, token
        assert dutch(NOT_VALID) in page_text(response)
    # A reset link is not a verification link, even for the same account.
    reset = signed_links.make_token(
        settings.secret_key,
        services.RESET_PURPOSE,
        int(account_id),
        signed_links.fingerprint("noor@example.org", None),
        3600,
    )
    assert (await client.get(f"/account/verify?token={reset}")).status_code == 400
    assert await Account.count().where(Account.email_verified_at.is_not_null()) == 0


async def test_participation_rule_refuses_unverified_suspended_and_anonymous(settings):
    unverified = await make_account(settings, email="u@example.org", verified=False)
    verified = await make_account(settings, email="v@example.org")
    assert str(participation_refusal(unverified)) == dutch(CONFIRM_FIRST)
    assert participation_refusal(verified) is None and can_participate(verified)
    assert str(participation_refusal(None)) == dutch("Sign in to take part.")
    verified.suspended_at = verified.created_at
    verified.suspension_reason = "spam"
    assert str(participation_refusal(verified)) == dutch("Your account is suspended: %(reason)s", reason="spam")


async def test_unverified_account_is_refused_by_requires_participant(probe_client, settings, outbox):
    await register_resident(probe_client)
    await sign_in(probe_client, "noor@example.org")

    refused = await probe_client.get("/probe/participant")
    assert refused.status_code == 403
    assert dutch(CONFIRM_FIRST) in page_text(refused)

    await probe_client.get(link_from(outbox[-1].body, "/account/verify"))
    allowed = await probe_client.get("/probe/participant")
    assert allowed.status_code == 200
    assert allowed.text == "may take part"


async def test_anonymous_visitor_is_sent_to_sign_in_by_requires_participant(probe_client):
    response = await probe_client.get("/probe/participant")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=/probe/participant"


async def test_unverified_account_is_refused_on_the_api(probe_client, settings):
    await make_account(settings, email="api@example.org", verified=False)
    headers = await api_token(probe_client, "api@example.org")

    response = await probe_client.post("/api/v1/probe/participate", headers=headers)

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == CONFIRM_FIRST  # the API answers in English unless asked for Dutch
    assert (await probe_client.post("/api/v1/probe/participate")).status_code == 401


async def test_resend_sends_a_fresh_link_that_works(client, outbox, settings):
    await make_account(settings, email="late@example.org", role=Role.member, verified=False)
    await sign_in(client, "late@example.org")
    account_page = await client.get("/account")
    response = await post_form(client, "/account/verify/resend", {}, form_page="/account")
    assert account_page.status_code == 200 and response.status_code in (302, 303)
    assert [m.to for m in outbox] == ["late@example.org"]
    assert (await client.get(link_from(outbox[-1].body, "/account/verify"))).status_code == 200
    assert (await Account.objects().get(Account.email == "late@example.org")).email_verified_at is not None
