"""No third parties: no page makes the browser fetch anything from another host.

Every page type is rendered (anonymous, member, moderator, editor, administrator, in Dutch and
English) and every URL a browser would load without a click is checked: `src` (images, scripts,
frames), `srcset`, `poster`, `<object data>`, `<link href>` for stylesheets, icons, preloads and
manifests, and CSS `url()`/`@import` in `<style>`, `style=""` and every static CSS file. A link a
person clicks (`<a href>`) may go elsewhere: that is their choice, not a silent request.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from participation.accounts.tables import Role
from participation.settings import ROOT
from tests.helpers import make_account
from tests.ideas.factories import make_idea
from tests.privacy.conftest import OTHER_EMAIL, SUBJECT_EMAIL
from tests.privacy.test_export import confirm_password, signed_in

OUR_HOST = "testserver.local"
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "manifest",
    "prefetch",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


def foreign(url: str) -> bool:
    """An absolute URL (or protocol-relative one) to a host that is not ours."""
    url = url.strip()
    if url.startswith("data:") or url.startswith("#"):
        return False
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.hostname != OUR_HOST


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def loaded_urls(html: str) -> list[str]:
    """What a browser fetches on its own when it renders `html`."""
    tree = LexborHTMLParser(html)
    urls: list[str] = []
    for node in tree.css("[src], [poster], object[data]"):
        urls += [node.attributes.get(name) or "" for name in ("src", "poster", "data") if name in node.attributes]
    for node in tree.css("[srcset]"):
        urls += [
            candidate.split()[0] for candidate in (node.attributes.get("srcset") or "").split(",") if candidate.strip()
        ]
    for node in tree.css("link[href]"):
        if set((node.attributes.get("rel") or "").lower().split()) & LOADING_RELS:
            urls.append(node.attributes.get("href") or "")
    for node in tree.css("style"):
        urls += css_urls(node.text(deep=True))
    for node in tree.css("[style]"):
        urls += css_urls(node.attributes.get("style") or "")
    return urls


def test_the_check_catches_each_kind_of_third_party_load():
    page = """<html><head><link rel="stylesheet" href="https://cdn.example.com/a.css">
      <link rel="icon" href="//icons.example.net/i.png"><style>body{background:url('https://img.example.org/b.png')}</style>
      <script src="https://js.example.com/x.js"></script></head>
      <body><img src="http://tracker.example/p.gif" srcset="/ok.png 1x, https://img.example.org/2x.png 2x">
      <div style="background: url(https://img.example.org/c.png)"></div>
      <a href="https://elsewhere.example/">a link is fine</a><img src="/static/own.png">
      <img src="data:image/png;base64,AA"></body></html>"""
    assert sorted(url for url in loaded_urls(page) if foreign(url)) == [
        "//icons.example.net/i.png",
        "http://tracker.example/p.gif",
        "https://cdn.example.com/a.css",
        "https://img.example.org/2x.png",
        "https://img.example.org/b.png",
        "https://img.example.org/c.png",
        "https://js.example.com/x.js",
    ]


def test_no_static_stylesheet_loads_from_another_host():
    sheets = sorted((ROOT / "static").rglob("*.css"))
    assert len(sheets) >= 5  # the site's own and the vendored NL Design System sheets
    offenders = {
        str(path.relative_to(ROOT)): [u for u in css_urls(path.read_text(encoding="utf-8")) if foreign(u)]
        for path in sheets
    }
    assert {path: urls for path, urls in offenders.items() if urls} == {}


@pytest.fixture
async def browsers(client, settings, world):
    for email, role in (
        ("moderator@example.org", Role.moderator),
        ("editor@example.org", Role.editor),
        ("admin@example.org", Role.admin),
    ):
        await make_account(settings, email=email, name=email.split("@")[0].title(), role=role)
    world.draft = await make_idea(world.subject, status="submitted", title="Een concept dat nog bewerkt wordt")
    member = await signed_in(client, SUBJECT_EMAIL)
    await confirm_password(member, "/account/data")  # the data and delete pages need a fresh confirmation
    return {
        None: client,
        "member": member,
        "other": await signed_in(client, OTHER_EMAIL),
        "moderator": await signed_in(client, "moderator@example.org"),
        "editor": await signed_in(client, "editor@example.org"),
        "admin": await signed_in(client, "admin@example.org"),
    }


async def test_no_page_loads_anything_from_another_host(browsers, world):
    idea, comment, entry, subject = world.subject_idea, world.subject_comment, world.entry, world.subject
    pages = [
        (None, "/"),
        (None, "/ideas"),
        (None, "/ideas?q=moestuin&theme=mobility&sort=relevance"),
        (None, f"/ideas/{idea.id}"),
        (None, "/register"),
        (None, f"/register/{entry.slug}"),
        (None, "/register/lessons"),
        (None, "/privacy"),
        (None, "/accessibility"),
        (None, "/login"),
        (None, "/account/register"),
        (None, "/account/register?kind=organisation"),
        (None, "/account/forgot"),
        (None, "/account/deleted"),
        (None, "/ideas/999999"),
        ("member", "/account"),
        ("member", "/account/ideas"),
        ("member", "/ideas/new"),
        ("member", f"/ideas/{world.draft.id}/edit"),
        ("member", f"/ideas/{world.draft.id}/withdraw"),
        ("member", f"/comments/{comment.id}/edit"),
        ("member", f"/report/idea/{world.other_idea.id}"),
        ("member", "/account/password"),
        ("member", "/account/notifications"),
        ("member", "/account/confirm?next=/account/data"),
        ("member", "/account/data"),
        ("member", "/account/delete"),
        ("moderator", "/moderation"),
        ("moderator", f"/moderation/ideas/{idea.id}"),
        ("moderator", "/moderation/reports"),
        ("moderator", "/moderation/accounts"),
        ("moderator", f"/moderation/accounts/{subject.id}"),
        ("moderator", "/moderation/log"),
        ("admin", "/moderation/roles"),
        ("admin", f"/moderation/accounts/{subject.id}"),
        ("admin", "/admin/outbox"),
        ("editor", "/register/new"),
        ("editor", f"/register/{entry.slug}/edit"),
        ("editor", f"/register/{entry.slug}/update"),
    ]
    checked = 0
    for who, path in pages:
        for lang in ("nl", "en"):
            url = path + ("&" if "?" in path else "?") + f"lang={lang}"
            response = await browsers[who].get(url)
            assert response.status_code in (200, 404), (who, url, response.status_code)
            assert "text/html" in response.headers["content-type"], url
            assert [u for u in loaded_urls(response.text) if foreign(u)] == [], (who, url)
            checked += 1
    assert checked == 2 * len(pages)
