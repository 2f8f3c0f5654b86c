"""/healthz follows the database; Dutch by default, English on request and remembered."""

from __future__ import annotations

import pytest
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from participation.database import bind_engine, current_engine
from participation.i18n import translations


async def test_healthz_with_a_reachable_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
async def test_healthz_with_an_unreachable_database(client, outbox, database_kind, tmp_path):
    if database_kind == "sqlite":
        broken = SQLiteEngine(path=str(tmp_path / "no-such-directory" / "db.sqlite3"))
    else:
        broken = PostgresEngine(config={"host": "127.0.0.1", "port": 1, "user": "postgres", "database": "postgres"})
    working = current_engine()
    bind_engine(broken)
    try:
        with outbox.paused():  # the test client's mail delivery needs the database too
            response = await client.get("/healthz")
    finally:
        bind_engine(working)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert (await client.get("/healthz")).status_code == 200


def dutch(msgid: str) -> str:
    return translations("nl").gettext(msgid)


async def test_dutch_by_default(client):
    response = await client.get("/")
    assert '<html lang="nl"' in response.text
    assert dutch("Sign in") != "Sign in", "the Dutch catalog translates the site's strings"
    assert dutch("Sign in") in response.text and dutch("Skip to content") in response.text


async def test_english_on_request_and_remembered_in_the_session(client):
    english = await client.get("/?lang=en")
    assert '<html lang="en"' in english.text
    assert "Skip to content" in english.text and ">Sign in<" in english.text
    assert 'hreflang="nl"' in english.text, "the switch now offers Dutch"

    later = await client.get("/login")
    assert '<html lang="en"' in later.text, "the choice is remembered without the parameter"
    assert "Forgot your password?" in later.text

    back = await client.get("/?lang=nl")
    assert '<html lang="nl"' in back.text
    assert '<html lang="nl"' in (await client.get("/")).text


async def test_language_choice_survives_sign_in(client, settings):
    from tests.helpers import make_account, sign_in

    await make_account(settings, email="anna@example.org")
    await client.get("/?lang=en")
    await sign_in(client, "anna@example.org")
    assert '<html lang="en"' in (await client.get("/account")).text


async def test_unknown_language_falls_back_to_dutch(client):
    assert '<html lang="nl"' in (await client.get("/?lang=xx")).text


async def test_api_answers_in_english_unless_asked_for_dutch(client):
    response = await client.get("/api/v1/me")
    assert response.json()["detail"]  # English source text from the guard
    assert "<html" not in response.text
