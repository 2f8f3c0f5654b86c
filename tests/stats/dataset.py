"""A small, known dataset for the statistics: every figure in the tests is counted from it by hand.

Times are UTC. Amsterdam is UTC+2 in summer: idea B, submitted at 22:30 UTC on 31 May, was
submitted on 1 June in the city, so it counts for June (and so does one of its supports).
Four ideas:
- A: mobility, dorp, idea, narrow; submitted 10 May 10:00, published after 6 h; 2 supports
  (11 May, 14 June), 1 comment (12 May); became register entry E3 (received, answered after 1 day).
- B: mobility, dorp, pilot, broad; submitted 31 May 22:30 (1 June local), published after 12 h, routed;
  3 supports (31 May 22:45 = 1 June local, 2 June, 2 June), 2 comments (3 June); became E1 (planned,
  answered after 3 days).
- C: energy, oosterheem, idea, narrow; submitted 1 April 08:00, rejected after 12 h; no supports.
- D: energy, whole city, idea, narrow; submitted 15 January 2024 (outside the 24 months), published
  after 2 h; 1 support (1 February 2024).
Register: E1 (pilot from B, planned, applied-innovation, mobility, dorp, personal data yes, DPIA done),
E2 (city, received, due 1 June: overdue on 15 June, no programme line, energy, personal data unknown),
E3 (idea from A, received, due 1 July, sustainable-city, energy, personal data no, DPIA not needed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ideas.tables import Comment, Idea
from participation.accounts.tables import Account
from participation.moderation.tables import ModerationDecision
from participation.register.tables import RegisterEntry, RegisterNeighbourhood, RegisterUpdate
from tests.helpers import make_account
from voting.tables import Routing, Support

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _idea(author: Account, created: str, published_after_hours: float | None, **fields) -> Idea:
    created_at = at(created)
    published_at = created_at + timedelta(hours=published_after_hours) if published_after_hours is not None else None
    idea = Idea(
        author=author.id,
        title=fields.pop("title", "Een idee voor de statistiek"),
        summary="Samenvatting van het idee, lang genoeg.",
        created_at=created_at,
        published_at=published_at,
        **fields,
    )
    await idea.save()
    return idea


async def _supports(idea: Idea, supporters: list[Account], times: list[str]) -> None:
    for account, when in zip(supporters, times, strict=False):
        await Support(account=account.id, idea=idea.id, created_at=at(when)).save()
    await Idea.update({Idea.support_count: len(times)}).where(Idea.id == idea.id)


async def _entry(slug: str, created: str, **fields) -> RegisterEntry:
    entry = RegisterEntry(
        slug=slug,
        title=f"Project {slug}",
        summary="Een project.",
        created_at=at(created),
        updated_at=at(created),
        **fields,
    )
    await entry.save()
    return entry


async def _update(entry: RegisterEntry, when: str, role: str) -> None:
    await RegisterUpdate(entry=entry.id, created_at=at(when), text="Bijgewerkt.", author_role=role).save()


async def load(settings) -> dict[str, int]:
    """Creates the dataset; returns the ideas' ids by letter."""
    author = await make_account(settings, email="author@example.org", name="Auteur")
    supporters = [await make_account(settings, email=f"s{n}@example.org", name=f"Steuner {n}") for n in range(3)]
    a = await _idea(
        author,
        "2026-05-10 10:00",
        6,
        theme="mobility",
        neighbourhood="dorp",
        kind="idea",
        scope="narrow",
        status="published",
    )
    b = await _idea(
        author,
        "2026-05-31 22:30",
        12,
        theme="mobility",
        neighbourhood="dorp",
        kind="pilot",
        scope="broad",
        status="routed",
    )
    c = await _idea(
        author,
        "2026-04-01 08:00",
        None,
        theme="energy",
        neighbourhood="oosterheem",
        kind="idea",
        scope="narrow",
        status="rejected",
    )
    d = await _idea(
        author,
        "2024-01-15 09:00",
        2,
        theme="energy",
        neighbourhood="whole-city",
        kind="idea",
        scope="narrow",
        status="published",
    )
    await _supports(a, supporters, ["2026-05-11 09:00", "2026-06-14 09:00"])
    await _supports(b, supporters, ["2026-05-31 22:45", "2026-06-02 09:00", "2026-06-02 10:00"])
    await _supports(d, supporters, ["2024-02-01 09:00"])
    for idea, when in ((a, "2026-05-12 09:00"), (b, "2026-06-03 09:00"), (b, "2026-06-03 10:00")):
        await Comment(idea=idea.id, author=supporters[0].id, body="Goed idee!", created_at=at(when)).save()
    for idea, action, when in (
        (a, "publish", "2026-05-10 16:00"),
        (a, "note", "2026-05-10 12:00"),  # not a decision on the submission: ignored
        (b, "publish", "2026-06-01 10:30"),
        (c, "reject", "2026-04-01 20:00"),
        (d, "publish", "2024-01-15 11:00"),
    ):
        await ModerationDecision(action=action, target_type="idea", target_id=idea.id, created_at=at(when)).save()

    common = {"department": "innovatie", "contact_email": "smartcity@gemeente.example"}
    e1 = await _entry(
        "e1",
        "2026-06-02 00:00",
        origin="pilot",
        idea_id=b.id,
        status="planned",
        programme_line="applied-innovation",
        theme="mobility",
        scope="broad",
        personal_data=True,
        dpia_status="done",
        **common,
    )
    await Routing(
        idea=b.id,
        routed_at=at("2026-06-02 00:00"),
        support_count=3,
        threshold=3,
        method="threshold",
        register_entry_id=e1.id,
    ).save()
    await _entry(
        "e2",
        "2026-05-01 00:00",
        origin="city",
        status="received",
        theme="energy",
        scope="narrow",
        response_due_at=at("2026-06-01 00:00"),
        **common,
    )
    e3 = await _entry(
        "e3",
        "2026-06-10 00:00",
        origin="idea",
        idea_id=a.id,
        status="received",
        programme_line="sustainable-city",
        theme="energy",
        scope="narrow",
        personal_data=False,
        dpia_status="not_needed",
        response_due_at=at("2026-07-01 00:00"),
        **common,
    )
    await RegisterNeighbourhood(entry=e1.id, neighbourhood="dorp").save()
    await _update(e1, "2026-06-02 00:00", "system")
    await _update(e1, "2026-06-05 00:00", "editor")
    await _update(e1, "2026-06-06 00:00", "editor")  # a later update: only the first one answers
    await _update(e3, "2026-06-10 00:00", "system")
    await _update(e3, "2026-06-11 00:00", "admin")
    return {"A": a.id, "B": b.id, "C": c.id, "D": d.id}
