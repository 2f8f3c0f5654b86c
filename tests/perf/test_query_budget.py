"""Query budget: every public page and public API read sends at most six SQL statements, and the
same number with 10 ideas and comments as with 1,000 (no query per row, no page that grows).

Not timed: the counts are exact on both databases. The register pages and their API are
budgeted with the register (another test file); the statistics pages are not here yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ideas.tables import Comment, Idea
from tests.helpers import make_account, sign_in
from tests.ideas.factories import make_idea
from tests.query_counter import counting_queries, plain_client

# Six until images: the idea page also reads its gallery (participation.media), as many at 10 as at 1,000.
BUDGET = 7
SMALL, LARGE = 10, 1_000
PAGES = [
    "/",
    "/ideas",
    "/ideas?theme=mobility",
    "/ideas?q=nummer",
    "/ideas/similar?title=Idee+nummer+voor",
    "/ideas/{idea}",
    "/ideas/{idea}/comments/{thread}",
    "/ideas/{idea}/comments/{thread}/replies",
    "/accessibility",
    "/privacy",
    "/healthz",
    "/.well-known/security.txt",
    "/favicon.ico",
    "/static/site.css",
    "/login",
    "/login/code",
    "/login/enrol",
    "/account/register",
    "/account/register/sent",
    "/account/verify",
    "/account/verify/not-a-token",
    "/account/forgot",
    "/account/reset",
    "/account/reset/not-a-token",
    "/account/deleted",
    "/unsubscribe/digest?token=not-a-token",
    "/api/v1/ideas",
    "/api/v1/ideas?theme=mobility&sort=newest",
    "/api/v1/ideas?q=nummer",
    "/api/v1/ideas/{idea}",
    "/api/v1/ideas/{idea}/comments",
    "/api/v1/ideas/{idea}/comments?parent_id={thread}",
    "/api/v1/themes",
    "/api/v1/neighbourhoods",
    "/api/v1/schema/openapi.json",
]
# Later pages exist only with many rows: within the budget at 1,000.
DEEP_PAGES = [
    "/ideas?sort=newest&page=3",
    "/ideas/{idea}?order=oldest&comments_page=3",
    "/ideas/{idea}/comments/{thread}/replies?page=2",
    "/api/v1/ideas?page=3",
    "/api/v1/ideas/{idea}/comments?order=oldest&page=3&per_page=50",
    "/api/v1/ideas/{idea}/comments?parent_id={thread}&page=2",
]
# A signed-in member pays two more (the account and the unread count in the header) on pages:
# the pages that show comments and the list (with the member's own supports marked) must still fit.
MEMBER_PAGES = ["/", "/ideas", "/ideas/{idea}", "/ideas/{idea}/comments/{thread}/replies"]


@pytest.fixture
async def app_client(settings):
    async with plain_client(settings) as client:
        yield client


async def _add_ideas(author, count: int) -> None:
    now = datetime.now(UTC)
    rows = [
        Idea(
            author=author.id,
            title=f"Idee nummer {n} voor de stad",
            summary=f"Samenvatting van idee nummer {n}, lang genoeg.",
            theme=("mobility", "energy")[n % 2],
            neighbourhood="centrum",
            scope="narrow",
            status="published",
            created_at=now - timedelta(hours=n, minutes=5),
            published_at=now - timedelta(hours=n),
            support_closes_at=now + timedelta(days=60),
        )
        for n in range(count)
    ]
    for start in range(0, len(rows), 250):
        await Idea.insert(*rows[start : start + 250])


async def _add_comments(idea: Idea, people, thread: Comment, count: int) -> None:
    """`count` comments: a tenth are replies to `thread`, the rest top-level comments."""
    base = datetime.now(UTC) - timedelta(days=3)
    replies = count // 10
    rows = [
        Comment(
            idea=idea.id,
            author=people[n % len(people)].id,
            parent=thread.id if n < replies else None,
            body=f"Reactie nummer {n} op dit idee.",
            created_at=base + timedelta(minutes=n),
        )
        for n in range(count)
    ]
    for start in range(0, len(rows), 250):
        await Comment.insert(*rows[start : start + 250])
    await Idea.update({Idea.comment_count: Idea.comment_count + count}).where(Idea.id == idea.id)


async def _counts(client, urls: list[str], targets: dict, monkeypatch) -> dict[str, int]:
    counts = {}
    for url in urls:
        with counting_queries(monkeypatch) as statements:
            response = await client.get(url.format(**targets))
        assert response.status_code < 500, (url, response.status_code)
        counts[url] = len(statements)
    return counts


async def test_public_pages_stay_within_the_budget_whatever_the_size(app_client, settings, monkeypatch):
    app_client.follow_redirects = False
    author = await make_account(settings, email="author@example.org", name="Auteur")
    people = [await make_account(settings, email=f"p{n}@example.org", name=f"Persoon {n}") for n in range(5)]
    idea = await make_idea(author, title="Het idee met de meeste reacties")
    thread = Comment(idea=idea.id, author=people[0].id, body="De reactie met de meeste antwoorden.")
    await thread.save()
    targets = {"idea": idea.id, "thread": thread.id}
    await _add_ideas(author, SMALL)
    await _add_comments(idea, people, thread, SMALL)

    small = await _counts(app_client, PAGES, targets, monkeypatch)
    await _add_ideas(author, LARGE - SMALL)
    await _add_comments(idea, people, thread, LARGE - SMALL)
    large = await _counts(app_client, PAGES + DEEP_PAGES, targets, monkeypatch)

    over = {url: n for url, n in large.items() if n > BUDGET}
    assert not over, f"more than {BUDGET} queries: {over}"
    grown = {url: (small[url], large[url]) for url in PAGES if small[url] != large[url]}
    assert not grown, f"query count changed from {SMALL} to {LARGE} rows: {grown}"
    assert large["/ideas/{idea}"] >= 2  # counted at all: the idea and its comments


async def test_a_members_pages_and_the_list_stay_within_the_budget(app_client, settings, monkeypatch):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    member = await make_account(settings, email="member@example.org", name="Lid")
    idea = await make_idea(author)
    thread = Comment(idea=idea.id, author=author.id, body="De reactie met de meeste antwoorden.")
    await thread.save()
    targets = {"idea": idea.id, "thread": thread.id}
    await _add_comments(idea, [author, member], thread, SMALL)
    await sign_in(app_client, member.email)

    small = await _counts(app_client, MEMBER_PAGES, targets, monkeypatch)
    await _add_comments(idea, [author, member], thread, LARGE - SMALL)
    large = await _counts(app_client, MEMBER_PAGES, targets, monkeypatch)

    assert all(n <= BUDGET for n in large.values()), large
    assert small == large
