"""Detail page sanitising, comments (edit window, replies, counters), follows, trending."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

import anyio
import pytest

from ideas import services, trending
from ideas.tables import Comment, Follow, Idea
from ideas.text import render_comment
from participation.lib.clock import utcnow
from participation.validation import DomainError, FormErrors
from tests.helpers import make_account, post_form, sign_in
from tests.ideas.factories import make_idea


@pytest.fixture
async def author(settings):
    return await make_account(settings, email="author@example.org", name="Auteur")


@pytest.fixture
async def reader(settings):
    return await make_account(settings, email="reader@example.org", name="Lezer")


async def test_description_is_sanitised(client, author):
    body = (
        "Hallo <script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)">\n\n'
        "[klik](javascript:alert(1)) en [echt](https://example.org)"
    )
    idea = await make_idea(author, body=body)
    page = (await client.get(f"/ideas/{idea.id}")).text
    api = (await client.get(f"/api/v1/ideas/{idea.id}")).json()["body_html"]
    for html in (page, api):
        # Raw HTML may show as escaped text, but never as markup.
        assert "<script>alert" not in html
        assert not re.search(r"<[^>]*\bonerror", html)
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.IGNORECASE)
        assert '<a href="https://example.org" rel="nofollow ugc noopener">' in html


async def test_pilot_detail_shows_the_organisation(client, settings):
    org = await make_account(
        settings, email="org@example.org", name="Contactpersoon", organisation="Slim BV", kvk="12345678"
    )
    idea = await make_idea(
        org,
        kind="pilot",
        pilot_what="Sensoren in lantaarnpalen testen",
        pilot_where="Oosterheem",
        pilot_duration_weeks=12,
        pilot_asks="space,data",
        pilot_personal_data=False,
    )
    page = (await client.get(f"/ideas/{idea.id}")).text
    assert "Slim BV" in page and "Sensoren in lantaarnpalen testen" in page
    assert (await client.get(f"/api/v1/ideas/{idea.id}")).json()["author"] == "Slim BV"


def test_comment_text_is_plain_with_links_and_line_breaks():
    html = render_comment('Zie https://example.org/plan?a=1&b=2.\n<b onclick="x">vet</b> javascript:alert(1)')
    assert '<a class="utrecht-link" href="https://example.org/plan?a=1&amp;b=2" rel="nofollow ugc noopener">' in html
    assert "<br>" in html and "<b " not in html and "&lt;b onclick" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(("length", "ok"), [(0, False), (1, True), (2000, True), (2001, False)])
async def test_comment_length_limits(author, reader, length, ok, events):
    idea = await make_idea(author)
    if ok:
        await services.add_comment(reader, idea.id, "x" * length, events=events)
    else:
        with pytest.raises(FormErrors):
            await services.add_comment(reader, idea.id, "x" * length, events=events)


async def test_comments_only_on_published_ideas_by_verified_accounts(settings, author, reader, events):
    submitted = await make_idea(author, status="submitted")
    with pytest.raises(DomainError):
        await services.add_comment(author, submitted.id, "Mag ik hier al reageren?", events=events)
    unverified = await make_account(settings, email="new@example.org", verified=False)
    published = await make_idea(author)
    with pytest.raises(DomainError) as exc:
        await services.add_comment(unverified, published.id, "Eerst bevestigen", events=events)
    assert exc.value.status_code == 403


async def test_replies_are_one_level_deep(author, reader, events):
    idea = await make_idea(author)
    top = await services.add_comment(reader, idea.id, "Eerste reactie", events=events)
    reply = await services.add_comment(author, idea.id, "Antwoord", parent_id=top.id, events=events)
    with pytest.raises(DomainError) as exc:
        await services.add_comment(reader, idea.id, "Antwoord op antwoord", parent_id=reply.id, events=events)
    assert exc.value.status_code == 400
    other = await make_idea(author)
    with pytest.raises(DomainError):
        await services.add_comment(reader, other.id, "Verkeerd idee", parent_id=top.id, events=events)
    threads = (await services.list_comments(idea.id)).items
    assert len(threads) == 1 and [r.comment.body for r in threads[0].replies] == ["Antwoord"]


async def test_comment_edit_window(author, reader, events):
    idea = await make_idea(author)
    comment = await services.add_comment(reader, idea.id, "Eerste versie", events=events)
    edited = await services.edit_comment(
        reader, comment.id, "Tweede versie", now=comment.created_at + timedelta(minutes=14), events=events
    )
    assert edited.body == "Tweede versie" and edited.edited_at is not None
    with pytest.raises(DomainError) as late:
        await services.edit_comment(
            reader, comment.id, "Te laat", now=comment.created_at + timedelta(minutes=16), events=events
        )
    assert late.value.status_code == 409
    with pytest.raises(DomainError) as other:
        await services.edit_comment(author, comment.id, "Niet van mij", events=events)
    assert other.value.status_code == 403


async def test_deleted_comment_shows_only_when_it_has_replies(client, author, reader, events):
    idea = await make_idea(author)
    with_reply = await services.add_comment(reader, idea.id, "Wordt verwijderd maar heeft antwoord", events=events)
    await services.add_comment(author, idea.id, "Een antwoord", parent_id=with_reply.id, events=events)
    alone = await services.add_comment(reader, idea.id, "Wordt verwijderd zonder antwoord", events=events)
    await services.delete_comment(reader, with_reply.id)
    await services.delete_comment(reader, alone.id)
    with pytest.raises(DomainError):
        await services.delete_comment(author, alone.id)
    threads = (await services.list_comments(idea.id)).items
    assert len(threads) == 1 and threads[0].deleted and threads[0].replies
    page = (await client.get(f"/ideas/{idea.id}?lang=en")).text
    assert "Comment deleted" in page
    assert "Wordt verwijderd" not in page
    assert (await services.get_idea(idea.id)).comment_count == 1


async def test_comment_order(author, reader, events):
    idea = await make_idea(author)
    for text in ("een", "twee", "drie"):
        await services.add_comment(reader, idea.id, text, events=events)
    assert [t.comment.body for t in (await services.list_comments(idea.id)).items] == ["drie", "twee", "een"]
    assert [t.comment.body for t in (await services.list_comments(idea.id, newest_first=False)).items] == [
        "een",
        "twee",
        "drie",
    ]


async def test_comment_counter_matches_rows_after_concurrent_comments(settings, author, events):
    idea = await make_idea(author)
    people = [await make_account(settings, email=f"p{i}@example.org") for i in range(10)]

    async with anyio.create_task_group() as tg:
        for i, person in enumerate(people):
            for j in range(2):
                tg.start_soon(partial(services.add_comment, person, idea.id, f"Reactie {i}-{j}", events=events))
    rows = await Comment.count().where(Comment.idea == idea.id)
    assert rows == 20
    assert (await services.get_idea(idea.id)).comment_count == rows


async def test_comment_through_the_page(client, author, reader):
    idea = await make_idea(author)
    await sign_in(client, "reader@example.org")
    response = await post_form(
        client,
        f"/ideas/{idea.id}/comments",
        {"body": "Zie https://example.org\nTweede regel"},
        form_page=f"/ideas/{idea.id}",
    )
    assert response.status_code in (302, 303)
    page = (await client.get(f"/ideas/{idea.id}")).text
    assert 'href="https://example.org" rel="nofollow ugc noopener"' in page and "Tweede regel" in page
    empty = await post_form(client, f"/ideas/{idea.id}/comments", {"body": "   "}, form_page=f"/ideas/{idea.id}")
    assert empty.status_code == 422


async def test_follow_is_idempotent(client, author, reader):
    idea = await make_idea(author)
    await services.follow(reader, idea.id)
    await services.follow(reader, idea.id)
    assert await Follow.count().where(Follow.idea == idea.id) == 1
    assert await services.is_following(reader, idea.id)
    await services.unfollow(reader, idea.id)
    await services.unfollow(reader, idea.id)
    assert not await services.is_following(reader, idea.id)
    await sign_in(client, "reader@example.org")
    for _ in range(2):
        assert (await post_form(client, f"/ideas/{idea.id}/follow", {}, form_page=f"/ideas/{idea.id}")).status_code in (
            302,
            303,
        )
    assert await Follow.count().where(Follow.idea == idea.id) == 1


async def test_concurrent_follows_make_one_row(author, reader):
    idea = await make_idea(author)
    async with anyio.create_task_group() as tg:
        for _ in range(10):
            tg.start_soon(services.follow, reader, idea.id)
    assert await Follow.count() == 1


async def test_cannot_follow_an_idea_one_cannot_see(author, reader):
    idea = await make_idea(author, status="submitted")
    with pytest.raises(DomainError) as exc:
        await services.follow(reader, idea.id)
    assert exc.value.status_code == 404


def test_trending_formula():
    assert trending.trending_score(0, 0, 0) == pytest.approx(-1 / 2**1.4)
    # More recent activity ranks higher; the same activity ranks lower with age.
    assert trending.trending_score(10, 0, 5) > trending.trending_score(5, 0, 5)
    assert trending.trending_score(10, 2, 5) > trending.trending_score(10, 2, 50)


async def test_trending_refreshes_on_comment(author, reader, events):
    idea = await make_idea(author)
    before = (await services.get_idea(idea.id)).trending_score
    await services.add_comment(reader, idea.id, "Levendig!", events=events)
    after_comment = (await services.get_idea(idea.id)).trending_score
    assert after_comment > before


async def test_stored_score_counts_the_supports_passed_in(author):
    idea = await make_idea(author)
    now = utcnow()
    without = await trending.store_score(idea.id, recent_supports=0, now=now)
    with_supports = await trending.store_score(idea.id, recent_supports=7, now=now)
    assert with_supports > without
    stored = await Idea.select(Idea.trending_score).where(Idea.id == idea.id).first()
    assert stored["trending_score"] == pytest.approx(with_supports)
