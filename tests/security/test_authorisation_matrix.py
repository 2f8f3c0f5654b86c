"""The authorisation matrix: every route of the app (method + path, from its route table) has one
access class below, and every route is requested as each of eight people.

A forbidden person must be refused (401/403, or the HTML sign-in redirect) and never get a
success; an allowed one must not be refused (what the handler then says, a 200, a redirect, a
422 for the empty form or a 404, is the handler's business and tested elsewhere). A route
without an entry fails the suite, naming the route: add one line to ACCESS.

OPTIONS is answered by the framework for every path and is not an access decision; it is left out.
"""

from __future__ import annotations

import re

import httpx
import pytest

from participation.accounts import tokens
from participation.accounts.tables import Account, Role
from participation.app import create_app
from participation.lib.clock import utcnow
from participation.register import services as register_services
from tests.accounts.tools import another_browser
from tests.flows.conftest import sign_in_with_form
from tests.helpers import api_token, csrf_from, make_account
from tests.ideas.factories import make_comment, make_idea

pytestmark = pytest.mark.anyio

PEOPLE = ("anonymous", "unverified", "member", "organisation", "moderator", "editor", "admin", "suspended")

PUBLIC = "public"  # everyone, signed in or not
SIGN_IN = "sign-in"  # everyone may try; the answer (401 for wrong credentials) depends on what is sent, not who asks
ACCOUNT = "account"  # any signed-in account, also an unverified or suspended one
PARTICIPANT = "participant"  # signed in, email confirmed, not suspended
MODERATOR = "moderator"  # moderators and admins (active accounts)
EDITOR = "editor"  # register editors and admins
ADMIN = "admin"
STAFF = "staff"  # moderators, register editors and admins (the statistics' staff exports)
NON_STAFF = "non-staff"  # signed-in accounts without a staff role (staff cannot turn two-step sign-in off)
OWNER = "owner"  # only the author of the idea or comment: the targets here are someone else's, so all are refused

ALLOWED = {
    PUBLIC: set(PEOPLE),
    SIGN_IN: set(PEOPLE),
    OWNER: set(),
    ACCOUNT: set(PEOPLE) - {"anonymous"},
    PARTICIPANT: {"member", "organisation", "moderator", "editor", "admin"},
    MODERATOR: {"moderator", "admin"},
    EDITOR: {"editor", "admin"},
    ADMIN: {"admin"},
    STAFF: {"moderator", "editor", "admin"},
    NON_STAFF: {"unverified", "member", "organisation", "suspended"},
}

