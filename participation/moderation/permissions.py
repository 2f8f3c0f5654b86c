"""Who may moderate what, and which decisions apply to an idea: pure functions, one per rule.

Each moderation service checks its action's rule exactly once (with `authorize` or a
refusal function); route guards (`guards.py`) refuse early with the same functions;
templates receive the answers in their context and never compare roles or statuses.
"""

from __future__ import annotations

from ideas.lifecycle import Transition, sources
from ideas.permissions import is_public
from ideas.tables import Comment, CommentStatus, Idea
from participation.accounts.permissions import has_role, participation_refusal
from participation.accounts.tables import Account, Role
from participation.i18n import N_
from participation.validation import DomainError, Message
from voting.permissions import threshold_overridable

MODERATORS_ONLY = N_("Only moderators can do this.")

# Which idea statuses each decision on the moderation page applies to: read from the idea
# lifecycle's one transition table, which the services enforce (409 otherwise).
DECISION_STATUSES: dict[str, frozenset[str]] = {
    "publish": sources(Transition.publish),
    "request_changes": sources(Transition.request_changes),
    "reject": sources(Transition.reject),
    "duplicate": sources(Transition.merge),
    "route": sources(Transition.route),
    "hide": sources(Transition.hide),
    "restore": sources(Transition.restore),
}


def authorize(allowed: bool, refusal: str | Message = MODERATORS_ONLY) -> None:
    """Refuse (403) unless `allowed`: what a service does with its action's permission, once."""
    if not allowed:
        raise DomainError(refusal, 403)


def author_id(content: Idea | Comment) -> int | None:
    """The author of an idea or comment: an id, or the related object when prefetched."""
    return getattr(content.author, "id", content.author)  # type: ignore[return-value]


def can_moderate(account: Account | None) -> bool:
    """Moderators and administrators, while their account is active: a suspended moderator moderates nothing."""
    return has_role(account, Role.moderator)


def can_administer(account: Account | None) -> bool:
    """Administrators (roles, per-idea thresholds), while their account is active."""
    return has_role(account, Role.admin)


def can_change_roles(account: Account | None) -> bool:
    """Only administrators change roles (moderators do not make moderators)."""
    return can_administer(account)


def role_change_refusal(actor: Account | None, target: Account) -> Message | None:
    """Why `actor` may not change `target`'s role; None if it may. Not one's own, so that an admin always remains."""
    if not can_change_roles(actor):
        return Message(N_("Only administrators can change roles."))
    assert actor is not None
    if actor.id == target.id:
        return Message(N_("You cannot change your own role."))
    return None


def can_change_role(actor: Account | None, target: Account) -> bool:
    return role_change_refusal(actor, target) is None


def can_set_threshold(account: Account | None, idea: Idea) -> bool:
    """An administrator sets an idea's own threshold while the idea is under review or open."""
    return can_administer(account) and threshold_overridable(idea)


def suspend_refusal(actor: Account | None, target: Account) -> Message | None:
    """Moderators suspend members; only an admin suspends staff; nobody suspends themselves."""
    if not can_moderate(actor):
        return Message(MODERATORS_ONLY)
    assert actor is not None
    if actor.id == target.id:
        return Message(N_("You cannot suspend your own account."))
    if target.role != Role.member.value and not can_administer(actor):
        return Message(N_("Only an administrator can suspend a staff account."))
    return None


def erase_refusal(actor: Account | None, target: Account) -> Message | None:
    """Only administrators delete an account on someone's behalf, and not their own (that is /account/delete)."""
    if not can_administer(actor):
        return Message(N_("Only administrators can delete an account on request."))
    assert actor is not None
    if actor.id == target.id:
        return Message(N_("Delete your own account from your account page."))
    return None


def can_erase(actor: Account | None, target: Account) -> bool:
    return erase_refusal(actor, target) is None


def report_refusal(account: Account | None, author: int | None) -> tuple[Message, int] | None:
    """Why `account` may not report content written by `author` (with the HTTP status); None if it may."""
    if refusal := participation_refusal(account):
        return refusal, 401 if account is None else 403
    assert account is not None
    if author == account.id:
        return Message(N_("You cannot report your own contribution.")), 403
    return None


def is_reportable(content: Idea | Comment) -> bool:
    """Public ideas and visible comments; hidden content is already with the moderators."""
    if isinstance(content, Idea):
        return is_public(content)
    return content.status == CommentStatus.visible.value


def can_report(account: Account | None, content: Idea | Comment) -> bool:
    """Whether the report link shows: reportable content by someone else, for an account that may take part."""
    return is_reportable(content) and report_refusal(account, author_id(content)) is None


def allowed_decisions(idea: Idea) -> frozenset[str]:
    """The decisions (`DECISION_STATUSES` keys) that apply to the idea in its current status."""
    return frozenset(decision for decision, statuses in DECISION_STATUSES.items() if idea.status in statuses)
