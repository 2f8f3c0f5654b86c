"""Verified supports: how many of an idea's supports come from verified residents and organisations.

`idea.verified_support_count` is kept like `support_count`: the support and the withdrawal add
or take one in their own transaction (voting.services, from the supporter's flags read inside
it), and a change of an account's verification moves the figure of every idea it supports, in
the transaction of that change (`VerifiedSupports.on_verification_changed`). Where the city
counts only verified supports, that handler also routes an idea the change brought to its
threshold, as the support that reaches it would.

Why the two never miss each other on PostgreSQL: every write of a support row first holds the
supporter's account row in KEY SHARE (the foreign key check of the insert; the withdrawal and the
careful paths ask for it), and the recount begins by locking that row FOR UPDATE. So either the
support commits first and the recount sees its row, or the recount commits first and the
support's counter statement, started after it, reads the new flags. On SQLite the write
transactions are serialised as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from piccolo.engine.sqlite import SQLiteEngine

from ideas import lifecycle
from ideas.tables import Idea
from participation.accounts.events import VerificationChanged
from participation.database import current_engine, write_transaction
from participation.lib.clock import utcnow
from participation.lib.events import NO_EVENTS, DomainEvents
from participation.settings import Settings
from voting import services
from voting.permissions import counts_verified, is_due_for_routing


@dataclass
class VerifiedSupports:
    """The voting domain's reaction to `VerificationChanged` (wired in participation.composition)."""

    settings: Settings
    # The app's events, set by the composition root once built: routing announces the status change.
    events: DomainEvents = field(default=NO_EVENTS)

    async def on_verification_changed(self, event: VerificationChanged) -> None:
        before = event.was_resident or event.was_organisation
        after = event.resident or event.organisation
        if before != after:  # resident -> organisation (or both) changes no count
            await recount_supports_of(self.settings, event.account_id, 1 if after else -1, events=self.events)


async def recount_supports_of(
    settings: Settings, account_id: int, delta: int, now: datetime | None = None, *, events: DomainEvents
) -> list[int]:
    """Move the verified count of every idea the account supports by `delta`; returns the ideas routed.

    Runs in the caller's transaction (set_verification's). Locks, in this order: the account
    (FOR UPDATE: waits for its supports and withdrawals in flight, and holds off new ones), its
    support rows (a merge moving them finishes first), the ideas in id order (two recounts at
    once cannot deadlock on them).
    """
    now = now or utcnow()
    routed: list[int] = []
    async with write_transaction():
        lock = "" if isinstance(current_engine(), SQLiteEngine) else " FOR UPDATE"
        if lock:
            await Idea.raw("SELECT id FROM account WHERE id = {} FOR UPDATE", account_id)
        supported = await Idea.raw(f"SELECT idea FROM support WHERE account = {{}} ORDER BY idea{lock}", account_id)
        if not supported:
            return routed
        if lock:
            await Idea.raw(
                "SELECT id FROM idea WHERE id IN (SELECT idea FROM support WHERE account = {}) ORDER BY id"
                " FOR NO KEY UPDATE",
                account_id,
            )
        await Idea.raw(
            "UPDATE idea SET verified_support_count = verified_support_count + {}"
            " WHERE id IN (SELECT idea FROM support WHERE account = {})",
            delta,
            account_id,
        )
        if delta > 0 and counts_verified(settings.city):
            routed = await _route_reached(settings, account_id, now, events=events)
    return routed


# The account's supported ideas that are open and now at or over their threshold in verified supports.
_REACHED = (
    "SELECT id FROM idea WHERE status = 'published' AND id IN (SELECT idea FROM support WHERE account = {})"
    " AND verified_support_count >= COALESCE(threshold_override, {}) ORDER BY id"
)


async def _route_reached(settings: Settings, account_id: int, now: datetime, *, events: DomainEvents) -> list[int]:
    """Route the ideas (locked by the caller) that the account's new verified supports brought to their threshold.

    As the support that reaches it: only within the window (a closed one expires instead), only
    while published, and the routing record's unique index keeps it once.
    """
    routed = []
    for row in await Idea.raw(_REACHED, account_id, settings.city.support_threshold):
        idea = await Idea.objects().get(Idea.id == row["id"])
        await lifecycle.expire_if_due(idea, now, events=events)
        if is_due_for_routing(idea, settings.city):
            entry = await services.route_at_threshold(settings, idea, now, events=events)
            if entry is not None:
                routed.append(idea.id)
    return routed