# The one table: route -> access class. One line per route.
ACCESS = {
    "GET /": PUBLIC,
    "GET /accessibility": PUBLIC,
    "GET /privacy": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /.well-known/security.txt": PUBLIC,
    "GET /favicon.ico": PUBLIC,
    "GET /static/{file_path:path}": PUBLIC,
    "HEAD /static/{file_path:path}": PUBLIC,
    "GET /login": PUBLIC,
    "POST /login": SIGN_IN,
    "GET /login/code": PUBLIC,
    "POST /login/code": SIGN_IN,
    "GET /login/enrol": PUBLIC,
    "POST /login/enrol": SIGN_IN,
    "GET /login/oidc/{slug:str}": PUBLIC,
    "GET /login/oidc/callback": PUBLIC,
    "GET /account/identity/sign-up": PUBLIC,
    "POST /account/identity/sign-up": PUBLIC,
    "GET /account/identity/{slug:str}/link": ACCOUNT,
    "POST /account/identity/{slug:str}/unlink": ACCOUNT,
    "POST /logout": PUBLIC,
    "GET /account": ACCOUNT,
    "GET /account/register": PUBLIC,
    "POST /account/register": PUBLIC,
    "GET /account/register/sent": PUBLIC,
    "GET /account/verify": PUBLIC,
    "GET /account/verify/{token:str}": PUBLIC,
    "POST /account/verify/resend": ACCOUNT,
    "GET /account/forgot": PUBLIC,
    "POST /account/forgot": PUBLIC,
    "GET /account/reset": PUBLIC,
    "GET /account/reset/{token:str}": PUBLIC,
    "POST /account/reset": PUBLIC,
    "GET /account/organisation": ACCOUNT,
    "POST /account/organisation": ACCOUNT,
    "GET /account/password": ACCOUNT,
    "POST /account/password": ACCOUNT,
    "GET /account/ideas": ACCOUNT,
    "GET /account/tokens/new": ACCOUNT,
    "GET /account/confirm": ACCOUNT,
    "POST /account/confirm": ACCOUNT,
    "GET /account/data": ACCOUNT,
    "POST /account/data": ACCOUNT,
    "GET /account/delete": ACCOUNT,
    "POST /account/delete": ACCOUNT,
    "GET /account/deleted": PUBLIC,
    "GET /account/two-step": ACCOUNT,
    "POST /account/two-step/enable": ACCOUNT,
    "POST /account/two-step/recovery-codes": ACCOUNT,
    "POST /account/two-step/disable": NON_STAFF,
    "POST /account/tokens": ACCOUNT,
    "POST /account/tokens/{token_id:int}/revoke": ACCOUNT,
    "POST /account/sign-out-everywhere": ACCOUNT,
    "GET /account/notifications": ACCOUNT,
    "POST /account/notifications/read": ACCOUNT,
    "POST /account/notifications/{notification_id:int}/read": ACCOUNT,
    "GET /account/notifications/settings": ACCOUNT,
    "POST /account/notifications/settings": ACCOUNT,
    "GET /unsubscribe/{what:str}": PUBLIC,
    "POST /unsubscribe/{what:str}": PUBLIC,
    "GET /ideas": PUBLIC,
    "GET /ideas/similar": PUBLIC,
    "GET /ideas/new": PARTICIPANT,
    "POST /ideas/new": PARTICIPANT,
    "GET /ideas/{idea_id:int}": PUBLIC,
    "GET /ideas/{idea_id:int}/edit": OWNER,
    "POST /ideas/{idea_id:int}/edit": OWNER,
    "GET /ideas/{idea_id:int}/withdraw": OWNER,
    "POST /ideas/{idea_id:int}/withdraw": OWNER,
    "POST /ideas/{idea_id:int}/comments": PARTICIPANT,
    "GET /ideas/{idea_id:int}/comments/{comment_id:int}": PUBLIC,
    "GET /ideas/{idea_id:int}/comments/{comment_id:int}/replies": PUBLIC,
    "GET /comments/{comment_id:int}/edit": OWNER,
    "POST /comments/{comment_id:int}/edit": OWNER,
    "POST /comments/{comment_id:int}/delete": OWNER,
    "POST /ideas/{idea_id:int}/follow": PARTICIPANT,
    "POST /ideas/{idea_id:int}/unfollow": ACCOUNT,
    "POST /ideas/{idea_id:int}/support": PARTICIPANT,
    "POST /ideas/{idea_id:int}/support/withdraw": ACCOUNT,
    "GET /report/{target_type:str}/{target_id:int}": ACCOUNT,
    "POST /report/{target_type:str}/{target_id:int}": PARTICIPANT,
    "GET /register": PUBLIC,
    "GET /register.csv": PUBLIC,
    "GET /map": PUBLIC,
    "GET /map/features.geojson": PUBLIC,
    "GET /places/neighbourhood": PUBLIC,
    "GET /register.json": PUBLIC,
    "GET /register/schema/v1.json": PUBLIC,
    "GET /register/algorithms.json": PUBLIC,
    "GET /register/algorithms.csv": PUBLIC,
    "GET /register/feed.atom": PUBLIC,
    "GET /catalog.jsonld": PUBLIC,
    "GET /region": PUBLIC,
    "GET /register/lessons": PUBLIC,
    "GET /register/lines": PUBLIC,
    "GET /register/lines/{slug:str}": PUBLIC,
    "GET /register/lines/{slug:str}/edit": ADMIN,
    "POST /register/lines/{slug:str}/edit": ADMIN,
    "GET /register/report": PUBLIC,
    "GET /register/report.csv": PUBLIC,
    "GET /register/report.json": PUBLIC,
    "GET /register/{slug:str}/budget": EDITOR,
    "POST /register/{slug:str}/budget": EDITOR,
    "GET /register/new": EDITOR,
    "POST /register/new": EDITOR,
    "GET /register/{slug:str}": PUBLIC,
    "GET /register/{slug:str}/edit": EDITOR,
    "POST /register/{slug:str}/edit": EDITOR,
    "GET /register/{slug:str}/update": EDITOR,
    "POST /register/{slug:str}/update": EDITOR,
    "POST /register/{slug:str}/follow": ACCOUNT,
    "POST /register/{slug:str}/unfollow": ACCOUNT,
    "POST /register/{slug:str}/publish": EDITOR,
    "POST /register/{slug:str}/notes": EDITOR,
    "GET /register/{slug:str}/history": EDITOR,
    "GET /register/{slug:str}/links": EDITOR,
    "POST /register/{slug:str}/links": EDITOR,
    "POST /register/{slug:str}/links/{link_id:int}/delete": EDITOR,
    "GET /register/{slug:str}/ideas": EDITOR,
    "GET /register/{slug:str}/assessment": EDITOR,
    "POST /register/{slug:str}/assessment": EDITOR,
    "GET /register/{slug:str}/goals": EDITOR,
    "POST /register/{slug:str}/goals": EDITOR,
    "POST /register/{slug:str}/goals/{goal_id:int}/indicators": EDITOR,
    "POST /register/{slug:str}/goals/{goal_id:int}/delete": EDITOR,
    "POST /register/{slug:str}/indicators/{indicator_id:int}/measurements": EDITOR,
    "POST /register/{slug:str}/indicators/{indicator_id:int}/delete": EDITOR,
    "POST /register/{slug:str}/measurements/{measurement_id:int}/delete": EDITOR,
    "GET /register/{slug:str}/images": EDITOR,
    "POST /register/{slug:str}/images": EDITOR,
    "POST /register/{slug:str}/images/{image_id:int}/delete": EDITOR,
    "GET /media/images/{image_id:int}/{width:int}": PUBLIC,
    "GET /ideas/{idea_id:int}/images": OWNER,
    "POST /ideas/{idea_id:int}/images": OWNER,
    "POST /ideas/{idea_id:int}/images/{image_id:int}/delete": OWNER,
    "GET /ideas/{idea_id:int}/document": PUBLIC,
    "POST /ideas/{idea_id:int}/document": OWNER,
    "POST /ideas/{idea_id:int}/document/delete": OWNER,
    "GET /moderation/images/{image_id:int}/remove": MODERATOR,
    "POST /moderation/images/{image_id:int}/remove": MODERATOR,
    "POST /register/{slug:str}/ideas": EDITOR,
    "GET /stats": PUBLIC,
    "GET /stats.csv": PUBLIC,
    "GET /stats/exports": STAFF,
    "GET /stats/exports/{dataset:str}": STAFF,
    "GET /moderation": MODERATOR,
    "GET /moderation/ideas/{idea_id:int}": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/publish": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/request-changes": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/reject": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/duplicate": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/route": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/threshold": ADMIN,
    "POST /moderation/ideas/{idea_id:int}/assign": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/notes": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/classification": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/hide": MODERATOR,
    "POST /moderation/ideas/{idea_id:int}/restore": MODERATOR,
    "POST /moderation/comments/{comment_id:int}/hide": MODERATOR,
    "POST /moderation/comments/{comment_id:int}/restore": MODERATOR,
    "GET /moderation/reports": MODERATOR,
    "POST /moderation/reports/{target_type:str}/{target_id:int}/uphold": MODERATOR,
    "POST /moderation/reports/{target_type:str}/{target_id:int}/dismiss": MODERATOR,
    "GET /moderation/accounts": MODERATOR,
    "GET /moderation/accounts/{account_id:int}": MODERATOR,
    "POST /moderation/accounts/{account_id:int}/suspend": MODERATOR,
    "POST /moderation/accounts/{account_id:int}/lift": MODERATOR,
    "POST /moderation/accounts/{account_id:int}/erase": ADMIN,
    "POST /moderation/accounts/{account_id:int}/verify-organisation": MODERATOR,
    "POST /moderation/accounts/{account_id:int}/revoke-organisation": MODERATOR,
    "GET /moderation/roles": ADMIN,
    "POST /moderation/roles/{account_id:int}": ADMIN,
    "GET /moderation/log": MODERATOR,
    "GET /admin/outbox": ADMIN,
    "POST /admin/outbox/retry": ADMIN,
    "GET /admin/security-log": ADMIN,
    "POST /api/v1/auth/token": SIGN_IN,
    "GET /api/v1/me": ACCOUNT,
    "GET /api/v1/auth/tokens": ACCOUNT,
    "GET /api/v1/me/export": ACCOUNT,
    "DELETE /api/v1/auth/token/{token_id:int}": ACCOUNT,
    "GET /api/v1/ideas": PUBLIC,
    "POST /api/v1/ideas": PARTICIPANT,
    "GET /api/v1/ideas/{idea_id:int}": PUBLIC,
    "PATCH /api/v1/ideas/{idea_id:int}": OWNER,
    "POST /api/v1/ideas/{idea_id:int}/withdraw": OWNER,
    "GET /api/v1/ideas/{idea_id:int}/comments": PUBLIC,
    "POST /api/v1/ideas/{idea_id:int}/comments": PARTICIPANT,
    "PATCH /api/v1/comments/{comment_id:int}": OWNER,
    "DELETE /api/v1/comments/{comment_id:int}": OWNER,
    "PUT /api/v1/ideas/{idea_id:int}/follow": PARTICIPANT,
    "DELETE /api/v1/ideas/{idea_id:int}/follow": ACCOUNT,
    "PUT /api/v1/ideas/{idea_id:int}/support": PARTICIPANT,
    "DELETE /api/v1/ideas/{idea_id:int}/support": ACCOUNT,
    "GET /api/v1/themes": PUBLIC,
    "GET /api/v1/neighbourhoods": PUBLIC,
    "GET /api/v1/register": PUBLIC,
    "POST /api/v1/register": EDITOR,
    "GET /api/v1/register/{slug:str}": PUBLIC,
    "PATCH /api/v1/register/{slug:str}": EDITOR,
    "POST /api/v1/register/{slug:str}/updates": EDITOR,
    "POST /api/v1/reports": PARTICIPANT,
    "GET /api/v1/moderation/queue": MODERATOR,
    "GET /api/v1/moderation/reports": MODERATOR,
    "POST /api/v1/moderation/ideas/{idea_id:int}/decision": MODERATOR,
    "GET /api/v1/stats": PUBLIC,
    "GET /api/v1/schema": PUBLIC,
    "GET /api/v1/schema/openapi.json": PUBLIC,
    "GET /api/v1/schema/openapi.yaml": PUBLIC,
    "GET /api/v1/schema/openapi.yml": PUBLIC,
    "GET /api/v1/schema/{path:str}": PUBLIC,
}

