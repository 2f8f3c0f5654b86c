"""What the support area of an idea shows: progress to the threshold, days left, the button's state."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from ideas.tables import Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.lib.clock import utcnow
from participation.settings import Settings
from participation.validation import Message
from voting.permissions import counts_verified, is_open_for_support, support_refusal, threshold_for
from voting.services import author_kvk, routing_for, supported_idea_ids


@dataclass(frozen=True)
class SupportPanel:
    idea_id: int
    status: str
    support_count: int
    threshold: int
    open: bool
    closes_at: datetime | None
    days_left: int | None
    response_weeks: int
    supported: bool = False
    can_withdraw: bool = False
    refusal: Message | None = None
    register_slug: str | None = None
    # Of support_count, those of verified residents and organisations; shown always, counted where the city says so.
    verified_count: int = 0
    counts_verified: bool = False

    @property
    def counted(self) -> int:
        """The figure the threshold is compared with."""
        return self.verified_count if self.counts_verified else self.support_count

    @property
    def percent(self) -> int:
        """Progress for the bar, capped at 100 (supports keep counting past the threshold)."""
        return min(100, math.floor(100 * self.counted / self.threshold)) if self.threshold else 100

    @property
    def remaining(self) -> int:
        return max(0, self.threshold - self.counted)


def days_left(closes_at: datetime | None, now: datetime) -> int | None:
    if closes_at is None or now >= closes_at:
        return None
    return math.ceil((closes_at - now).total_seconds() / 86400)


def card_panel(settings: Settings, idea: Idea, now: datetime | None = None, supported: bool = False) -> SupportPanel:
    """The panel of a list card: no queries, the caller passes whether the viewer supports it."""
    now = now or utcnow()
    open_ = is_open_for_support(idea, now)
    return SupportPanel(
        idea_id=idea.id,
        status=idea.status,
        support_count=idea.support_count,
        threshold=threshold_for(idea, settings.city),
        open=open_,
        closes_at=idea.support_closes_at,
        days_left=days_left(idea.support_closes_at, now) if open_ else None,
        response_weeks=settings.city.response_weeks,
        supported=supported,
        can_withdraw=supported and idea.status == IdeaStatus.published.value and open_,
        verified_count=idea.verified_support_count,
        counts_verified=counts_verified(settings.city),
    )


async def support_panel(
    settings: Settings, account: Account | None, idea: Idea, now: datetime | None = None
) -> SupportPanel:
    """The panel of the detail page (two small queries: the viewer's support and the routing)."""
    now = now or utcnow()
    supported = idea.id in await supported_idea_ids(account, [idea.id])
    base = card_panel(settings, idea, now, supported)
    refusal = None
    # A routed idea's page says what happened instead; "not open for support" would only be noise there.
    if account is not None and not supported and idea.status != IdeaStatus.routed.value:
        found = support_refusal(account, idea, now, await author_kvk(idea, account))
        refusal = found[0] if found else None
    routing = await routing_for(idea.id) if idea.status == IdeaStatus.routed.value else None
    return SupportPanel(**{**base.__dict__, "refusal": refusal, "register_slug": routing[1] if routing else None})
