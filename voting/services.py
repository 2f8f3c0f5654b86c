"""Supporting ideas and routing popular ones into the project register.

A support is decided on one read without locks, then written as the support row (its unique
index makes a repeat a no-op) and one conditional `UPDATE ... RETURNING` of the counter that only
matches while the idea is still open. That UPDATE takes the idea's row lock (PostgreSQL; SQLite's
IMMEDIATE transaction holds the database write lock) until the commit, so concurrent supports are
serialised per idea for one statement: the support row, the counter and the routing commit together
or not at all. The support whose UPDATE returns the threshold routes the idea in that transaction;
routing is conditional on the idea still being `published` and backed by a unique index on the
routing record, so it happens exactly once under any interleaving. An idea that changed between the
read and the write is decided again on the careful path, which locks the row first (as the other
use cases here do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query.functions import Coalesce
from piccolo.querystring import QueryString

from ideas import lifecycle
from ideas.permissions import PUBLIC_STATUSES, can_view
from ideas.search import filters_from_params, list_ideas
from ideas.tables import Idea, IdeaKind, IdeaStatus
from participation.accounts.tables import Account
from participation.city import CityConfig
from participation.database import current_engine, for_update, is_deadlock, is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.register.permissions import can_edit_register
from participation.register.services import create_routed_entry, default_response_due, entry_outcome
from participation.register.tables import RegisterEntry
from participation.settings import Settings
from participation.validation import DomainError, FormErrors, Message
from voting import trending
from voting.permissions import (
    LINKABLE_STATUSES,
    counted_supports,
    counts_verified,
    is_due_for_routing,
    link_refusal,
    reached_threshold,
    support_refusal,
    threshold_for,
    threshold_overridable,
    withdraw_refusal,
)
from voting.tables import Routing, Support


@dataclass(frozen=True)
class SupportOutcome:
    supported: bool
    support_count: int
    routed_entry_slug: str | None = None  # set when this call routed the idea
    verified_support_count: int = 0  # of support_count, those of verified residents and organisations


class _IdeaChanged(Exception):
    """The idea left the state read before the write (routed, hidden, closed): undo and decide under the lock."""


async def _locked_idea(idea_id: int) -> Idea:
    idea = await for_update(Idea.objects().where(Idea.id == idea_id)).first()
    if idea is None:
        raise DomainError(N_("This idea does not exist."), status_code=404)
    return idea


def _must_see(account: Account | None, idea: Idea | None) -> Idea:
    """An idea the account may not see answers exactly as a missing one (the ideas' one visibility rule)."""
    if idea is None or not can_view(account, idea):
        raise DomainError(N_("This idea does not exist."), status_code=404)
    return idea


async def author_kvk(idea: Idea, account: Account | None) -> str | None:
    """Only needed when the supporter is an organisation (an organisation may not support its own pilot)."""
    if account is None or not account.kvk_number:
        return None
    row = await Account.select(Account.kvk_number).where(Account.id == idea.author).first()
    return row["kvk_number"] if row else None


async def _expire_locked(idea: Idea, now: datetime, events: DomainEvents) -> None:
    await lifecycle.expire_if_due(idea, now, events=events)  # joins the open transaction; a no-op unless due


@dataclass(frozen=True)
class _Seen:
    """One read, without locks: the idea as the rules need it, and what they need about the supporter."""

    idea: Idea | None
    supported: bool = False
    author_kvk: str | None = None


# Written out rather than composed: Piccolo's query builder spent more CPU on this select with its
# join and subquery (~0.25 ms) than the database spends answering it, on every support.
_READ_FOR_SUPPORTER = (
    "SELECT idea.id, idea.author, idea.status, idea.created_at, idea.published_at, idea.support_closes_at,"
    " idea.support_count, idea.verified_support_count, idea.threshold_override, account.kvk_number AS author_kvk,"
    " EXISTS (SELECT 1 FROM support WHERE support.account = {} AND support.idea = idea.id) AS supported"
    " FROM idea JOIN account ON account.id = idea.author WHERE idea.id = {}"
)


async def _read_for_supporter(account: Account | None, idea_id: int) -> _Seen:
    rows = await Idea.raw(_READ_FOR_SUPPORTER, account.id if account else 0, idea_id)
    if not rows:
        return _Seen(None)
    row = rows[0]
    kvk, supported = row.pop("author_kvk"), bool(row.pop("supported"))
    return _Seen(Idea(**row), supported=supported, author_kvk=kvk)


async def support_idea(
    settings: Settings, account: Account | None, idea_id: int, now: datetime | None = None, *, events: DomainEvents
) -> SupportOutcome:
    """Support an idea; a repeated support changes nothing. Routes the idea when this support reaches the threshold.

    The rules are decided on one read without locks; the write is the support row (its unique
    index makes a repeat a no-op) and one conditional UPDATE of the counter that holds only
    while the idea is still open, so the idea's row lock lasts from that UPDATE to the commit.
    Should the idea have changed in between, the support is undone and decided again under the lock.
    """
    now = now or utcnow()
    seen = await _read_for_supporter(account, idea_id)
    idea = _must_see(account, seen.idea)
    if seen.supported:  # already supported: answered from the read, without queueing for the write lock
        return SupportOutcome(True, idea.support_count, verified_support_count=idea.verified_support_count)
    if lifecycle.due_to_expire(idea, now) or _inside_transaction():  # it expires there / cannot undo alone
        return await _support_under_lock(settings, account, idea_id, now, events=events)
    if refusal := support_refusal(account, idea, now, seen.author_kvk):
        raise DomainError(*refusal)
    assert account is not None
    try:
        async with write_transaction():
            if not await _add_support_row(account.id, idea.id, now):  # the same account's other request came first
                return SupportOutcome(True, *await _current_counts(idea.id))
            weight = trending.support_weight(idea, now)
            count, verified, idea.threshold_override = await _count_while_open(idea, 1, account.id, now, weight)
            idea.support_count, idea.verified_support_count = count, verified
            entry = None
            if counted_supports(idea, settings.city) >= threshold_for(idea, settings.city):
                # Under the row lock taken by the UPDATE: still published, so this support routes it, once.
                entry = await route_at_threshold(
                    settings, await Idea.objects().get(Idea.id == idea.id), now, events=events
                )
    except Exception as exc:
        if not _decide_again(exc):
            raise
        return await _support_under_lock(settings, account, idea_id, now, events=events)
    return SupportOutcome(True, count, entry.slug if entry else None, verified)


async def _support_under_lock(
    settings: Settings, account: Account | None, idea_id: int, now: datetime, *, events: DomainEvents
) -> SupportOutcome:
    """The careful path, for an idea whose state moved: lock the row, expire it if due, then decide."""
    async with write_transaction():
        if account is not None:
            await hold_supporter(account.id)
        idea = _must_see(account, await _locked_idea(idea_id))
        await _expire_locked(idea, now, events)
        # A refusal is raised after the transaction, so that an expiry found here is kept.
        refusal = support_refusal(account, idea, now, await author_kvk(idea, account))
        entry = None
        if refusal is None:
            assert account is not None
            if await _add_support_row(account.id, idea.id, now):
                await _add_to_count(idea, 1, trending.support_weight(idea, now), account.id)
            if idea.status == IdeaStatus.published.value and reached_threshold(idea, settings.city):
                entry = await route_at_threshold(settings, idea, now, events=events)
    if refusal:
        raise DomainError(*refusal)
    return SupportOutcome(True, idea.support_count, entry.slug if entry else None, idea.verified_support_count)


async def withdraw_support(
    settings: Settings, account: Account | None, idea_id: int, now: datetime | None = None, *, events: DomainEvents
) -> SupportOutcome:
    """Withdraw a support while the idea is open; withdrawing twice changes nothing.

    The mirror of `support_idea`: one read decides, then the delete and one conditional UPDATE.
    """
    now = now or utcnow()
    seen = await _read_for_supporter(account, idea_id)
    idea = _must_see(account, seen.idea)
    if lifecycle.due_to_expire(idea, now) or _inside_transaction():
        return await _withdraw_under_lock(settings, account, idea_id, now, events=events)
    if refusal := withdraw_refusal(account, idea):
        raise DomainError(*refusal)
    if not seen.supported:
        return SupportOutcome(False, idea.support_count, verified_support_count=idea.verified_support_count)
    assert account is not None
    try:
        async with write_transaction():
            removed = await _remove_support_row(account.id, idea.id)
            if not removed:  # the same account's other request came first
                return SupportOutcome(False, *await _current_counts(idea.id))
            weight = -_trending_weight(idea, removed, now)
            count, verified, _ = await _count_while_open(idea, -1, account.id, now, weight)
    except Exception as exc:
        if not _decide_again(exc):
            raise
        return await _withdraw_under_lock(settings, account, idea_id, now, events=events)
    return SupportOutcome(supported=False, support_count=count, verified_support_count=verified)


async def _withdraw_under_lock(
    settings: Settings, account: Account | None, idea_id: int, now: datetime, *, events: DomainEvents
) -> SupportOutcome:
    async with write_transaction():
        if account is not None:
            await hold_supporter(account.id)
        idea = _must_see(account, await _locked_idea(idea_id))
        await _expire_locked(idea, now, events)
        refusal = withdraw_refusal(account, idea)
        if refusal is None:
            assert account is not None
            removed = await _remove_support_row(account.id, idea.id)
            if removed:
                await _add_to_count(idea, -1, -_trending_weight(idea, removed, now), account.id)
    if refusal:
        raise DomainError(*refusal)
    return SupportOutcome(
        supported=False, support_count=idea.support_count, verified_support_count=idea.verified_support_count
    )


def _trending_weight(idea: Idea, removed: list[dict], now: datetime) -> float:
    """What a withdrawn support took from the trending score: its weight, if it still counted as recent."""
    return trending.support_weight(idea, now) if trending.is_recent(removed[0]["created_at"], now) else 0.0


# The hot path's two writes, written out for the same reason as the read (~0.1 ms of building each).
_ADD_SUPPORT_ROW = (
    "INSERT INTO support (account, idea, created_at) VALUES ({}, {}, {})"
    " ON CONFLICT (account, idea) DO NOTHING RETURNING id"
)
# 1 for a supporter whose account is verified (resident or organisation), else 0: read inside the
# write, after the support row took its account's KEY SHARE, so a verification that committed
# before is seen, and one still open waits for this support (voting.verified explains both).
SUPPORTER_VERIFIED = (
    "(SELECT CASE WHEN verified_resident OR verified_organisation THEN 1 ELSE 0 END FROM account WHERE id = {})"
)
_COUNT_WHILE_OPEN = (
    "UPDATE idea SET support_count = support_count + {},"
    f" verified_support_count = verified_support_count + {{}} * {SUPPORTER_VERIFIED},"
    " trending_score = trending_score + {}"
    " WHERE id = {} AND status = {} AND support_closes_at > {}"
    " RETURNING support_count, verified_support_count, threshold_override"
)
_REMOVE_SUPPORT_ROW = "DELETE FROM support WHERE account = {} AND idea = {}{} RETURNING created_at"
# The withdrawal's counterpart of the insert's foreign key check (PostgreSQL): KEY SHARE on the account.
_HOLDING_SUPPORTER = " AND EXISTS (SELECT 1 FROM account WHERE id = {} FOR KEY SHARE)"


def _sqlite() -> bool:
    return isinstance(current_engine(), SQLiteEngine)


async def hold_supporter(account_id: int) -> None:
    """KEY SHARE on the supporter's account (PostgreSQL) before any idea lock, as the fast path's writes
    take it: a recount of the account's verification then never holds an idea this transaction waits for."""
    if not _sqlite():
        await Idea.raw("SELECT id FROM account WHERE id = {} FOR KEY SHARE", account_id)


async def _add_support_row(account_id: int, idea_id: int, now: datetime) -> bool:
    """The support row; False when the account already supports the idea (the unique index makes it a no-op)."""
    return bool(await Support.raw(_ADD_SUPPORT_ROW, account_id, idea_id, now))


async def _remove_support_row(account_id: int, idea_id: int) -> list[dict]:
    if _sqlite():
        return await Support.raw(_REMOVE_SUPPORT_ROW.format("{}", "{}", ""), account_id, idea_id)
    sql = _REMOVE_SUPPORT_ROW.format("{}", "{}", _HOLDING_SUPPORTER)
    return await Support.raw(sql, account_id, idea_id, account_id)


async def _count_while_open(
    idea: Idea, delta: int, account_id: int, now: datetime, weight: float
) -> tuple[int, int, int | None]:
    """Add `delta` to the counters (the verified one if the supporter is verified, and the support's
    weight to the trending score) if the idea is still open.

    The one statement that takes the idea's row lock; it raises _IdeaChanged (undoing the
    support row) when the idea was routed, hidden or closed since it was read.
    """
    rows = await Idea.raw(_COUNT_WHILE_OPEN, delta, delta, account_id, weight, idea.id, IdeaStatus.published.value, now)
    if not rows:
        raise _IdeaChanged
    return rows[0]["support_count"], rows[0]["verified_support_count"], rows[0]["threshold_override"]


def _counters(delta: int, weight: float, supporter: int | None = None, verified_delta: int = 0) -> dict:
    """The counter's change, and the trending score's with it (Piccolo's arithmetic covers integer columns only).

    The verified counter moves by `delta` when `supporter`'s account is verified, or by `verified_delta`."""
    values: dict = {Idea.support_count: Idea.support_count + delta}
    if supporter is not None:
        values[Idea.verified_support_count] = QueryString(
            f"{{}} + {{}} * {SUPPORTER_VERIFIED}", Idea.verified_support_count, delta, supporter
        )
    elif verified_delta:
        values[Idea.verified_support_count] = Idea.verified_support_count + verified_delta
    if weight:
        values[Idea.trending_score] = QueryString("{} + {}", Idea.trending_score, weight)
    return values


def _decide_again(exc: Exception) -> bool:
    """The fast path gave way: the idea changed since the read, or PostgreSQL broke a deadlock by
    rolling it back (a merge moving a support onto the row it had just inserted, while waiting for
    the idea's lock the merge held). Both leave nothing behind; the careful path queues for the lock first."""
    return isinstance(exc, _IdeaChanged) or is_deadlock(exc)


def _inside_transaction() -> bool:
    """Called inside another use case's transaction, a changed idea could not be undone by a rollback of our own."""
    return current_engine().current_transaction.get() is not None


async def _current_counts(idea_id: int) -> tuple[int, None, int]:
    """The counters as they are (for a SupportOutcome: the total, no routing, the verified ones)."""
    row = await Idea.select(Idea.support_count, Idea.verified_support_count).where(Idea.id == idea_id).first()
    return row["support_count"], None, row["verified_support_count"]


async def _add_to_count(
    idea: Idea, delta: int, weight: float = 0.0, supporter: int | None = None, verified_delta: int = 0
) -> None:
    """Move the locked idea's counters and read them back into `idea`."""
    rows = (
        await Idea.update(_counters(delta, weight, supporter, verified_delta))
        .where(Idea.id == idea.id)
        .returning(Idea.support_count, Idea.verified_support_count)
    )
    idea.support_count, idea.verified_support_count = rows[0]["support_count"], rows[0]["verified_support_count"]


async def route_at_threshold(
    settings: Settings, idea: Idea, now: datetime, *, events: DomainEvents
) -> RegisterEntry | None:
    """Route `idea` (locked, at its threshold) as the support that reached it; the record keeps the counted figure."""
    count = counted_supports(idea, settings.city)
    return await _route(settings, idea, count, now, method="threshold", events=events)


async def _route(
    settings: Settings,
    idea: Idea,
    count: int,
    now: datetime,
    method: str,
    moderator: Account | None = None,
    reason: str | None = None,
    *,
    events: DomainEvents,
) -> RegisterEntry | None:
    """Route `idea` (inside the caller's transaction, which holds its row lock); None if not published.

    The entry and the Routing record come first, so that what reacts to the status change
    (IdeaStatusChanged, published by the lifecycle) finds them.
    """
    if idea.status != IdeaStatus.published.value:
        return None
    entry = await create_routed_entry(
        title=idea.title,
        summary=idea.summary,
        theme=idea.theme,
        scope=idea.scope,
        neighbourhood=idea.neighbourhood,
        origin="pilot" if idea.kind == IdeaKind.pilot.value else "idea",
        idea_id=idea.id,
        # A pilot's answers about personal data go into the entry's data-and-privacy block; for an idea it is unknown.
        personal_data=idea.pilot_personal_data if idea.kind == IdeaKind.pilot.value else None,
        personal_data_description=idea.pilot_personal_data_details if idea.kind == IdeaKind.pilot.value else None,
        response_due_at=default_response_due(settings, now),
        latitude=idea.latitude,
        longitude=idea.longitude,
    )
    await _record_routing(settings, idea, count, now, method, entry.id, moderator, reason)
    if not await lifecycle.route(idea, now, events=events):
        raise RuntimeError(f"idea {idea.id} changed status under its row lock")  # rolls the routing back
    return entry


async def _record_routing(
    settings: Settings,
    idea: Idea,
    count: int,
    now: datetime,
    method: str,
    entry_id: int,
    account: Account | None = None,
    reason: str | None = None,
) -> None:
    """The routing record: how and when the idea went into which entry; its unique index makes it once per idea."""
    await Routing.insert(
        Routing(
            idea=idea.id,
            routed_at=now,
            support_count=count,
            threshold=threshold_for(idea, settings.city),
            method=method,
            moderator=account.id if account else None,
            reason=reason,
            register_entry_id=entry_id,
        )
    )


async def route_manually(
    settings: Settings,
    moderator: Account,
    idea_id: int,
    reason: str,
    now: datetime | None = None,
    *,
    events: DomainEvents,
) -> RegisterEntry:
    """A moderator routes a published idea below the threshold, with a reason (moderation checks who may)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("Give a reason for routing this idea."), status_code=422)
    now = now or utcnow()
    async with write_transaction():
        idea = await _locked_idea(idea_id)
        await _expire_locked(idea, now, events)
        entry = None
        if idea.status == IdeaStatus.published.value:
            entry = await _route(
                settings,
                idea,
                idea.support_count,
                now,
                method="moderator",
                moderator=moderator,
                reason=reason[:2000],
                events=events,
            )
    if entry is None:
        raise DomainError(N_("Only a published idea can be routed."), status_code=409)
    return entry


THRESHOLD_MAX = 100_000


async def set_threshold(
    settings: Settings, idea_id: int, threshold: int | None, now: datetime | None = None, *, events: DomainEvents
) -> str | None:
    """Set this idea's own threshold (None: the city's again); moderation checks that an admin asks.

    Lowering it to or below the current support count routes the idea at once,
    in the same transaction. Returns the register entry's slug when it routed.
    """
    if threshold is not None and not 1 <= threshold <= THRESHOLD_MAX:
        raise FormErrors({"threshold": Message(N_("Use a whole number from 1 to %(max)s."), max=THRESHOLD_MAX)})
    now = now or utcnow()
    async with write_transaction():
        idea = await _locked_idea(idea_id)
        await _expire_locked(idea, now, events)  # a closed window must not route through a lower threshold
        if not threshold_overridable(idea):
            raise DomainError(
                N_("The threshold can only change while the idea is open or under review."), status_code=409
            )
        await Idea.update({Idea.threshold_override: threshold}).where(Idea.id == idea.id)
        idea.threshold_override = threshold
        entry = None
        if idea.status == IdeaStatus.published.value and reached_threshold(idea, settings.city):
            entry = await route_at_threshold(settings, idea, now, events=events)
    return entry.slug if entry else None


def counted_column(city: CityConfig):
    """The column the threshold is compared with (voting.permissions.counted_supports)."""
    return Idea.verified_support_count if counts_verified(city) else Idea.support_count


def over_threshold_where(city: CityConfig):
    """Published ideas at or over their threshold (the city's, or their own): what the periodic task routes."""
    return (Idea.status == IdeaStatus.published.value) & (
        counted_column(city) >= Coalesce(Idea.threshold_override, city.support_threshold)
    )


def below_threshold_where(city: CityConfig):
    return (Idea.status == IdeaStatus.published.value) & (
        counted_column(city) < Coalesce(Idea.threshold_override, city.support_threshold)
    )


async def route_ideas_over_threshold(settings: Settings, now: datetime | None = None, *, events: DomainEvents) -> int:
    """Route every published idea already at or over its threshold (after the city lowered it); returns how many.

    The same rules as the support that reaches a threshold: per idea one write transaction with
    its row lock, expiry first, routing conditional on `published`, the routing record unique.
    Two runs at once therefore route each idea once: the second finds it routed.
    """
    now = now or utcnow()
    candidates = await Idea.select(Idea.id).where(over_threshold_where(settings.city)).order_by(Idea.id)
    routed = 0
    for row in candidates:  # the common case is none: a cheap read, no write lock taken
        async with write_transaction():
            idea = await for_update(Idea.objects().where(Idea.id == row["id"])).first()
            if idea is None:
                continue
            await _expire_locked(idea, now, events)
            if is_due_for_routing(idea, settings.city):
                entry = await route_at_threshold(settings, idea, now, events=events)
                routed += entry is not None
    return routed


async def link_idea(
    settings: Settings,
    editor: Account | None,
    entry_slug: str,
    raw_idea_id: object,
    now: datetime | None = None,
    *,
    events: DomainEvents,
) -> Idea:
    """An editor links a further published idea to an existing register entry (several ideas, one project).

    The idea routes into that entry: the lifecycle's `route` and a routing record with method
    `linked`, in one transaction under the idea's row lock; the record's unique index makes it once.
    """
    if not can_edit_register(editor):
        raise DomainError(N_("Only register editors can change the register."), status_code=403)
    try:
        idea_id = int(str(raw_idea_id or "").strip().lstrip("#"))
    except ValueError:
        idea_id = 0
    if not 1 <= idea_id <= 2**31 - 1:
        raise FormErrors({"idea_id": N_("Enter the number of the idea (the number in its address).")})
    now = now or utcnow()
    entry = await RegisterEntry.objects().where(RegisterEntry.slug == entry_slug).first()
    if entry is None:
        raise DomainError(N_("There is no register entry at this address."), status_code=404)
    if entry.draft:  # an idea routes into public entries only: its supporters follow it there
        raise DomainError(N_("Publish this entry before linking ideas to it."), status_code=409)
    try:
        async with write_transaction():
            idea = await for_update(Idea.objects().where(Idea.id == idea_id)).first()
            if idea is None or not can_view(editor, idea):  # one the editor may not see is not there either
                raise FormErrors({"idea_id": N_("There is no idea with this number.")})
            await _expire_locked(idea, now, events)
            refusal = link_refusal(idea)
            if refusal is None:
                # The record first, so what reacts to the status change finds it (as in _route).
                await _record_routing(settings, idea, idea.support_count, now, "linked", entry.id, editor)
                if not await lifecycle.route(idea, now, events=events):  # cannot happen under the row lock
                    raise DomainError(N_("Only a published idea can be linked to a register entry."), status_code=409)
    except Exception as exc:
        if is_unique_violation(exc):  # routed meanwhile by another path; the unique index kept it once
            raise DomainError(N_("This idea is already in the project register."), status_code=409) from exc
        raise
    if refusal:
        raise DomainError(*refusal)
    return idea


async def linkable_ideas(settings: Settings, query: str, limit: int = 10, *, events: DomainEvents) -> list[Idea]:
    """Published ideas matching `query` (the list's full-text search), for the editor's link form."""
    if not query.strip():
        return []
    filters = filters_from_params(settings.city, {"q": query, "per_page": limit})
    return (await list_ideas(filters, statuses=tuple(sorted(LINKABLE_STATUSES)))).items


async def source_ideas(entry_slug: str) -> list[dict]:
    """The public ideas a register entry came from, in the order they went into it."""
    entry = (
        await RegisterEntry.select(RegisterEntry.id, RegisterEntry.idea_id)
        .where(RegisterEntry.slug == entry_slug)
        .first()
    )
    if entry is None:
        return []
    return await source_ideas_of(entry["id"], entry["idea_id"])


async def source_ideas_of(entry_id: int, idea_id: int | None) -> list[dict]:
    """`source_ideas` for an entry already read (its id and the idea it was created for)."""
    routed = (
        await Routing.select(Routing.idea, Routing.method, Routing.routed_at)
        .where(Routing.register_entry_id == entry_id)
        .order_by(Routing.routed_at, Routing.id)
    )
    ids = [r["idea"] for r in routed]
    if idea_id and idea_id not in ids:
        ids.insert(0, idea_id)  # an entry an editor created for an idea, without routing it
    if not ids:
        return []
    rows = await Idea.select(Idea.id, Idea.title, Idea.kind).where(
        Idea.id.is_in(ids) & Idea.status.is_in(sorted(PUBLIC_STATUSES))
    )
    by_id = {row["id"]: row for row in rows}
    how = {r["idea"]: r["method"] for r in routed}
    return [{**by_id[i], "linked": how.get(i) == "linked"} for i in ids if i in by_id]


# What the idea page says about how the idea went into the register, by routing method.
ROUTED_HOW = {
    "threshold": N_("This idea reached the support threshold and went to the Smart City project register."),
    "merge": N_("This idea reached the support threshold and went to the Smart City project register."),
    "moderator": N_("The municipality took this idea into the Smart City project register."),
    "linked": N_("The municipality linked this idea to a project in the Smart City project register."),
}


@dataclass(frozen=True)
class RoutedOutcome:
    """What happened with a routed idea: how it went in, and the register entry's public view now."""

    how: Message
    entry: dict


async def routed_outcome(idea_id: int, now: datetime | None = None) -> RoutedOutcome | None:
    routing = await Routing.objects().where(Routing.idea == idea_id).first()
    if routing is None:
        return None
    entry = await entry_outcome(routing.register_entry_id, now)
    if entry is None:
        return None
    return RoutedOutcome(how=Message(ROUTED_HOW.get(routing.method, ROUTED_HOW["threshold"])), entry=entry)


@dataclass(frozen=True)
class MergeOutcome:
    moved: int
    target_support_count: int
    routed_entry_slug: str | None


# A duplicate may point to an idea that is public and still means something to its supporters.
MERGE_TARGETS = frozenset({IdeaStatus.published.value, IdeaStatus.routed.value, IdeaStatus.expired.value})


async def merge_ideas(
    settings: Settings, source_id: int, target_id: int, now: datetime | None = None, *, events: DomainEvents
) -> MergeOutcome:
    """Merge duplicate idea A (source) into B (target): A's supports move to B once.

    An account that supported both counts once; B's author is not counted.
    Comments stay on A, which now points to B. B may route as a result.
    """
    if source_id == target_id:
        raise DomainError(N_("An idea cannot be a duplicate of itself."), status_code=422)
    now = now or utcnow()
    async with write_transaction():
        # Lock in id order so that two opposite merges cannot deadlock.
        locked = {i: await _locked_idea(i) for i in sorted((source_id, target_id))}
        source, target = locked[source_id], locked[target_id]
        for idea in locked.values():
            await _expire_locked(idea, now, events)  # a closed window must not route through a merge
        if not lifecycle.allows(lifecycle.Transition.merge, source.status):
            raise DomainError(N_("This idea can no longer be marked as a duplicate."), status_code=409)
        if target.status not in MERGE_TARGETS:
            raise DomainError(N_("The original idea must be public."), status_code=409)
        moved = await Support.raw(
            "INSERT INTO support (account, idea, created_at) "
            "SELECT account, {}, created_at FROM support WHERE idea = {} AND account <> {} "
            "ON CONFLICT (account, idea) DO NOTHING RETURNING id",
            target.id,
            source.id,
            target.author,
        )
        await Support.delete().where(Support.idea == source.id)
        await lifecycle.merge(source, target.id, now, events=events)
        if moved:
            await _add_to_count(target, len(moved), verified_delta=await _verified_among([r["id"] for r in moved]))
        entry = None
        if target.status == IdeaStatus.published.value and reached_threshold(target, settings.city):
            entry = await _route(settings, target, counted_supports(target, settings.city), now, "merge", events=events)
    return MergeOutcome(len(moved), target.support_count, entry.slug if entry else None)


async def _verified_among(support_ids: list[int]) -> int:
    """How many of these supports are from verified accounts (the ones a merge moved)."""
    found = 0
    for start in range(0, len(support_ids), 500):  # bounded statements: SQLite and asyncpg cap the parameters
        chunk = support_ids[start : start + 500]
        rows = await Support.raw(
            "SELECT COUNT(*) AS n FROM support JOIN account ON account.id = support.account"
            " WHERE (account.verified_resident OR account.verified_organisation)"
            f" AND support.id IN ({', '.join('{}' for _ in chunk)})",
            *chunk,
        )
        found += int(rows[0]["n"])
    return found


async def supported_idea_ids(account: Account | None, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the account supports (one query, for a page of cards)."""
    if account is None or not idea_ids:
        return set()
    rows = await Support.select(Support.idea).where((Support.account == account.id) & Support.idea.is_in(idea_ids))
    return {row["idea"] for row in rows}


async def routing_for(idea_id: int) -> tuple[Routing, str] | None:
    """The routing record of an idea and its register entry's slug."""
    routing = await Routing.objects().where(Routing.idea == idea_id).first()
    if routing is None:
        return None
    row = await RegisterEntry.select(RegisterEntry.slug).where(RegisterEntry.id == routing.register_entry_id).first()
    return routing, row["slug"] if row else None


async def my_supports(account: Account, limit: int = 100) -> list[dict]:
    """The ideas an account supports that it may still see, newest support first (a hidden one drops out)."""
    rows = (
        await Support.select(
            Support.idea.id.as_alias("id"),
            Support.idea.title.as_alias("title"),
            Support.idea.status.as_alias("status"),
            Support.idea.support_count.as_alias("support_count"),
            Support.idea.author.as_alias("author"),
            Support.idea.published_at.as_alias("published_at"),
            Support.created_at,
        )
        .where(Support.account == account.id)
        .order_by(Support.created_at, ascending=False)
        .limit(limit)
    )
    return [row for row in rows if can_view(account, Idea(**{k: row[k] for k in ("status", "author", "published_at")}))]


def outcome_message(outcome: SupportOutcome) -> Message:
    if outcome.routed_entry_slug:
        return Message(
            N_("Thank you! With your support this idea reached the threshold and goes to the project register.")
        )
    if outcome.supported:
        return Message(N_("Thank you for your support."))
    return Message(N_("Your support has been withdrawn."))
