"""Who may do what with ideas and comments: pure functions over (account, idea/comment, now).

Used by the services (which enforce them), the controllers and the templates
(which only decide what to show). A refusal function returns the message to
show, or None when the action is allowed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ideas.lifecycle import Transition, sources
from ideas.tables import Comment, CommentStatus, Idea, IdeaKind, IdeaStatus
from participation.accounts.permissions import has_role, participation_refusal
from participation.accounts.tables import Account, AccountKind, Role
from participation.i18n import N_
from participation.validation import Message

COMMENT_EDIT_WINDOW = timedelta(minutes=15)
EDITABLE_STATUSES = sources(Transition.resubmit)
WITHDRAWABLE_STATUSES = sources(Transition.withdraw)
# Everyone may see these (withdrawn only if it was public before).
PUBLIC_STATUSES = frozenset(
    {IdeaStatus.published.value, IdeaStatus.routed.value, IdeaStatus.expired.value, IdeaStatus.merged.value}
)
COMMENTABLE_STATUSES = frozenset({IdeaStatus.published.value, IdeaStatus.routed.value})


def _id(value: object) -> int | None:
    """A foreign key as loaded by Piccolo: an int, or a related object when prefetched."""
    return getattr(value, "id", value)  # type: ignore[return-value]


def is_author(account: Account | None, idea: Idea) -> bool:
    return account is not None and account.id == _id(idea.author)


def is_moderator(account: Account | None) -> bool:
    return has_role(account, Role.moderator)


def is_public(idea: Idea) -> bool:
    if idea.status == IdeaStatus.withdrawn.value:
        return idea.published_at is not None
    return idea.status in PUBLIC_STATUSES


def can_view(account: Account | None, idea: Idea) -> bool:
    """The one visibility rule: every page and endpoint that shows or acts on an idea asks this.

    What it refuses answers exactly like a missing idea (404), so ids cannot be enumerated.
    """
    return is_public(idea) or is_author(account, idea) or is_moderator(account)


def can_view_comment(account: Account | None, comment: Comment, idea: Idea) -> bool:
    """A comment exists for someone who may see its idea, unless a moderator hid it (its reason shows instead)."""
    return comment.status != CommentStatus.hidden.value and can_view(account, idea)


def shows_hidden_notice(account: Account | None, idea: Idea) -> bool:
    """A hidden idea shows only its public reason category, except to its author and moderators."""
    return idea.status == IdeaStatus.hidden.value and not is_author(account, idea) and not is_moderator(account)


def submit_refusal(account: Account | None, kind: str) -> Message | None:
    if refusal := participation_refusal(account):
        return refusal
    if kind == IdeaKind.pilot.value and account.kind != AccountKind.organisation.value:  # type: ignore[union-attr]
        return Message(N_("Only organisations can propose pilots. Submit it as an idea instead."))
    return None


def can_edit(account: Account | None, idea: Idea) -> bool:
    return is_author(account, idea) and idea.status in EDITABLE_STATUSES and participation_refusal(account) is None


def can_withdraw(account: Account | None, idea: Idea) -> bool:
    return is_author(account, idea) and idea.status in WITHDRAWABLE_STATUSES


def comments_open(idea: Idea) -> bool:
    return idea.status in COMMENTABLE_STATUSES


def comment_refusal(account: Account | None, idea: Idea) -> Message | None:
    if refusal := participation_refusal(account):
        return refusal
    if not comments_open(idea):
        return Message(N_("Comments are open on published ideas only."))
    return None


def follow_refusal(account: Account | None, idea: Idea) -> Message | None:
    if refusal := participation_refusal(account):
        return refusal
    if not can_view(account, idea):
        return Message(N_("This idea does not exist."))
    return None


def can_edit_comment(account: Account | None, comment: Comment, now: datetime) -> bool:
    return (
        account is not None
        and account.id == _id(comment.author)
        and comment.status == CommentStatus.visible.value
        and now - comment.created_at <= COMMENT_EDIT_WINDOW
        and participation_refusal(account) is None
    )


def can_delete_comment(account: Account | None, comment: Comment) -> bool:
    return account is not None and account.id == _id(comment.author) and comment.status == CommentStatus.visible.value
