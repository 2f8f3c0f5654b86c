"""Issue 12, finding 1: unpublished and hidden ideas (and their comments) must not leak, nor be enumerable.

Every route in the app's route table that takes an idea, comment or report-target id is asked
about a submitted, a needs_changes, a rejected and a moderator-hidden idea, a comment on the
hidden idea and a moderator-hidden comment: by an anonymous visitor and by a member, who must
get exactly the answer a missing id gets and never a title or body; by the author and a
moderator, who may see them. A new route taking such an id is covered without editing this file.
"""

from __future__ import annotations

import re

import httpx
import pytest

from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.app import create_app
from participation.lib.clock import utcnow
from tests.accounts.tools import another_browser
from tests.flows.conftest import sign_in_with_form
from tests.helpers import api_token, csrf_from, make_account
from tests.ideas.factories import make_comment, make_idea
from voting.tables import Support

pytestmark = pytest.mark.anyio

MISSING = 999_999
UNSEEN_STATUSES = ("submitted", "needs_changes", "rejected", "hidden")
ID_PARAMS = {"idea_id": "idea", "comment_id": "comment", "target_id": None}  # None: the path names the type
SKIPPED_METHODS = {"OPTIONS", "HEAD"}
# The only answers that differ from a missing id: a hidden idea's own page says that it was hidden and
# why (its public reason category, never its title), as it was public before.
HIDDEN_NOTICE = {("GET", "/ideas/{idea_id:int}"): 200, ("GET", "/api/v1/ideas/{idea_id:int}"): 410}
# A body the handler accepts, so that the API answer comes from the handler and not from body validation.
JSON_BODIES = {
    ("POST", "/api/v1/ideas/{idea_id:int}/withdraw"): {"reason": "other"},
    ("POST", "/api/v1/ideas/{idea_id:int}/comments"): {"body": "Een reactie van iemand anders."},
    ("PATCH", "/api/v1/comments/{comment_id:int}"): {"body": "Een andere tekst voor deze reactie."},
    ("POST", "/api/v1/moderation/ideas/{idea_id:int}/decision"): {"action": "publish"},
}


def id_routes() -> list[tuple[str, str, str]]:
    """(method, path template, target kind) for every route taking an idea or comment id."""
    found = []
    for route in create_app().routes:
        for name, kind in ID_PARAMS.items():
            if "{" + name + ":" in route.path:
                for method in sorted(route.methods - SKIPPED_METHODS):
                    found.append((method, route.path, kind or "any"))
    return found


ROUTES = id_routes()


def url_for(path: str, kind: str, target_id: int) -> str:
    url = re.sub(r"\{(idea_id|comment_id|target_id):int\}", str(target_id), path)
    return url.replace("{target_type:str}", kind)


@pytest.fixture
async def world(settings):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    commenter = await make_account(settings, email="commenter@example.org", name="Reageerder")
    await make_account(settings, email="member@example.org", name="Lid")
    await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator)
    ideas = {
        status: await make_idea(
            author,
            status=status,
            title=f"Geheime titel {status} van de auteur",
            body=f"Geheime tekst {status} van de auteur.",
            hidden_reason="personal_data" if status == "hidden" else None,
        )
        for status in UNSEEN_STATUSES
    }
    # Published before it was hidden: it had comments and supports.
    on_hidden = await make_comment(ideas["hidden"], commenter, body="Geheime reactie op het verborgen idee.")
    public = await make_idea(author, title="Een openbaar idee over fietsen")
    hidden_comment = await make_comment(
        public, commenter, body="Geheime reactie die een moderator verborg.", status="hidden", hidden_reason="offensive"
    )
    secrets = [i.title for i in ideas.values()] + [i.body for i in ideas.values()]
    secrets += [on_hidden.body, hidden_comment.body]
    return {
        "ideas": ideas,
        "comments": {"on hidden idea": on_hidden, "hidden": hidden_comment},
        "secrets": secrets,
    }


async def _browser(client, email: str | None) -> tuple[httpx.AsyncClient, dict[str, str]]:
    """A browser of its own, signed in or not, with the CSRF header its forms would send, and an API token."""
    browser = another_browser(client)
    if email:
        await sign_in_with_form(browser, email)
    browser.follow_redirects = False
    csrf = {"x-csrftoken": csrf_from((await browser.get("/account/forgot")).text)}
    token = await api_token(client, email) if email else {}
    return browser, {"html": csrf, "api": token}


async def _ask(browser, headers, method: str, path: str, url: str) -> httpx.Response:
    if path.startswith("/api/"):
        body = JSON_BODIES.get((method, path), {}) if method != "GET" else None
        return await browser.request(method, url, headers=headers["api"], json=body)
    return await browser.request(method, url, headers=headers["html"] if method != "GET" else {})


