"""The idea pages render for each kind of visitor, without inline script or style (CSP)."""

from __future__ import annotations

import re

from ideas import services
from tests.helpers import make_account, sign_in
from tests.ideas.factories import make_comment, make_idea

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def assert_csp_clean(html: str) -> None:
    assert 'style="' not in html
    assert not INLINE_SCRIPT.search(html)
    assert not re.search(r"\son[a-z]+=", html)


async def test_pages_render_for_an_organisation(client, settings):
    org = await make_account(settings, email="org@example.org", organisation="Slim BV", kvk="12345678")
    idea = await make_idea(
        org,
        kind="pilot",
        pilot_what="Iets testen in de stad",
        pilot_where="Centrum",
        pilot_duration_weeks=8,
        pilot_asks="data",
        pilot_personal_data=True,
        pilot_personal_data_details="Tellingen",
    )
    await make_comment(idea, org, "Wij beantwoorden graag vragen.")
    await sign_in(client, "org@example.org")
    for url in (
        "/ideas",
        "/ideas/new",
        "/ideas/new?kind=pilot",
        f"/ideas/{idea.id}",
        "/account",
        "/account/ideas",
        "/ideas?q=testen&sort=relevance",
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.text)
    pilot_form = (await client.get("/ideas/new?kind=pilot")).text
    assert 'name="pilot_what"' in pilot_form and 'name="pilot_asks"' in pilot_form
    assert 'hx-get="/ideas/similar"' in pilot_form


async def test_resident_pilot_form_falls_back_to_an_idea(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    page = (await client.get("/ideas/new?kind=pilot")).text
    assert 'name="pilot_what"' not in page
    assert '<input type="hidden" name="kind" value="idea">' in page


async def test_anonymous_visitor_is_sent_to_sign_in_for_the_form(client, settings):
    response = await client.get("/ideas/new")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    author = await make_account(settings)
    idea = await make_idea(author)
    page = await client.get(f"/ideas/{idea.id}")
    assert page.status_code == 200 and f"/login?next=/ideas/{idea.id}" in page.text
    assert (await client.get("/ideas/999999")).status_code == 404


async def test_card_shows_counts_status_and_labels(client, settings):
    author = await make_account(settings)
    idea = await make_idea(
        author, support_count=42, comment_count=3, theme="energy", neighbourhood="oosterheem", scope="broad"
    )
    page = (await client.get("/ideas?lang=en")).text
    assert "42 supports" in page and "3 comments" in page
    assert "idea-status--published" in page and "Energy" in page and "Oosterheem" in page
    assert "Broad: innovation and collaboration" in page
    assert f'href="/ideas/{idea.id}"' in page


async def test_comment_edit_page(client, settings, events):
    author = await make_account(settings)
    idea = await make_idea(author)
    comment = await services.add_comment(author, idea.id, "Eerste versie", events=events)
    await sign_in(client, "resident@example.org")
    from tests.helpers import post_form

    response = await post_form(client, f"/comments/{comment.id}/edit", {"body": "Tweede versie"})
    assert response.status_code in (302, 303)
    page = (await client.get(f"/ideas/{idea.id}?lang=en")).text
    assert "Tweede versie" in page and "(edited)" in page
