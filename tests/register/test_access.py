"""Editor-only routes: a member is refused (403), an anonymous visitor is sent to sign in (HTML) or gets 401 (API)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from participation.accounts.tables import Role
from participation.register.tables import RegisterEntry, RegisterUpdate
from tests.helpers import api_token, csrf_from, make_account, sign_in
from tests.register.conftest import entry_fields

pytestmark = pytest.mark.anyio

SLUG = "slimme-lantaarnpalen-in-de-wijk"
HTML_GET = ["/register/new", f"/register/{SLUG}/edit", f"/register/{SLUG}/update"]
HTML_POST = ["/register/new", f"/register/{SLUG}/edit", f"/register/{SLUG}/update"]
API_WRITES = [
    (
        "POST",
        "/api/v1/register",
        {"title": "Een nieuw project hier", "summary": "Kort.", "theme": "energy", "scope": "narrow"},
    ),
    ("PATCH", f"/api/v1/register/{SLUG}", {"title": "Een andere titel voor dit"}),
    ("POST", f"/api/v1/register/{SLUG}/updates", {"text": "Stap", "status": "under_assessment"}),
]
FORM = {
    "title": "Een project van een lid",
    "summary": "Kort.",
    "theme": "energy",
    "scope": "narrow",
    "origin": "city",
    "text": "Stap",
    "status": "under_assessment",
}


@pytest.fixture
async def entry(new_entry):
    entry = await new_entry()
    assert entry.slug == SLUG
    return entry


async def _unchanged():
    rows = await RegisterEntry.select(RegisterEntry.title, RegisterEntry.status)
    return rows, await RegisterUpdate.count()


@pytest.mark.parametrize("url", HTML_GET)
async def test_html_form_refuses_a_member(client, settings, entry, member, url):
    await sign_in(client, member.email)
    response = await client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", HTML_GET)
async def test_html_form_sends_an_anonymous_visitor_to_sign_in(client, entry, url):
    response = await client.get(url)
    assert response.status_code == 302
    assert response.headers["location"] == f"/login?next={quote(url)}"


@pytest.mark.parametrize("url", HTML_POST)
async def test_html_post_refuses_a_member(client, settings, entry, member, url):
    await sign_in(client, member.email)
    before = await _unchanged()
    token = csrf_from((await client.get("/account")).text)
    response = await client.post(url, data={**FORM, "_csrf_token": token})
    assert response.status_code == 403
    assert await _unchanged() == before


@pytest.mark.parametrize("url", HTML_POST)
async def test_html_post_refuses_an_anonymous_visitor(client, entry, url):
    before = await _unchanged()
    token = csrf_from((await client.get("/login")).text)
    response = await client.post(url, data={**FORM, "_csrf_token": token})
    assert response.status_code == 302
    # A form post goes back to the page it came from after sign-in (no referer here: the home page).
    assert response.headers["location"] == "/login?next=/"
    assert await _unchanged() == before


@pytest.mark.parametrize("method,url,body", API_WRITES)
async def test_api_write_refuses_a_member(client, settings, entry, member, method, url, body):
    headers = await api_token(client, member.email)
    before = await _unchanged()
    response = await client.request(method, url, json=body, headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 403
    assert await _unchanged() == before


@pytest.mark.parametrize("method,url,body", API_WRITES)
async def test_api_write_refuses_without_a_token(client, entry, method, url, body):
    before = await _unchanged()
    response = await client.request(method, url, json=body)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _unchanged() == before


@pytest.mark.parametrize("role", [Role.moderator])
async def test_other_staff_are_not_register_editors(client, settings, entry, role):
    await make_account(settings, email="staff@example.org", name="Staff", role=role)
    await sign_in(client, "staff@example.org")
    assert (await client.get("/register/new")).status_code == 403


async def test_admin_may_edit(client, settings, entry):
    await make_account(settings, email="admin@example.org", name="Beheer", role=Role.admin)
    await sign_in(client, "admin@example.org")
    assert (await client.get("/register/new")).status_code == 200
    headers = await api_token(client, "admin@example.org")
    response = await client.post(
        f"/api/v1/register/{SLUG}/updates", json={"text": "Beoordeling gestart."}, headers=headers
    )
    assert response.status_code == 201
    assert response.json()["author_role"] == "admin"


async def test_editor_controls_only_shown_to_editors(client, settings, entry, editor, member):
    page = await client.get(f"/register/{SLUG}")
    assert f"/register/{SLUG}/edit" not in page.text
    await sign_in(client, member.email)
    assert f"/register/{SLUG}/edit" not in (await client.get(f"/register/{SLUG}")).text


def test_fields_fixture_is_valid():
    assert entry_fields()["title"]
