"""Download your data: a person confirms their password, downloads one file, and finds everything of theirs in it."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from participation.accounts.tables import SecurityEvent
from tests.accounts.tools import another_browser, field_error
from tests.flows.conftest import sign_in_with_form
from tests.forms import open_form, redirect_target
from tests.helpers import PASSWORD, api_token
from tests.privacy.conftest import OTHER_EMAIL, OTHER_NAME, SUBJECT_EMAIL, SUBJECT_ORGANISATION


def goes_to(response) -> str:
    """The path (and query) a redirect sends the browser to."""
    target = urlsplit(redirect_target(response))
    return f"{target.path}?{target.query}" if target.query else target.path


async def signed_in(client, email: str):
    browser = another_browser(client)
    browser.follow_redirects = False
    await sign_in_with_form(browser, email)
    return browser


async def confirm_password(browser, target: str, password: str = PASSWORD):
    """The person opens `target`, is sent to confirm their password, and types it."""
    first = await browser.get(target)
    assert first.status_code == 303
    assert goes_to(first) == f"/account/confirm?next={target}"
    form = await open_form(browser, goes_to(first), action="/account/confirm")
    form.fill(password=password)
    return await form.submit(browser)


def ids(rows: list[dict]) -> set[int]:
    return {row["id"] for row in rows}


async def test_download_holds_one_of_everything_and_nothing_of_anyone_else(client, world):
    browser = await signed_in(client, SUBJECT_EMAIL)
    confirmed = await confirm_password(browser, "/account/data")
    assert goes_to(confirmed) == "/account/data"

    form = await open_form(browser, "/account/data", action="/account/data")
    response = await form.submit(browser)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith('attachment; filename="my-data-')
    assert response.headers["cache-control"] == "no-store"
    export = response.json()

    account = export["account"]
    assert (account["email"], account["organisation_name"], account["kvk_number"], account["neighbourhood"]) == (
        SUBJECT_EMAIL,
        SUBJECT_ORGANISATION,
        "87654321",
        "centrum",
    )
    assert "password_hash" not in account
    tables = export["tables"]
    assert ids(tables["idea"]) == {world.subject_idea.id}
    assert ids(tables["comment"]) == {world.subject_comment.id, world.subject_reply.id}
    assert [row["idea"] for row in tables["support"]] == [world.other_idea.id]
    assert [row["idea"] for row in tables["follow"]] == [world.other_idea.id]
    assert [row["entry"] for row in tables["entry_follow"]] == [world.entry.id]
    assert [(r["target_id"], r["note"]) for r in tables["report"]] == [(world.other_comment.id, "Niet over het idee.")]
    assert [row["kind"] for row in tables["notification"]] == ["idea_published"]
    assert [(r["category"], r["delivery"]) for r in tables["notification_setting"]] == [("replies", "daily")]
    assert [row["name"] for row in tables["api_token"]] == ["mijn script"]
    assert "token_hash" not in tables["api_token"][0]
    assert {row["kind"] for row in tables["security_event"]} >= {"sign_in"}
    subjects = [mail["subject"].lower() for mail in export["mail_to_you"]]
    assert any("password" in subject or "wachtwoord" in subject for subject in subjects)
    assert "text_body" not in export["mail_to_you"][0]

    # Nothing of the other person: not their address, name, token, or any row that is theirs.
    text = json.dumps(export)
    assert OTHER_EMAIL not in text and OTHER_NAME not in text and "ander script" not in text
    for rows in tables.values():
        for row in rows:
            for column in ("account", "author", "reporter"):
                assert row.get(column) in (None, world.subject.id)
    assert world.other_idea.id not in ids(tables["idea"])

    # The download itself is in the security log.
    assert await SecurityEvent.exists().where(
        (SecurityEvent.account == world.subject.id) & (SecurityEvent.kind == "data_exported")
    )


async def test_a_wrong_password_is_refused_and_the_confirmation_lapses_after_ten_minutes(client, world, monkeypatch):
    browser = await signed_in(client, SUBJECT_EMAIL)
    refused = await confirm_password(browser, "/account/data", password="not my password at all")
    assert refused.status_code == 422
    assert field_error(refused, "password") == "Uw wachtwoord klopt niet."

    form = await open_form(browser, "/account/confirm?next=/account/data", action="/account/confirm")
    assert goes_to(await form.fill(password=PASSWORD).submit(browser)) == "/account/data"
    assert (await browser.get("/account/data")).status_code == 200

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    # Still signed in (a kept-open session), but the password must be given again.
    later = await browser.get("/account/data")
    assert later.status_code == 303 and goes_to(later).startswith("/account/confirm")


async def test_data_pages_need_a_signed_in_account(client, world):
    client.follow_redirects = False
    for path in ("/account/data", "/account/delete", "/account/confirm"):
        response = await client.get(path)
        assert response.status_code in (302, 303, 401)


async def test_the_api_gives_the_same_file_for_a_bearer_token(client, world):
    headers = await api_token(client, SUBJECT_EMAIL)
    response = await client.get("/api/v1/me/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment;")
    export = response.json()
    assert export["account"]["email"] == SUBJECT_EMAIL
    assert ids(export["tables"]["idea"]) == {world.subject_idea.id}
    assert all("token_hash" not in row for row in export["tables"]["api_token"])
    assert (await client.get("/api/v1/me/export")).status_code == 401
