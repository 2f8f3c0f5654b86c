"""Who may support which idea, and when an idea is open for support. Pure functions."""

from __future__ import annotations

from datetime import datetime

from ideas.lifecycle import support_window_open
from ideas.tables import IdeaStatus
from participation.accounts.permissions import participation_refusal
from participation.accounts.tables import Account
from participation.city import CityConfig
from participation.i18n import N_
from participation.validation import Message

# Only an open idea takes supports. After routing the idea page tells what the register did with it
# instead of asking for more; the supports it had stay counted.
SUPPORTABLE_STATUSES = frozenset({IdeaStatus.published.value})
# An editor may link an idea to an existing register entry while it is open (it then routes, method "linked").
LINKABLE_STATUSES = frozenset({IdeaStatus.published.value})
THRESHOLD_OVERRIDABLE = frozenset(
    {IdeaStatus.submitted.value, IdeaStatus.needs_changes.value, IdeaStatus.published.value}
)


def threshold_overridable(idea) -> bool:
    """An idea's own threshold may change while it is under review or open, not after it routed or closed.

    Who may change it (an administrator) is moderation's rule: `moderation.permissions.can_set_threshold`.
    """
    return idea.status in THRESHOLD_OVERRIDABLE


def threshold_for(idea, city: CityConfig) -> int:
    return idea.threshold_override or city.support_threshold


def counts_verified(city: CityConfig) -> bool:
    """The city counts only supports of verified residents and organisations toward the threshold."""
    return city.support_counts == "verified"


def counted_supports(idea, city: CityConfig) -> int:
    """The figure the threshold is compared with: every support, or the verified ones (the city's choice)."""
    return idea.verified_support_count if counts_verified(city) else idea.support_count


def reached_threshold(idea, city: CityConfig) -> bool:
    return counted_supports(idea, city) >= threshold_for(idea, city)


def is_due_for_routing(idea, city: CityConfig) -> bool:
    """Still published, yet at or over its threshold (e.g. after the city lowered it): the periodic task routes it."""
    return idea.status == IdeaStatus.published.value and reached_threshold(idea, city)


def is_open_for_support(idea, now: datetime) -> bool:
    """Published ideas take supports until the window closes (the close itself is closed); routed ones no longer."""
    return idea.status in SUPPORTABLE_STATUSES and support_window_open(idea, now)


def link_refusal(idea) -> tuple[Message, int] | None:
    """Why an editor may not link `idea` to a register entry (who may is the register's rule); None if it may."""
    if idea.status == IdeaStatus.routed.value:
        return Message(N_("This idea is already in the project register.")), 409
    if idea.status not in LINKABLE_STATUSES:
        return Message(N_("Only a published idea can be linked to a register entry.")), 409
    return None


def support_refusal(
    account: Account | None, idea, now: datetime, author_kvk: str | None = None
) -> tuple[Message, int] | None:
    """Why `account` may not support `idea` now, with the HTTP status for the API; None if it may."""
    if refusal := participation_refusal(account):
        return refusal, 401 if account is None else 403
    assert account is not None
    if idea.author == account.id:
        return Message(N_("You cannot support your own idea.")), 403
    if account.kvk_number and author_kvk and account.kvk_number == author_kvk:
        return Message(N_("An organisation cannot support its own pilot.")), 403
    if not is_open_for_support(idea, now):
        return Message(N_("This idea is not open for support.")), 409
    return None


def withdraw_refusal(account: Account | None, idea) -> tuple[Message, int] | None:
    if account is None:
        return Message(N_("Sign in to take part.")), 401
    if idea.status != IdeaStatus.published.value:
        return Message(N_("Support can only be withdrawn while the idea is open.")), 409
    return None