# Requests that end the asking session run after all others of that person.
ENDS_SESSION = {"POST /logout", "POST /account/sign-out-everywhere"}
# JSON bodies the API accepts, so that a refusal comes from the rules and not from body validation.
JSON_BODIES = {
    "POST /api/v1/ideas": {
        "kind": "idea",
        "title": "Slimme fietsenstalling bij het station",
        "summary": "Een fietsenstalling die laat zien hoeveel plekken er vrij zijn.",
        "body": "Met sensoren per plek.",
        "theme": "mobility",
        "neighbourhood": "centrum",
        "scope": "narrow",
    },
    "POST /api/v1/ideas/{idea_id:int}/withdraw": {"reason": "other"},
    "POST /api/v1/ideas/{idea_id:int}/comments": {"body": "Een reactie op dit idee."},
    "PATCH /api/v1/comments/{comment_id:int}": {"body": "Een andere tekst voor de reactie."},
    "POST /api/v1/reports": {"target_type": "idea", "target_id": "{target_id}", "reason": "spam"},
    "POST /api/v1/moderation/ideas/{idea_id:int}/decision": {"action": "publish"},
}


def app_routes() -> list[str]:
    return sorted(
        f"{method} {route.path}" for route in create_app().routes for method in route.methods if method != "OPTIONS"
    )


