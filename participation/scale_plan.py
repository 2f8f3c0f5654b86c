"""The plan of a scale dataset: who, what and when, decided in memory before anything is written.

Pure (a seeded `random.Random`, no database): `participation.scale_data` writes what this
module yields. The plan keeps the platform's rules so that every page sees valid data:
- statuses follow the lifecycle and the clock: only an idea whose 90-day window is still open
  is `published`; an older one is `expired`, `routed` (at exactly its threshold, or by a
  moderator below it), merged, withdrawn, rejected or hidden;
- a published idea over the city's threshold carries an administrator's higher
  `threshold_override` (as the platform allows), so that popular ideas stay open;
- a support, comment or idea is made by an account that existed at that moment, never by
  the idea's author (supports), and only while the idea took them;
- supports and comments are skewed like real participation: capped Zipf over the ideas,
  one "hot" idea with the configured number of comments (the benchmark's idea page).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ideas.tables import HiddenReason, IdeaKind, IdeaStatus
from participation import scale_text
from participation.city import WHOLE_CITY, CityConfig
from participation.register.tables import Status

DAY = timedelta(days=1)
HISTORY = timedelta(days=730)  # two years of participation
SUPPORT_EXPONENT = 1.3  # Zipf: the top 5% of ideas hold well over half of the supports
COMMENT_EXPONENT = 1.0
# Nice values an administrator picks when raising a popular idea's threshold.
RAISED_THRESHOLDS = (250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000)
PILOT_SHARE = 0.05
ORGANISATION_SHARE = 0.02
REPLY_SHARE = 0.3
HIDDEN_COMMENT_SHARE = 0.02
DELETED_COMMENT_SHARE = 0.01
FOLLOW_SHARE = 0.05  # of supporters also follow the idea
ROUTED_ENTRY_SHARE = 0.75  # of register entries come from ideas at most; the rest are the city's own
ROUTED_SUPPORT_SHARE = 0.12
S = IdeaStatus


@dataclass(frozen=True)
class Sizes:
    ideas: int
    supports: int
    accounts: int
    comments: int
    entries: int
    hot_comments: int


@dataclass(slots=True)
class PlannedIdea:
    id: int
    author: int  # index into Plan.account_times
    kind: str
    status: str
    created_at: datetime
    title: str
    summary: str
    body: str
    theme: str
    neighbourhood: str
    scope: str
    published_at: datetime | None = None
    closes_at: datetime | None = None
    # Until when it took supports and comments (now, its routing, or its window's close).
    open_until: datetime | None = None
    supports: int = 0
    comments: int = 0
    threshold_override: int | None = None
    routed_at: datetime | None = None
    routing_method: str | None = None
    merged_into: int | None = None
    pilot_personal_data: bool | None = None


@dataclass
class Plan:
    now: datetime
    sizes: Sizes
    threshold: int
    account_times: list[datetime]
    organisations: list[int]  # indexes of organisation accounts
    ideas: list[PlannedIdea] = field(default_factory=list)

    def eligible(self, moment: datetime) -> int:
        """How many accounts existed at `moment` (they are sorted by creation)."""
        return bisect(self.account_times, moment)

    @property
    def hot_idea(self) -> PlannedIdea | None:
        return max((i for i in self.ideas if i.status == S.published.value), key=lambda i: i.comments, default=None)


def allocate(total: int, caps: list[int], exponent: float) -> list[int]:
    """Split `total` over ranks by Zipf weights, no rank above its cap (the excess goes to the next ranks)."""
    result = [0] * len(caps)
    weights = [1 / (rank + 1) ** exponent for rank in range(len(caps))]
    free = [i for i, cap in enumerate(caps) if cap > 0]
    remaining = total
    while remaining > 0 and free:
        weight_sum = sum(weights[i] for i in free)
        full = [i for i in free if remaining * weights[i] / weight_sum >= caps[i] - result[i]]
        if full:
            for i in full:
                remaining -= caps[i] - result[i]
                result[i] = caps[i]
            free = [i for i in free if result[i] < caps[i]]
            continue
        shares = {i: remaining * weights[i] / weight_sum for i in free}
        for i, share in shares.items():
            result[i] += int(share)
        left = remaining - sum(int(s) for s in shares.values())
        for i in sorted(free, key=lambda i: shares[i] - int(shares[i]), reverse=True)[:left]:
            result[i] += 1
        remaining = 0
    return result


def _at(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def plan_accounts(rng: random.Random, sizes: Sizes, now: datetime) -> tuple[list[datetime], list[int]]:
    """Creation times (sorted; the platform grew fastest at launch) and which accounts are organisations."""
    start = now - HISTORY - DAY
    times = sorted(start + (HISTORY - DAY) * (rng.random() ** 1.6) for _ in range(sizes.accounts))
    times[0] = start
    organisations = [i for i in range(sizes.accounts) if rng.random() < ORGANISATION_SHARE]
    return times, organisations


def plan_ideas(rng: random.Random, plan: Plan, city: CityConfig, first_id: int) -> None:
    """Ideas with their status, dates, texts and the number of supports and comments each gets."""
    now, window = plan.now, timedelta(days=city.support_window_days)
    places = [(n.slug, n.name("nl")) for n in city.neighbourhoods] + [(WHOLE_CITY, city.name)]
    themes = [t.slug for t in city.themes]
    for n in range(plan.sizes.ideas):
        # More ideas lately: the platform grew (a cube root skews the creation times to the present).
        created = now - HISTORY + HISTORY * (rng.random() ** (1 / 3)) - timedelta(hours=1)
        eligible = max(1, plan.eligible(created))
        orgs = bisect(plan.organisations, eligible - 1)  # how many organisations existed (sorted indexes)
        pilot = orgs > 0 and rng.random() < PILOT_SHARE
        slug, place = rng.choice(places)
        title, summary, body = scale_text.idea_text(rng, place)
        idea = PlannedIdea(
            id=first_id + n,
            author=plan.organisations[rng.randrange(orgs)] if pilot else rng.randrange(eligible),
            kind=IdeaKind.pilot.value if pilot else IdeaKind.idea.value,
            status=S.submitted.value,
            created_at=created,
            title=title,
            summary=summary,
            body=body,
            theme=rng.choice(themes),
            neighbourhood=slug,
            scope=rng.choice(("narrow", "broad")),
            pilot_personal_data=(rng.random() < 0.4) if pilot else None,
        )
        _decide_status(rng, idea, now, window)
        plan.ideas.append(idea)
    _route(rng, plan, window)
    _merge_targets(rng, plan)
    _assign_supports(rng, plan)
    _assign_comments(rng, plan)


def _decide_status(rng: random.Random, idea: PlannedIdea, now: datetime, window: timedelta) -> None:
    published = idea.created_at + timedelta(hours=rng.uniform(2, 96))
    r = rng.random()
    if published >= now:
        return  # still waiting for the moderators
    still_open = published + window > now
    # Cumulative shares: e.g. 6% of still-open ideas wait for moderation, 3% for changes, ...
    if still_open:
        shares = ((0.06, S.submitted), (0.09, S.needs_changes), (0.13, S.rejected), (0.14, S.withdrawn))
        status = _pick(r, (*shares, (0.15, S.merged), (0.155, S.hidden)), S.published)
    else:
        shares = ((0.01, S.needs_changes), (0.07, S.rejected), (0.09, S.withdrawn), (0.12, S.merged))
        status = _pick(r, (*shares, (0.13, S.hidden)), S.expired)
    idea.status = status.value
    if status in (S.submitted, S.needs_changes, S.rejected):
        return
    idea.published_at, idea.closes_at = published, published + window
    idea.open_until = min(now, idea.closes_at) if status in (S.published, S.expired) else None


def _route(rng: random.Random, plan: Plan, window: timedelta) -> None:
    """Pick the routed ideas among those whose window has passed: at the threshold, a few by a moderator."""
    # At most a set share of all supports goes to reaching thresholds, or small datasets lose their skew.
    wanted = min(
        round(plan.sizes.entries * ROUTED_ENTRY_SHARE),
        int(plan.sizes.supports * ROUTED_SUPPORT_SHARE) // plan.threshold,
    )
    candidates = [i for i in plan.ideas if i.status == S.expired.value]
    rng.shuffle(candidates)
    for idea in candidates:
        if wanted <= 0:
            break
        assert idea.published_at is not None
        routed_at = idea.published_at + window * rng.uniform(0.1, 0.95)
        by_moderator = rng.random() < 0.1
        count = rng.randrange(max(1, plan.threshold // 3), plan.threshold) if by_moderator else plan.threshold
        if plan.eligible(routed_at) - 1 < count or idea.author >= plan.eligible(routed_at):
            continue  # too few accounts existed yet to reach it
        idea.status, idea.routed_at, idea.open_until = S.routed.value, routed_at, routed_at
        idea.routing_method, idea.supports = ("moderator" if by_moderator else "threshold"), count
        wanted -= 1


def _merge_targets(rng: random.Random, plan: Plan) -> None:
    public = [i.id for i in plan.ideas if i.status in (S.published.value, S.routed.value, S.expired.value)]
    for idea in plan.ideas:
        if idea.status == S.merged.value:
            if public:
                idea.merged_into = rng.choice(public)
            else:
                idea.status, idea.published_at, idea.closes_at = S.rejected.value, None, None


def _assign_supports(rng: random.Random, plan: Plan) -> None:
    """Expired ideas a few each (below the threshold), published ones the rest by Zipf; routed ones are set."""
    threshold, ideas = plan.threshold, plan.ideas
    expired = [i for i in ideas if i.status == S.expired.value]
    published = [i for i in ideas if i.status == S.published.value]
    left = plan.sizes.supports - sum(i.supports for i in ideas)
    mean = max(1.0, min(threshold / 4, 0.1 * left / max(1, len(expired))))
    for idea in expired:
        assert idea.open_until is not None
        room = plan.eligible(idea.open_until) - 1
        idea.supports = max(0, min(int(rng.expovariate(1 / mean)), threshold - 1, room))
    left = max(0, plan.sizes.supports - sum(i.supports for i in ideas))
    rng.shuffle(published)
    caps = [min(len(plan.account_times) - 1, RAISED_THRESHOLDS[-1] - 1)] * len(published)
    for idea, count in zip(published, allocate(left, caps, SUPPORT_EXPONENT), strict=True):
        idea.supports = count
        if count >= threshold:
            idea.threshold_override = next(t for t in RAISED_THRESHOLDS if t > count)


def _assign_comments(rng: random.Random, plan: Plan) -> None:
    """The most supported published idea is the hot one; the rest by Zipf, correlated with supports."""
    talked = [i for i in plan.ideas if i.open_until is not None]
    published = [i for i in talked if i.status == S.published.value]
    if not published:
        return
    hot = max(published, key=lambda i: i.supports)
    hot.comments = plan.sizes.hot_comments
    others = sorted((i for i in talked if i is not hot), key=lambda i: -i.supports * rng.uniform(0.5, 1.5))
    caps = [max(1, plan.sizes.hot_comments // 2)] * len(others)
    total = max(0, plan.sizes.comments - hot.comments)
    for idea, count in zip(others, allocate(total, caps, COMMENT_EXPONENT), strict=True):
        idea.comments = count


# -- the rows that follow from the plan (generated lazily: they are the bulk) -------------------------


@dataclass
class Tally:
    """What the generated rows add up to, per idea: the counters and the trending inputs."""

    visible_comments: dict[int, int] = field(default_factory=dict)
    recent_supports: dict[int, int] = field(default_factory=dict)
    recent_comments: dict[int, int] = field(default_factory=dict)
    hidden_comments: list[tuple[int, str, datetime]] = field(default_factory=list)  # (id, reason, at)
    visible_comment_ids: list[int] = field(default_factory=list)


def supports(
    rng: random.Random, plan: Plan, account_ids: list[int], tally: Tally, follows: list[tuple]
) -> Iterator[tuple]:
    """(account, idea, created_at) rows; a few supporters also follow the idea (collected in `follows`)."""
    recent = plan.now - timedelta(days=30)
    for idea in plan.ideas:
        if not idea.supports:
            continue
        assert idea.published_at is not None and idea.open_until is not None
        room = plan.eligible(idea.open_until)
        picks = [p for p in rng.sample(range(room), min(room, idea.supports + 1)) if p != idea.author]
        count = 0
        for index in picks[: idea.supports]:
            at = _at(rng, max(idea.published_at, plan.account_times[index]), idea.open_until)
            count += at >= recent
            if rng.random() < FOLLOW_SHARE:
                follows.append((account_ids[index], idea.id, at))
            yield (account_ids[index], idea.id, at)
        tally.recent_supports[idea.id] = count


def comments(rng: random.Random, plan: Plan, account_ids: list[int], first_id: int, tally: Tally) -> Iterator[tuple]:
    """(id, idea, author, parent, body, status, hidden_reason, created_at) rows: threads one level deep."""
    recent = plan.now - timedelta(days=30)
    reasons = [r.value for r in HiddenReason if r != HiddenReason.pending_review]
    next_id = first_id
    for idea in plan.ideas:
        if not idea.comments:
            continue
        assert idea.published_at is not None and idea.open_until is not None
        times = sorted(_at(rng, idea.published_at, idea.open_until) for _ in range(idea.comments))
        threads: list[int] = []
        visible = recent_visible = 0
        for at in times:
            parent = rng.choice(threads) if threads and rng.random() < REPLY_SHARE else None
            author = account_ids[rng.randrange(max(1, plan.eligible(at)))]
            r = rng.random()
            status, reason = "visible", None
            if r < HIDDEN_COMMENT_SHARE:
                status, reason = "hidden", rng.choice(reasons)
                tally.hidden_comments.append((next_id, reason, at))
            elif r < HIDDEN_COMMENT_SHARE + DELETED_COMMENT_SHARE:
                status = "deleted"
            else:
                visible += 1
                recent_visible += at >= recent
                tally.visible_comment_ids.append(next_id)
            yield (next_id, idea.id, author, parent, scale_text.comment_text(rng), status, reason, at)
            if parent is None:
                threads.append(next_id)
            next_id += 1
        tally.visible_comments[idea.id] = visible
        tally.recent_comments[idea.id] = recent_visible


# -- the register ----------------------------------------------------------------------------------

# The canonical road to each status (DESIGN.md section 3) and how often an entry is at each.
PATHS = {
    Status.received: (Status.received,),
    Status.under_assessment: (Status.received, Status.under_assessment),
    Status.planned: (Status.received, Status.under_assessment, Status.planned),
    Status.running: (Status.received, Status.under_assessment, Status.planned, Status.running),
    Status.completed: (Status.received, Status.under_assessment, Status.planned, Status.running, Status.completed),
    Status.stopped: (Status.received, Status.under_assessment, Status.planned, Status.running, Status.stopped),
    Status.declined: (Status.received, Status.under_assessment, Status.declined),
}
STATUS_WEIGHTS = {
    Status.received: 0.2,
    Status.under_assessment: 0.2,
    Status.planned: 0.15,
    Status.running: 0.2,
    Status.completed: 0.1,
    Status.stopped: 0.05,
    Status.declined: 0.1,
}


def entry_statuses(rng: random.Random, count: int) -> list[Status]:
    """Every register status at least once (when there are enough entries), the rest by weight."""
    statuses = list(Status)[: min(count, len(Status))]
    statuses += rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count - len(statuses))
    rng.shuffle(statuses)
    return statuses


def timeline(start: datetime, end: datetime, status: Status) -> list[tuple[Status, datetime]]:
    """The steps to `status`, spread evenly from `start` to before `end`."""
    path = PATHS[status]
    step = (end - start) / (len(path) + 1)
    return [(s, start + step * n) for n, s in enumerate(path)]


def _pick(r: float, cumulative: tuple[tuple[float, S], ...], rest: S) -> S:
    """The first status whose cumulative share exceeds `r`; `rest` for the remainder."""
    return next((status for bound, status in cumulative if r < bound), rest)
