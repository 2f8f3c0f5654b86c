"""Comments a page at a time: threads paged with their first replies, the thread view, permalinks
that land on the page holding the comment, and the API's pages. No page grows with the comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from ideas import services
from ideas.tables import Comment, Idea
from tests.forms import follow, form_on, open_form, text_of
from tests.helpers import make_account, sign_in
from tests.ideas.factories import make_idea

PER_PAGE, SHOWN = services.THREADS_PER_PAGE, services.REPLIES_SHOWN


@pytest.fixture
async def author(settings):
    return await make_account(settings, email="author@example.org", name="Auteur")


@pytest.fixture
async def reader(settings):
    return await make_account(settings, email="reader@example.org", name="Lezer")


async def add_comments(idea: Idea, who, count: int, parent: Comment | None = None, text: str = "Reactie") -> list[int]:
    """`count` comments (oldest first) inserted at once; their ids, in order."""
    base = datetime.now(UTC) - timedelta(days=2)
    await Comment.insert(
        *[
            Comment(
                idea=idea.id,
                author=who.id,
                parent=parent.id if parent else None,
                body=f"{text} {n:04d}",
                created_at=base + timedelta(minutes=n),
            )
            for n in range(count)
        ]
    )
    await Idea.update({Idea.comment_count: Idea.comment_count + count}).where(Idea.id == idea.id)
    rows = await Comment.select(Comment.id).where(Comment.idea == idea.id).order_by(Comment.id, ascending=False)
    return sorted(r["id"] for r in rows[:count])


def shown_ids(html: str) -> list[int]:
    return [int(n.attributes["id"].split("-")[1]) for n in LexborHTMLParser(html).css("li.comment")]


async def test_threads_come_a_page_at_a_time_with_accessible_page_links(client, author, reader):
    idea = await make_idea(author)
    ids = await add_comments(idea, reader, PER_PAGE * 2 + 5)
    first = await client.get(f"/ideas/{idea.id}")
    assert shown_ids(first.text) == ids[::-1][:PER_PAGE]  # newest first

    nav = LexborHTMLParser(first.text).css_first("#comments nav")
    assert nav is not None and nav.attributes["aria-label"] == "Pagina's met reacties"
    assert nav.css_first('[aria-current="page"]').text(strip=True) == "1"
    last = await client.get(nav.css_first('a[rel="next"]').attributes["href"].replace("&amp;", "&"))
    assert shown_ids(last.text) == ids[::-1][PER_PAGE : PER_PAGE * 2]
    oldest = await client.get(f"/ideas/{idea.id}?order=oldest&comments_page=3")
    assert shown_ids(oldest.text) == ids[PER_PAGE * 2 :]
    assert LexborHTMLParser(oldest.text).css_first('#comments [aria-current="page"]').text(strip=True) == "3"
    assert (await client.get(f"/ideas/{idea.id}?comments_page=0")).status_code == 400


async def test_a_thread_shows_its_first_replies_and_links_to_all(client, author, reader):
    idea = await make_idea(author)
    [top] = await add_comments(idea, author, 1, text="Vraag")
    parent = await Comment.objects().get(Comment.id == top)
    replies = await add_comments(idea, reader, services.REPLIES_PER_PAGE + 3, parent=parent, text="Antwoord")
    await add_comments(idea, reader, PER_PAGE)  # newer threads push this one to page 2

    page = await client.get(f"/ideas/{idea.id}?comments_page=2&lang=en")
    assert shown_ids(page.text) == [top, *replies[:SHOWN]]
    link = LexborHTMLParser(page.text).css_first(f"#comment-{top} .comment-more a")
    assert link.text(strip=True) == f"Show all {len(replies)} replies"

    thread = await client.get(link.attributes["href"] + "?lang=en")
    assert shown_ids(thread.text) == [top, *replies[: services.REPLIES_PER_PAGE]]
    second = await client.get(LexborHTMLParser(thread.text).css_first('a[rel="next"]').attributes["href"])
    assert shown_ids(second.text) == [top, *replies[services.REPLIES_PER_PAGE :]]


async def test_permalinks_land_on_the_page_holding_the_comment(client, author, reader):
    client.follow_redirects = False
    idea = await make_idea(author)
    [old] = await add_comments(idea, author, 1, text="Oud")
    parent = await Comment.objects().get(Comment.id == old)
    replies = await add_comments(idea, reader, SHOWN + 2, parent=parent, text="Antwoord")
    await add_comments(idea, reader, PER_PAGE)

    response = await client.get(f"/ideas/{idea.id}/comments/{old}")
    assert response.headers["location"] == f"/ideas/{idea.id}?comments_page=2#comment-{old}"
    page = await follow(client, response)
    assert f"comment-{old}" in {n.attributes["id"] for n in LexborHTMLParser(page.text).css("li.comment")}
    shown_reply = await client.get(f"/ideas/{idea.id}/comments/{replies[0]}")
    assert shown_reply.headers["location"] == f"/ideas/{idea.id}?comments_page=2#comment-{replies[0]}"
    late_reply = await client.get(f"/ideas/{idea.id}/comments/{replies[-1]}")
    assert late_reply.headers["location"] == f"/ideas/{idea.id}/comments/{old}/replies#comment-{replies[-1]}"
    assert replies[-1] in shown_ids((await follow(client, late_reply)).text)

    other = await make_idea(author)
    assert (await client.get(f"/ideas/{other.id}/comments/{old}")).status_code == 404
    await services.delete_comment(reader, replies[0])
    assert (await client.get(f"/ideas/{idea.id}/comments/{replies[0]}")).status_code == 404
    hidden_idea = await make_idea(author, status="submitted")
    [draft] = await add_comments(hidden_idea, author, 1)
    assert (await client.get(f"/ideas/{hidden_idea.id}/comments/{draft}")).status_code == 404


async def test_a_new_comment_and_reply_land_on_themselves(client, author, reader):
    idea = await make_idea(author)
    [top] = await add_comments(idea, author, 1, text="Vraag")
    parent = await Comment.objects().get(Comment.id == top)
    await add_comments(idea, author, SHOWN + 1, parent=parent, text="Antwoord")
    await sign_in(client, "reader@example.org")
    client.follow_redirects = False

    action = f"/ideas/{idea.id}/comments"
    form = await open_form(client, f"/ideas/{idea.id}", selector=f"#comment-{top} form", action=action)
    form.fill(body="Een late reactie in een lange draad.")
    page = await follow(client, await form.submit(client))
    reply = await Comment.objects().get(Comment.body == "Een late reactie in een lange draad.")
    assert page.url.path == f"/ideas/{idea.id}/comments/{top}/replies"
    assert "Een late reactie" in text_of(page, f"#comment-{reply.id}")

    form = form_on(page, selector=f"#comment-{top} form", action=action)
    response = await form.submit(client)  # empty: the error shows in the thread's own form
    assert response.status_code == 422
    assert LexborHTMLParser(response.text).css_first(f"#f-reply-{top}") is not None


async def test_page_size_does_not_grow_with_the_comments(client, author, reader):
    few, many = await make_idea(author), await make_idea(author)
    for idea, count in ((few, 60), (many, 1_000)):
        threads = await add_comments(idea, reader, count - 10)
        parent = await Comment.objects().get(Comment.id == threads[-1])
        await add_comments(idea, author, 10, parent=parent, text="Antwoord")
    sizes = [len((await client.get(f"/ideas/{idea.id}")).content) for idea in (few, many)]
    # Only longer ids and a few more page links: under a kilobyte, whatever the number of comments.
    assert abs(sizes[1] - sizes[0]) < 1_000, sizes


async def test_api_comments_come_in_pages(client, author, reader):
    idea = await make_idea(author)
    [top] = await add_comments(idea, author, 1, text="Vraag")
    parent = await Comment.objects().get(Comment.id == top)
    replies = await add_comments(idea, reader, SHOWN + 3, parent=parent, text="Antwoord")
    ids = await add_comments(idea, reader, 40)

    first = await client.get(f"/api/v1/ideas/{idea.id}/comments")
    assert first.headers["x-total-count"] == "41"
    assert [c["id"] for c in first.json()] == ids[::-1][:PER_PAGE]
    last = (await client.get(f"/api/v1/ideas/{idea.id}/comments?page=2&per_page=40")).json()
    assert [c["id"] for c in last] == [top]
    assert [r["id"] for r in last[0]["replies"]] == replies[:SHOWN] and last[0]["reply_count"] == len(replies)
    all_replies = await client.get(f"/api/v1/ideas/{idea.id}/comments?parent_id={top}&per_page=4&page=2")
    assert [r["id"] for r in all_replies.json()] == replies[4:8] and all_replies.headers["x-total-count"] == "8"
    for bad in ("per_page=0", "per_page=101", "page=0", "page=x"):
        response = await client.get(f"/api/v1/ideas/{idea.id}/comments?{bad}")
        assert response.status_code == 400 and response.headers["content-type"].startswith("application/problem+json")


async def test_a_hidden_comment_is_found_where_its_notice_shows(client, author, reader):
    """Moderators land on it to restore it, a reporter after the report that hid it: both see the notice."""
    client.follow_redirects = False
    idea = await make_idea(author)
    [hidden] = await add_comments(idea, reader, 1, text="Kwetsende tekst")
    await add_comments(idea, reader, PER_PAGE)
    await services.hide_comment(hidden, "offensive")
    page = await follow(client, await client.get(f"/ideas/{idea.id}/comments/{hidden}"))
    assert page.url.params["comments_page"] == "2"
    assert "Kwetsende tekst" not in page.text
    assert "Verborgen door een moderator" in text_of(page, f"#comment-{hidden}")
