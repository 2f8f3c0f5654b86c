"""The moderation rules as pure functions: no database, no HTTP (plain, unsaved Account, Idea and Comment objects)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ideas.tables import Comment, CommentStatus, Idea, IdeaStatus
from participation.accounts.tables import Account, Role
from participation.moderation.permissions import (
    DECISION_STATUSES,
    allowed_decisions,
    authorize,
    can_administer,
    can_change_role,
    can_change_roles,
    can_moderate,
    can_report,
    can_set_threshold,
    is_reportable,
    report_refusal,
    role_change_refusal,
    suspend_refusal,
)
from participation.moderation.spam import SPAM_LINK_COUNT, link_count
from participation.validation import DomainError

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_ids = iter(range(1, 10_000))


def account(role: Role = Role.member, *, suspended: bool = False, deleted: bool = False, verified: bool = True):
    return Account(
        id=next(_ids),
        role=role.value,
        email_verified_at=NOW if verified else None,
        suspended_at=NOW if suspended else None,
        suspension_reason="Spam." if suspended else None,
        deleted_at=NOW if deleted else None,
    )


def idea(status: IdeaStatus, author: Account | None = None, *, was_published: bool = True) -> Idea:
    return Idea(
        id=next(_ids),
        author=(author or account()).id,
        status=status.value,
        published_at=NOW if was_published else None,
    )


def comment(status: CommentStatus = CommentStatus.visible, author: Account | None = None) -> Comment:
    return Comment(id=next(_ids), idea=1, author=(author or account()).id, status=status.value, body="Een reactie.")


# -- who may moderate ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.member, False), (Role.editor, False), (Role.moderator, True), (Role.admin, True)],
)
def test_moderators_and_admins_moderate(role, allowed):
    assert can_moderate(account(role)) is allowed


@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
def test_a_suspended_or_deleted_moderator_does_not_moderate(role):
    assert can_moderate(account(role, suspended=True)) is False
    assert can_moderate(account(role, deleted=True)) is False


def test_nobody_signed_in_moderates_nothing():
    assert can_moderate(None) is False
    assert can_administer(None) is False
    assert can_change_roles(None) is False


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.member, False), (Role.editor, False), (Role.moderator, False), (Role.admin, True)],
)
def test_only_admins_change_roles(role, allowed):
    assert can_change_roles(account(role)) is allowed
    assert can_change_roles(account(role, suspended=True)) is False


def test_an_admin_changes_other_roles_but_not_their_own():
    admin = account(Role.admin)
    assert can_change_role(admin, account(Role.member)) is True
    assert can_change_role(admin, account(Role.admin)) is True
    assert role_change_refusal(admin, admin).msgid == "You cannot change your own role."
    assert role_change_refusal(account(Role.moderator), account()).msgid == "Only administrators can change roles."


def test_the_threshold_is_an_active_admins_while_the_idea_is_under_review_or_open():
    admin = account(Role.admin)
    for status in (IdeaStatus.submitted, IdeaStatus.needs_changes, IdeaStatus.published):
        assert can_set_threshold(admin, idea(status)) is True
    for status in (IdeaStatus.routed, IdeaStatus.expired, IdeaStatus.rejected, IdeaStatus.hidden):
        assert can_set_threshold(admin, idea(status)) is False
    assert can_set_threshold(account(Role.moderator), idea(IdeaStatus.published)) is False
    assert can_set_threshold(account(Role.admin, suspended=True), idea(IdeaStatus.published)) is False


def test_suspending_members_staff_and_oneself():
    moderator, admin = account(Role.moderator), account(Role.admin)
    assert suspend_refusal(moderator, account()) is None
    assert (
        suspend_refusal(moderator, account(Role.editor)).msgid == "Only an administrator can suspend a staff account."
    )
    assert suspend_refusal(admin, account(Role.editor)) is None
    assert suspend_refusal(moderator, moderator).msgid == "You cannot suspend your own account."
    assert suspend_refusal(account(Role.editor), account()).msgid == "Only moderators can do this."
    assert suspend_refusal(account(Role.moderator, suspended=True), account()).msgid == "Only moderators can do this."


def test_authorize_refuses_with_403():
    authorize(True)
    with pytest.raises(DomainError) as refused:
        authorize(False)
    assert refused.value.status_code == 403
    assert refused.value.message.msgid == "Only moderators can do this."


# -- reporting ------------------------------------------------------------------------


def test_reporting_needs_an_account_that_may_take_part():
    assert report_refusal(None, 1)[1] == 401
    assert report_refusal(account(suspended=True), 1)[1] == 403
    assert report_refusal(account(verified=False), 1)[1] == 403
    member = account()
    assert report_refusal(member, member.id)[0].msgid == "You cannot report your own contribution."
    assert report_refusal(member, member.id + 1) is None


@pytest.mark.parametrize(
    ("status", "reportable"),
    [
        (IdeaStatus.published, True),
        (IdeaStatus.routed, True),
        (IdeaStatus.expired, True),
        (IdeaStatus.merged, True),
        (IdeaStatus.withdrawn, True),
        (IdeaStatus.submitted, False),
        (IdeaStatus.needs_changes, False),
        (IdeaStatus.rejected, False),
        (IdeaStatus.hidden, False),  # already with the moderators
    ],
)
def test_public_ideas_are_reportable(status, reportable):
    assert is_reportable(idea(status)) is reportable
    assert can_report(account(), idea(status)) is reportable


def test_a_withdrawn_idea_that_was_never_public_is_not_reportable():
    assert is_reportable(idea(IdeaStatus.withdrawn, was_published=False)) is False


def test_visible_comments_by_someone_else_are_reportable():
    member = account()
    assert can_report(member, comment()) is True
    assert can_report(member, comment(author=member)) is False
    assert can_report(member, comment(CommentStatus.hidden)) is False
    assert can_report(member, comment(CommentStatus.deleted)) is False
    assert can_report(None, comment()) is False


def test_nobody_reports_their_own_idea():
    author = account()
    assert can_report(author, idea(IdeaStatus.published, author)) is False


# -- which decisions apply -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "decisions"),
    [
        (IdeaStatus.submitted, {"publish", "request_changes", "reject", "duplicate"}),
        (IdeaStatus.needs_changes, {"reject", "duplicate"}),
        (IdeaStatus.published, {"duplicate", "route", "hide"}),
        (IdeaStatus.routed, {"hide"}),
        (IdeaStatus.expired, {"hide"}),
        (IdeaStatus.merged, {"hide"}),
        (IdeaStatus.withdrawn, {"hide"}),
        (IdeaStatus.hidden, {"restore"}),
        (IdeaStatus.rejected, set()),
    ],
)
def test_allowed_decisions_follow_the_status(status, decisions):
    assert allowed_decisions(idea(status)) == decisions


def test_every_decision_is_one_the_api_takes():
    assert set(DECISION_STATUSES) == {"publish", "request_changes", "reject", "duplicate", "route", "hide", "restore"}


# -- spam signals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("", 0),
        (None, 0),
        ("Gewoon een idee zonder links.", 0),
        ("Zie https://example.org en http://example.com", 2),
        ("WWW.EXAMPLE.ORG, www.example.net en HTTPS://x.nl", 3),
        ("example.org zonder schema telt niet", 0),
    ],
)
def test_link_count(text, links):
    assert link_count(text) == links


def test_the_link_signal_starts_at_the_threshold():
    assert link_count(" ".join(["https://x.nl"] * SPAM_LINK_COUNT)) >= SPAM_LINK_COUNT
    assert link_count(" ".join(["https://x.nl"] * (SPAM_LINK_COUNT - 1))) < SPAM_LINK_COUNT
