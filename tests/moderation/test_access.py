"""Every moderation page, form and API endpoint: anonymous and members refused, editors refused, moderators allowed."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from ideas.tables import Idea
from participation.moderation import accounts, decisions, hiding, reports
from participation.validation import DomainError
from tests.accounts.tools import page_text
from tests.helpers import make_account
from tests.ideas.factories import make_comment, make_idea
from tests.moderation.conftest import browser_as, post, token_for

pytestmark = pytest.mark.anyio

STAFF_ONLY = "Deze pagina is alleen voor medewerkers van de gemeente."

# (method, path, form data). {idea} is a submitted idea, {pub} a published one, {hidden} a hidden one, {comment} a
# visible comment with an open report, {hidden_comment} a hidden comment, {account} a member, {suspended} a
# suspended member: every action has something to act on, so a moderator's request succeeds.
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
    ("POST", "/moderation/ideas/{hidden}/restore", {}),
    ("POST", "/moderation/comments/{comment}/hide", {"category": "offensive"}),
    ("POST", "/moderation/comments/{hidden_comment}/restore", {}),
    ("GET", "/moderation/reports", None),
    ("POST", "/moderation/reports/comment/{comment}/uphold", {"category": "offensive"}),
    ("POST", "/moderation/reports/comment/{comment}/dismiss", {}),
    ("GET", "/moderation/accounts", None),
    ("GET", "/moderation/accounts?q=lid", None),
    ("GET", "/moderation/accounts/{account}", None),
    ("POST", "/moderation/accounts/{account}/suspend", {"reason": "Herhaaldelijk spam."}),
    ("POST", "/moderation/accounts/{suspended}/lift", {}),
    ("GET", "/moderation/log", None),
    ("GET", "/moderation/log?action=publish", None),
]
# Where a moderator's (or for ADMIN_PAGES an admin's) successful POST redirects to.
REDIRECTS = {
    "/moderation/ideas/{idea}/publish": "/moderation/ideas/{idea}",
    "/moderation/ideas/{idea}/request-changes": "/moderation/ideas/{idea}",
    "/moderation/ideas/{idea}/reject": "/moderation/ideas/{idea}",
    "/moderation/ideas/{idea}/duplicate": "/moderation/ideas/{idea}",
    "/moderation/ideas/{pub}/route": "/moderation/ideas/{pub}",
    "/moderation/ideas/{idea}/assign": "/moderation/ideas/{idea}",
    "/moderation/ideas/{idea}/notes": "/moderation/ideas/{idea}",
    "/moderation/ideas/{idea}/classification": "/moderation/ideas/{idea}",
    "/moderation/ideas/{pub}/hide": "/moderation/ideas/{pub}",
    "/moderation/ideas/{hidden}/restore": "/moderation/ideas/{hidden}",
    "/moderation/comments/{comment}/hide": "/ideas/{pub}/comments/{comment}",
    "/moderation/comments/{hidden_comment}/restore": "/ideas/{pub}/comments/{hidden_comment}",
    "/moderation/reports/comment/{comment}/uphold": "/moderation/reports",
    "/moderation/reports/comment/{comment}/dismiss": "/moderation/reports",
    "/moderation/accounts/{account}/suspend": "/moderation/accounts/{account}",
    "/moderation/accounts/{suspended}/lift": "/moderation/accounts/{suspended}",
    "/moderation/roles/{account}": "/moderation/roles",
}
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
async def ids(settings, submitted, published, comment, people, events) -> dict[str, int]:
    hidden = await make_idea(people["author"], status="published", title="Een idee dat verborgen is")
    await hiding.hide(people["admin"], "idea", hidden.id, "spam", events=events)
    hidden_comment = await make_comment(published, people["author"], body="Een reactie die verborgen is.")
    await hiding.hide(people["admin"], "comment", hidden_comment.id, "offensive", events=events)
    await reports.create_report(settings, people["member"], "comment", comment.id, "offensive", events=events)
    suspended = await make_account(settings, email="suspended@example.org", name="Geschorst")
    await accounts.suspend(people["admin"], suspended.id, "Herhaaldelijk spam.")
    return {
        "idea": submitted.id,
        "pub": published.id,
        "hidden": hidden.id,
        "comment": comment.id,
        "hidden_comment": hidden_comment.id,
        "account": people["member"].id,
        "suspended": suspended.id,
    }


async def _request(browser, method: str, path: str, data: dict | None, ids: dict, signed_in: bool):
    if method == "GET":
        return await browser.get(path)
    return await post(browser, path, {k: _fill(v, ids) for k, v in (data or {}).items()}, signed_in=signed_in)


def _page_params(pages):
    return [pytest.param(m, p, d, id=f"{m} {p}") for m, p, d in pages]


@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES + ADMIN_PAGES))
async def test_anonymous_is_sent_to_sign_in(client, ids, method, path, data):
    browser = await browser_as(client, None)
    url = _fill(path, ids)
    response = await _request(browser, method, url, data, ids, signed_in=False)
    assert response.status_code == 302
    # Back to the page after sign-in; a form post (no referer here) goes back to the home page.
    back = urlsplit(url).path if method == "GET" else "/"
    assert response.headers["location"] == f"/login?next={quote(back)}"


@pytest.mark.parametrize("role", ["member", "editor"])
@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES + ADMIN_PAGES))
async def test_members_and_editors_are_refused(client, people, ids, role, method, path, data):
    browser = await browser_as(client, people[role].email)
    response = await _request(browser, method, _fill(path, ids), data, ids, signed_in=True)
    assert response.status_code == 403


def assert_done(response, method: str, path: str, ids: dict) -> None:
    """A page answers 200; a form redirects (302) to exactly where its action leads."""
    if method == "GET":
        assert response.status_code == 200, response.text[:300]
        return
    assert response.status_code == 302, response.text[:300]
    assert response.headers["location"] == _fill(REDIRECTS[path], ids)


@pytest.mark.parametrize(("method", "path", "data"), _page_params(PAGES))
async def test_moderators_are_allowed(client, people, ids, method, path, data):
    browser = await browser_as(client, people["moderator"].email)
    response = await _request(browser, method, _fill(path, ids), data, ids, signed_in=True)
    assert response.status_code in (200, 302), response.text[:300]
    assert_done(response, method, path, ids)


@pytest.mark.parametrize(("method", "path", "data"), _page_params(ADMIN_PAGES))
async def test_roles_are_for_admins_only(client, people, ids, method, path, data):
    moderator = await browser_as(client, people["moderator"].email)
    assert (await _request(moderator, method, _fill(path, ids), data, ids, signed_in=True)).status_code == 403
    admin = await browser_as(client, people["admin"].email)
    response = await _request(admin, method, _fill(path, ids), data, ids, signed_in=True)
    assert_done(response, method, path, ids)


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
    assert response.status_code == 302
    assert response.headers["location"] == f"/login?next={quote(f'/report/idea/{published.id}')}"


async def test_moderation_link_only_for_moderators(client, people):
    for role, shown in (("member", False), ("editor", False), ("moderator", True), ("admin", True)):
        browser = await browser_as(client, people[role].email)
        page = await browser.get("/ideas")
        assert ('href="/moderation"' in page.text) is shown, role
    anonymous = await browser_as(client, None)
    assert 'href="/moderation"' not in (await anonymous.get("/ideas")).text


async def test_a_suspended_moderator_moderates_nothing(client, settings, people, submitted, events):
    """The staff guard and every moderation service ask `can_moderate`, which refuses a suspended account."""
    moderator = people["moderator"]
    browser = await browser_as(client, moderator.email)
    await accounts.suspend(people["admin"], moderator.id, "Tijdelijk geschorst.")
    suspended = await accounts.get_account(moderator.id)
    again = await browser_as(client, moderator.email)  # suspension ended the old session; sign in anew
    page = await again.get("/moderation")
    assert page.status_code == 403
    assert STAFF_ONLY in page_text(page)
    response = await post(again, f"/moderation/ideas/{submitted.id}/publish")
    assert response.status_code == 403
    assert STAFF_ONLY in page_text(response)
    assert (await browser.get("/moderation")).status_code == 302  # the old session is gone
    headers = await token_for(client, moderator)
    assert (await client.get("/api/v1/moderation/queue", headers=headers)).status_code == 403
    with pytest.raises(DomainError) as refused:
        await decisions.publish(settings, suspended, submitted.id, events=events)
    assert refused.value.status_code == 403
    assert (await Idea.select(Idea.status).where(Idea.id == submitted.id).first())["status"] == "submitted"
