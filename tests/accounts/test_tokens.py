"""API tokens through the API: a name and an expiry, listing, revoking, and "expired" said as such."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from participation.accounts import tokens
from participation.accounts.tables import ApiToken, SecurityEvent
from participation.lib.clock import utcnow
from participation.settings import ConfigurationError, Settings
from tests.accounts.test_api import assert_problem
from tests.helpers import PASSWORD, api_token, make_account


async def new_token(client, email: str = "anna@example.org", **extra) -> dict:
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def bearer(body: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {body['token']}"}


async def test_a_token_has_a_name_and_the_expiry_asked_for(client, settings):
    account = await make_account(settings, email="anna@example.org")

    body = await new_token(client, name="Wijkdashboard", expires_days=30)

    assert body["name"] == "Wijkdashboard" and body["token_type"] == "bearer"
    stored = await ApiToken.objects().get(ApiToken.id == body["id"])
    assert stored.name == "Wijkdashboard" and stored.token_hash != body["token"]
    assert abs(stored.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    assert (await client.get("/api/v1/me", headers=bearer(body))).json()["id"] == account.id
    logged = await SecurityEvent.select(SecurityEvent.kind, SecurityEvent.account, SecurityEvent.detail)
    assert [(e["kind"], e["account"]) for e in logged] == [("token_created", account.id)]
    assert "Wijkdashboard" in logged[0]["detail"] and body["token"] not in logged[0]["detail"]


async def test_without_an_expiry_a_token_lives_the_configured_days(client, settings):
    account = await make_account(settings, email="anna@example.org")

    body = await new_token(client)
    issued = await tokens.create_api_token(replace(settings, api_token_days=7), account, name="kort")

    default = await ApiToken.objects().get(ApiToken.id == body["id"])
    assert abs(default.expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    assert abs(issued.token.expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"expires_days": 0}, "expires_days"),
        ({"expires_days": 366}, "expires_days"),
        ({"expires_days": 2**63}, "expires_days"),
        ({"expires_days": "thirty"}, "expires_days"),
        ({"name": "x" * 81}, "name"),
    ],
)
async def test_an_expiry_or_name_out_of_bounds_is_refused(client, settings, extra, field):
    await make_account(settings, email="anna@example.org")

    response = await client.post(
        "/api/v1/auth/token", json={"email": "anna@example.org", "password": PASSWORD, **extra}
    )

    assert field in assert_problem(response, 400)["errors"]
    assert await ApiToken.count() == 0


async def test_an_empty_name_is_refused_with_the_field(client, settings):
    await make_account(settings, email="anna@example.org")
    response = await client.post(
        "/api/v1/auth/token", json={"email": "anna@example.org", "password": PASSWORD, "name": " "}
    )
    assert "name" in assert_problem(response, 422)["errors"]


async def test_an_expired_token_is_refused_saying_it_expired(client, settings):
    await make_account(settings, email="anna@example.org")
    body = await new_token(client, expires_days=1)
    # A day and a second later:
    await ApiToken.update({ApiToken.expires_at: utcnow() - timedelta(seconds=1)}).where(ApiToken.id == body["id"])

    problem = assert_problem(await client.get("/api/v1/me", headers=bearer(body)), 401)

    assert "expired" in problem["detail"]
    unknown = assert_problem(await client.get("/api/v1/me", headers={"Authorization": "Bearer pp_unknown"}), 401)
    assert "expired" not in unknown["detail"]


async def test_the_list_shows_the_callers_tokens_without_secrets(client, settings):
    await make_account(settings, email="anna@example.org")
    await make_account(settings, email="bram@example.org")
    first = await new_token(client, name="laptop")
    second = await new_token(client, name="script", expires_days=7)
    others = await new_token(client, "bram@example.org", name="van Bram")
    await client.get("/api/v1/me", headers=bearer(first))  # records its use

    response = await client.get("/api/v1/auth/tokens", headers=bearer(second))

    assert response.status_code == 200
    listed = response.json()
    assert [t["name"] for t in listed] == ["script", "laptop"]
    assert listed[1]["last_used_at"] is not None and listed[0]["expired"] is False
    assert set(listed[0]) == {"id", "name", "created_at", "last_used_at", "expires_at", "expired"}
    hashes = await ApiToken.select(ApiToken.token_hash).output(as_list=True)
    for secret in [first["token"], second["token"], others["token"], *hashes]:
        assert secret not in response.text


async def test_revoking_a_token_ends_it_and_only_it(client, settings):
    account = await make_account(settings, email="anna@example.org")
    kept = await new_token(client, name="kept")
    revoked = await new_token(client, name="revoked")

    response = await client.delete(f"/api/v1/auth/token/{revoked['id']}", headers=bearer(kept))

    assert response.status_code == 204
    assert_problem(await client.get("/api/v1/me", headers=bearer(revoked)), 401)
    assert (await client.get("/api/v1/me", headers=bearer(kept))).status_code == 200
    again = await client.delete(f"/api/v1/auth/token/{revoked['id']}", headers=bearer(kept))
    assert_problem(again, 404)
    kinds = (
        await SecurityEvent.select(SecurityEvent.kind).where(SecurityEvent.account == account.id).output(as_list=True)
    )
    assert sorted(kinds) == ["token_created", "token_created", "token_revoked"]


async def test_another_accounts_token_cannot_be_revoked(client, settings):
    await make_account(settings, email="anna@example.org")
    await make_account(settings, email="bram@example.org")
    anna = await new_token(client)
    bram = await new_token(client, "bram@example.org")

    assert_problem(await client.delete(f"/api/v1/auth/token/{bram['id']}", headers=bearer(anna)), 404)

    assert (await client.get("/api/v1/me", headers=bearer(bram))).status_code == 200
    assert not await SecurityEvent.exists().where(SecurityEvent.kind == "token_revoked")


@pytest.mark.parametrize("token_id", ["0", "2147483648", "99999999999999999999", "-1"])
async def test_an_id_out_of_range_is_a_client_error(client, settings, token_id):
    await make_account(settings, email="anna@example.org")
    headers = await api_token(client, "anna@example.org")
    response = await client.delete(f"/api/v1/auth/token/{token_id}", headers=headers)
    assert response.status_code in (400, 404), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_listing_and_revoking_need_a_token(client):
    listing, revoking = await client.get("/api/v1/auth/tokens"), await client.delete("/api/v1/auth/token/1")
    assert (listing.status_code, revoking.status_code) == (401, 401)
    assert_problem(listing, 401)
    assert_problem(revoking, 401)


async def test_signing_out_of_a_web_session_keeps_the_tokens(client, settings):
    """A token is a separate credential (as on GitHub): the browser's sign-out ends that session only."""
    from tests.helpers import post_form, sign_in

    await make_account(settings, email="anna@example.org")
    headers = await api_token(client, "anna@example.org")
    await sign_in(client, "anna@example.org")

    await post_form(client, "/logout", {}, form_page="/account")

    assert (await client.get("/account")).status_code in (302, 303)
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200