def test_every_route_has_an_access_class():
    routes = app_routes()
    missing = [route for route in routes if route not in ACCESS]
    assert missing == [], f"add these routes to ACCESS in {__file__}: {missing}"
    gone = [route for route in ACCESS if route not in routes]
    assert gone == [], f"these ACCESS entries name no route of the app: {gone}"


def refused(response: httpx.Response, route: str) -> bool:
    if ACCESS[route] == SIGN_IN:
        return False  # a wrong password is not a refusal of the person
    if response.status_code in (401, 403):
        return True
    # The sign-in redirect of a refusal carries where to return (`?next=`); "signed out, sign in
    # again" after "sign out everywhere" is a plain /login.
    return response.is_redirect and response.headers.get("location", "").startswith("/login?next=")


@pytest.fixture
async def people(client, settings) -> dict[str, tuple[httpx.AsyncClient, dict[str, str]]]:
    """Each person's own browser (signed in through the form), with its CSRF header and API token."""
    accounts = {
        "unverified": await make_account(settings, email="unverified@example.org", verified=False),
        "member": await make_account(settings, email="member@example.org"),
        "organisation": await make_account(
            settings, email="info@bedrijf.example", organisation="Bedrijf BV", kvk="12345678"
        ),
        "moderator": await make_account(settings, email="mod@example.org", role=Role.moderator),
        "editor": await make_account(settings, email="editor@example.org", role=Role.editor),
        "admin": await make_account(settings, email="admin@example.org", role=Role.admin),
        "suspended": await make_account(settings, email="suspended@example.org"),
    }
    await Account.update({Account.suspended_at: utcnow(), Account.suspension_reason: "Spam"}).where(
        Account.id == accounts["suspended"].id
    )
    found = {}
    for who in PEOPLE:
        browser = another_browser(client)
        email = accounts[who].email if who in accounts else None
        if email:
            await sign_in_with_form(browser, email)
        browser.follow_redirects = False
        csrf = {"x-csrftoken": csrf_from((await browser.get("/account/forgot")).text)}
        found[who] = (browser, {"html": csrf, "api": await api_token(client, email) if email else {}})
    yield found
    for browser, _ in found.values():
        await browser.aclose()


