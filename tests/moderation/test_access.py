"""Every moderation page, form and API endpoint: anonymous and members refused, editors refused, moderators allowed."""

from __future__ import annotations

import pytest

from tests.moderation.conftest import browser_as, post, token_for

pytestmark = pytest.mark.anyio

# (method, path, form data). {idea} is a submitted idea, {pub} a published one, {comment} a comment, {account} a member.
PAGES = [
    ("GET", "/moderation", None),
    ("GET", "/moderation?assigned=me&kind=idea", None),
    ("GET", "/moderation/ideas/{idea}", None),
    ("GET", "/moderation/ideas/{idea}?q=fiets", None),
    ("POST", "/moderation/ideas/{idea}/publish", {}),
    ("POST", "/moderation/ideas/{idea}/request-changes", {"message": "Graag een locatie noemen."}),
    ("POST", "/moderation/ideas/{idea}/reject", {"category": "off_topic", "message": "Dit gaat niet over de stad."}),
    ("POST", "/moderation/ideas/{idea}/duplicate", {"duplicate_of": "{pub}"}),
    ("POST", "/moderation/ideas/{pub}/route", {"reason": "Past in het beleid."}),
    ("POST", "/moderation/ideas/{idea}/assign", {"moderator": ""}),
    ("POST", "/moderation/ideas/{idea}/notes", {"note": "Intern: even navragen."}),
    ("POST", "/moderation/ideas/{idea}/classification", {"theme": "energy", "neighbourhood": "dorp", "scope": "broad"}),
    ("POST", "/moderation/ideas/{pub}/hide", {"category": "spam"}),
    ("POST", "/moderation/ideas/{pub}/restore", {}),
    ("POST", "/moderation/comments/{comment}/hide", {"category": "offensive"}),
    ("POST", "/moderation/comments/{comment}/restore", {}),
    ("GET", "/moderation/reports", None),
    ("POST", "/moderation/reports/comment/{comment}/uphold", {"category": "offensive"}),
    ("POST", "/moderation/reports/comment/{comment}/dismiss", {}),
    ("GET", "/moderation/accounts", None),
    ("GET", "/moderation/accounts?q=lid", None),
    ("GET", "/moderation/accounts/{account}", None),
    ("POST", "/moderation/accounts/{account}/suspend", {"reason": "Herhaaldelijk spam."}),
    ("POST", "/moderation/accounts/{account}/lift", {}),
    ("GET", "/moderation/log", None),
    ("GET", "/moderation/log?action=publish", None),
]
ADMIN_PAGES = [
    ("GET", "/moderation/roles", None),
    ("POST", "/moderation/roles/{account}", {"role": "moderator"}),
]
API = [
    ("GET", "/api/v1/moderation/queue", None),
    ("POST", "/api/v1/moderation/ideas/{idea}/decision", {"action": "publish"}),
    ("GET", "/api/v1/moderation/reports", None),
]


def _fill(template: str, ids: dict[str, int]) -> str:
    return template.format(**ids)


@pytest.fixture
def ids(submitted, published, comment, people) -> dict[str, int]:
    return {"idea": submitted.id, "pub": published.id, "comment": comment.id, "account": people["member"].id}


async def _request(browser, method: str, path: str, data: dict | None, ids: dict, signed_in: bool):
    if method == "GET":
        return await browser.get(path)
    return await post(browser, path, {k: _fill(v, ids) for k, v in (data or {}).items()}, signed_in=signed_in)


def _page_params(pages):
    return [pytest.param(m, p, d, id=f"{m} {p}") for m, p, d in pages]


@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES + ADMIN_PAGES))
async def test_anonymous_is_sent_to_sign_in(client, ids, method, path, data):
    browser = await browser_as(client, None)
    response = await _request(browser, method, _fill(path, ids), data, ids, signed_in=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ["member", "editor"])
@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES + ADMIN_PAGES))
async def test_members_and_editors_are_refused(client, people, ids, role, method, path, data):
    browser = await browser_as(client, people[role].email)
    response = await _request(browser, method, _fill(path, ids), data, ids, signed_in=True)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES))
async def test_moderators_are_allowed(client, people, ids, method, path, data):
    browser = await browser_as(client, people["moderator"].email)
    response = await _request(browser, method, _fill(path, ids), data, ids, signed_in=True)
    assert response.status_code not in (401, 403), response.text[:300]
    assert not response.headers.get("location", "").startswith("/login")
    if method == "GET":
        assert response.status_code == 200


@pytest.mark.parametrize(("method", "path", "data"), _page_params(ADMIN_PAGES))
async def test_roles_are_for_admins_only(client, people, ids, method, path, data):
    moderator = await browser_as(client, people["moderator"].email)
    assert (await _request(moderator, method, _fill(path, ids), data, ids, signed_in=True)).status_code == 403
    admin = await browser_as(client, people["admin"].email)
    response = await _request(admin, method, _fill(path, ids), data, ids, signed_in=True)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("method", "path", "body"), _page_params(API))
async def test_api_refuses_anonymous_members_and_editors(client, people, ids, method, path, body):
    url = _fill(path, ids)
    anonymous = await client.request(method, url, json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    for role in ("member", "editor"):
        headers = await token_for(client, people[role])
        assert (await client.request(method, url, json=body, headers=headers)).status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), _page_params(API))
async def test_api_allows_moderators(client, people, ids, method, path, body):
    headers = await token_for(client, people["moderator"])
    response = await client.request(method, _fill(path, ids), json=body, headers=headers)
    assert response.status_code == 200, response.text


async def test_report_api_needs_a_verified_account(client, settings, people, published):
    from tests.helpers import make_account

    body = {"target_type": "idea", "target_id": published.id, "reason": "spam"}
    assert (await client.post("/api/v1/reports", json=body)).status_code == 401
    await make_account(settings, email="unverified@example.org", name="Nieuw", verified=False)
    unverified = await token_for(client, type("A", (), {"email": "unverified@example.org"})())
    assert (await client.post("/api/v1/reports", json=body, headers=unverified)).status_code == 403
    member = await token_for(client, people["member"])
    assert (await client.post("/api/v1/reports", json=body, headers=member)).status_code == 201


async def test_report_form_needs_sign_in(client, published):
    browser = await browser_as(client, None)
    response = await browser.get(f"/report/idea/{published.id}")
    assert response.status_code == 302 and response.headers["location"].startswith("/login")


async def test_moderation_link_only_for_moderators(client, people):
    for role, shown in (("member", False), ("editor", False), ("moderator", True), ("admin", True)):
        browser = await browser_as(client, people[role].email)
        page = await browser.get("/ideas")
        assert ('href="/moderation"' in page.text) is shown, role
    anonymous = await browser_as(client, None)
    assert 'href="/moderation"' not in (await anonymous.get("/ideas")).text