async def test_long_expired_tokens_are_removed_by_the_periodic_tasks(client, settings, parts):
    from participation.tasks import run_once

    await make_account(settings, email="anna@example.org")
    long_ago, lately, valid = [await new_token(client, name=n) for n in ("long ago", "lately", "valid")]
    await ApiToken.update({ApiToken.expires_at: utcnow() - timedelta(days=31)}).where(ApiToken.id == long_ago["id"])
    await ApiToken.update({ApiToken.expires_at: utcnow() - timedelta(days=2)}).where(ApiToken.id == lately["id"])

    result = await run_once(parts)

    assert result["api_tokens_removed"] == 1
    assert await ApiToken.select(ApiToken.name).order_by(ApiToken.id).output(as_list=True) == ["lately", "valid"]
    assert "expired" in assert_problem(await client.get("/api/v1/me", headers=bearer(lately)), 401)["detail"]


def test_the_token_lifetime_setting_is_bounded():
    environ = {"PARTICIPATION_VAR_DIR": "/tmp/participation-settings-test"}
    assert Settings.from_env({**environ, "API_TOKEN_DAYS": "30"}).api_token_days == 30
    assert Settings.from_env(environ).api_token_days == 90
    for wrong in ("0", "366", "ninety", "-5"):
        with pytest.raises(ConfigurationError, match="API_TOKEN_DAYS"):
            Settings.from_env({**environ, "API_TOKEN_DAYS": wrong})


async def test_tokens_made_before_expiry_existed_expire_90_days_after_creation(settings):
    """The data migration of 2026-11-29: old tokens get the default lifetime from their creation."""
    from participation.accounts.piccolo_migrations import accounts_2026_11_29t06_26_23_721623 as migration

    account = await make_account(settings, email="anna@example.org")
    now = utcnow()
    for name, age in (("old", 100), ("recent", 10)):
        await ApiToken.insert(
            ApiToken(
                account=account.id,
                token_hash=tokens.token_hash(f"pp_{name}"),
                name=name,
                created_at=now - timedelta(days=age),
            )
        )

    await (await migration.forwards()).run()

    expiry = {t.name: t.expires_at for t in await ApiToken.objects()}
    assert abs(expiry["old"] - (now - timedelta(days=10))) < timedelta(seconds=5)
    assert abs(expiry["recent"] - (now + timedelta(days=80))) < timedelta(seconds=5)
    with pytest.raises(tokens.TokenRefused, match="expired"):
        await tokens.account_for_token("pp_old")
    assert (await tokens.account_for_token("pp_recent")).id == account.id
