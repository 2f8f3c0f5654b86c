"""Test factories for ideas: rows straight into the database, in any state."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

from ideas import services
from ideas.tables import Comment, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.settings import Settings

_numbers = itertools.count(1)


def idea_form(**overrides) -> dict:
    """A valid new-idea form (plain idea)."""
    return {
        "kind": "idea",
        "title": "Slimme fietsenstalling bij het station",
        "summary": "Een fietsenstalling die laat zien hoeveel plekken er vrij zijn.",
        "body": "Met **sensoren** per plek en een bord bij de ingang.",
        "theme": "mobility",
        "neighbourhood": "centrum",
        "scope": "narrow",
        "location": "",
        **overrides,
    }


def pilot_form(**overrides) -> dict:
    return idea_form(
        **{
            "kind": "pilot",
            "title": "Pilot slimme lantaarnpalen in Oosterheem",
            "pilot_what": "Lantaarnpalen die dimmen als er niemand op straat is.",
            "pilot_where": "Drie straten in Oosterheem",
            "pilot_duration_weeks": "26",
            "pilot_asks": ["space", "permits"],
            "pilot_personal_data": "no",
            "pilot_partners": "",
            **overrides,
        }
    )


def old_form_token(settings: Settings, seconds_ago: float = 10) -> str:
    """A form token issued long enough ago to pass the minimum fill time."""
    return services.issue_form_token(settings, now=time.time() - seconds_ago)


async def make_idea(
    author: Account,
    status: str = IdeaStatus.published.value,
    title: str | None = None,
    published_at: datetime | None = None,
    **fields,
) -> Idea:
    n = next(_numbers)
    now = datetime.now(UTC)
    public = status in ("published", "routed", "expired", "withdrawn", "merged")
    published_at = published_at or (now - timedelta(hours=n) if public else None)
    idea = Idea(
        author=author.id,
        kind=fields.pop("kind", "idea"),
        title=title or f"Idee nummer {n} voor de stad",
        summary=fields.pop("summary", f"Samenvatting van idee {n}, lang genoeg."),
        body=fields.pop("body", ""),
        theme=fields.pop("theme", "mobility"),
        neighbourhood=fields.pop("neighbourhood", "centrum"),
        scope=fields.pop("scope", "narrow"),
        status=status,
        published_at=published_at,
        support_closes_at=(published_at + timedelta(days=90)) if published_at else None,
        created_at=fields.pop("created_at", (published_at or now) - timedelta(minutes=5)),
        **fields,
    )
    await idea.save()
    return idea


async def make_comment(
    idea: Idea, author: Account, body: str = "Goed idee!", parent: Comment | None = None, **fields
) -> Comment:
    comment = Comment(idea=idea.id, author=author.id, body=body, parent=parent.id if parent else None, **fields)
    await comment.save()
    await Idea.update({Idea.comment_count: Idea.comment_count + 1}).where(Idea.id == idea.id)
    return comment