@pytest.fixture
async def targets(settings) -> dict[str, str]:
    """Something real for every path parameter, owned by none of the people asking."""
    author = await make_account(settings, email="author@example.org", name="Auteur")
    target = await make_account(settings, email="target@example.org", name="Doelwit")
    editor = await make_account(settings, email="redactie@example.org", role=Role.editor)
    idea = await make_idea(author, title="Een openbaar idee over bankjes")
    # Reports go to an idea of their own: three of them hide it, which would close the other to comments.
    reported = await make_idea(author, title="Een openbaar idee dat gemeld wordt")
    comment = await make_comment(idea, author, body="Een reactie van de auteur zelf.")
    author_token = await tokens.create_api_token(settings, author, name="van de auteur")
    entry = await register_services.create_entry(
        settings,
        editor,
        {"title": "Slimme bankjes", "summary": "Bankjes met zonnepanelen.", "theme": "energy", "scope": "narrow"}
        | {"origin": "city"},
    )
    return {
        "idea_id": str(idea.id),
        "comment_id": str(comment.id),
        "target_type": "idea",
        "target_id": str(reported.id),
        "slug": entry.slug,
        "account_id": str(target.id),
        "notification_id": "1",
        "link_id": "1",
        "token_id": str(author_token.token.id),
        "token": "not-a-real-link",
        "what": "digest",
        "file_path": "site.css",
        "path": "openapi.json",
        "dataset": "ideas.xlsx",
        # Goals of the entry (none exist: the refusal comes before the lookup's 404).
        "goal_id": "1",
        "indicator_id": "1",
        "measurement_id": "1",
        "image_id": "1",
        "width": "480",
    }


def url_of(path: str, targets: dict[str, str]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: targets[m.group(1)], path)


async def test_every_person_gets_what_their_route_allows(people, targets):
    cells = sorted(app_routes(), key=lambda route: route in ENDS_SESSION)
    wrong = []
    for who in PEOPLE:
        browser, headers = people[who]
        for route in cells:
            method, path = route.split(" ", 1)
            url = url_of(path, targets)
            if path.startswith("/api/"):
                body = {} if method in ("POST", "PUT", "PATCH") else None
                if route in JSON_BODIES:
                    body = {
                        k: int(targets["target_id"]) if v == "{target_id}" else v for k, v in JSON_BODIES[route].items()
                    }
                response = await browser.request(method, url, headers=headers["api"], json=body)
            else:
                response = await browser.request(method, url, headers=headers["html"] if method != "GET" else {})
            allowed = who in ALLOWED[ACCESS[route]]
            if response.status_code >= 500:
                wrong.append(f"{route} as {who}: {response.status_code}")
            elif allowed == refused(response, route):
                want = "allowed" if allowed else "refused"
                wrong.append(f"{route} as {who}: {response.status_code}, should be {want}")
    assert wrong == [], "\n".join(wrong)