def _targets(world, kind: str) -> list[tuple[str, int]]:
    ideas = [("idea", i.id) for i in world["ideas"].values()]
    comments = [("comment", c.id) for c in world["comments"].values()]
    return {"idea": ideas, "comment": comments, "any": ideas + comments}[kind]


def _same_answer(missing: httpx.Response, answer: httpx.Response, missing_id: int, target_id: int) -> bool:
    location = answer.headers.get("location", "").replace(str(target_id), "ID")
    return answer.status_code == missing.status_code and location == missing.headers.get("location", "").replace(
        str(missing_id), "ID"
    )


def test_the_route_table_has_the_routes_this_test_must_cover():
    covered = {(m, p) for m, p, _ in ROUTES}
    for expected in [
        ("GET", "/ideas/{idea_id:int}"),
        ("GET", "/report/{target_type:str}/{target_id:int}"),
        ("POST", "/report/{target_type:str}/{target_id:int}"),
        ("POST", "/ideas/{idea_id:int}/support"),
        ("PUT", "/api/v1/ideas/{idea_id:int}/follow"),
        ("GET", "/comments/{comment_id:int}/edit"),
    ]:
        assert expected in covered


@pytest.mark.parametrize("who", ["anonymous", "member"])
async def test_unseen_content_answers_as_missing_and_leaks_nothing(client, world, who):
    browser, headers = await _browser(client, None if who == "anonymous" else "member@example.org")
    wrong = []
    for method, path, kind in ROUTES:
        for target_kind, target_id in _targets(world, kind):
            missing = await _ask(browser, headers, method, path, url_for(path, target_kind, MISSING))
            answer = await _ask(browser, headers, method, path, url_for(path, target_kind, target_id))
            where = f"{method} {url_for(path, target_kind, target_id)}"
            assert answer.status_code < 500, where
            leaked = [s for s in world["secrets"] if s in answer.text]
            if leaked:
                wrong.append(f"{where} shows {leaked}")
            hidden_idea = target_kind == "idea" and target_id == world["ideas"]["hidden"].id
            if hidden_idea and (method, path) in HIDDEN_NOTICE:
                if answer.status_code != HIDDEN_NOTICE[(method, path)]:
                    wrong.append(f"{where}: {answer.status_code}, not the hidden notice")
            elif not _same_answer(missing, answer, MISSING, target_id):
                wrong.append(f"{where}: {answer.status_code}, a missing id gets {missing.status_code}")
    assert wrong == []
    await browser.aclose()


async def test_a_member_cannot_report_unseen_content_through_the_api(client, world):
    headers = await api_token(client, "member@example.org")
    for target_type, target_id in _targets(world, "any") + [("idea", MISSING), ("comment", MISSING)]:
        body = {"target_type": target_type, "target_id": target_id, "reason": "spam"}
        response = await client.post("/api/v1/reports", json=body, headers=headers)
        assert response.status_code == 404, (target_type, target_id)
        assert not [s for s in world["secrets"] if s in response.text]


@pytest.mark.parametrize("who", ["author", "moderator"])
async def test_the_author_and_moderators_still_see_them(client, world, who):
    browser, headers = await _browser(client, "author@example.org" if who == "author" else "mod@example.org")
    pages = ["/ideas/{id}", "/api/v1/ideas/{id}", "/report/idea/{id}"]
    pages += ["/moderation/ideas/{id}"] if who == "moderator" else []
    for idea in world["ideas"].values():
        for page in pages:
            url = page.format(id=idea.id)
            response = await browser.get(url, headers=headers["api"] if url.startswith("/api/") else {})
            assert response.status_code == 200, url
            assert idea.title in response.text, url
    # Every other GET route answers them without a server error.
    for method, path, kind in ROUTES:
        if method == "GET":
            for target_kind, target_id in _targets(world, kind):
                response = await _ask(browser, headers, method, path, url_for(path, target_kind, target_id))
                assert response.status_code < 500, f"{method} {path} {target_id}"
    await browser.aclose()


async def test_a_supported_idea_that_was_hidden_leaves_my_supports(client, settings, world):
    member = await make_account(settings, email="fan@example.org")
    hidden, public = world["ideas"]["hidden"], await Idea.objects().get(Idea.title == "Een openbaar idee over fietsen")
    now = utcnow()
    await Support.insert(
        Support(account=member.id, idea=hidden.id, created_at=now),
        Support(account=member.id, idea=public.id, created_at=now),
    )
    await sign_in_with_form(client, "fan@example.org")
    page = await client.get("/account")
    assert page.status_code == 200
    assert public.title in page.text
    assert hidden.title not in page.text
