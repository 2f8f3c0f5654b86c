"""The idea and support rules as plain functions: no database, no HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ideas import lifecycle, permissions
from ideas.lifecycle import TRANSITIONS, Transition, allows
from ideas.tables import Idea, IdeaStatus
from participation.accounts.tables import Account, AccountKind, Role
from participation.city import load_city_config
from participation.lib.clock import utcnow
from participation.settings import ROOT
from voting.permissions import (
    is_open_for_support,
    support_refusal,
    threshold_for,
    threshold_overridable,
    withdraw_refusal,
)

NOW = utcnow()
S = IdeaStatus


def account(id_: int = 1, role: Role = Role.member, verified: bool = True, **extra) -> Account:
    return Account(
        id=id_,
        email=f"a{id_}@example.org",
        display_name="A",
        role=role.value,
        email_verified_at=NOW if verified else None,
        **extra,
    )


def idea(status: S = S.published, author: int = 99, closes_in: timedelta | None = timedelta(days=10), **extra) -> Idea:
    return Idea(
        id=7,
        author=author,
        status=status.value,
        support_closes_at=NOW + closes_in if closes_in is not None else None,
        **extra,
    )


# -- the lifecycle table -------------------------------------------------------------


@pytest.mark.parametrize(
    ("transition", "status", "allowed"),
    [
        (Transition.publish, S.submitted, True),
        (Transition.publish, S.needs_changes, False),
        (Transition.publish, S.published, False),
        (Transition.reject, S.needs_changes, True),
        (Transition.reject, S.published, False),
        (Transition.withdraw, S.published, True),
        (Transition.withdraw, S.routed, False),
        (Transition.route, S.published, True),
        (Transition.route, S.expired, False),
        (Transition.expire, S.published, True),
        (Transition.expire, S.routed, False),
        (Transition.merge, S.needs_changes, True),
        (Transition.merge, S.routed, False),
        (Transition.hide, S.routed, True),
        (Transition.hide, S.submitted, False),
        (Transition.restore, S.hidden, True),
        (Transition.resubmit, S.needs_changes, True),
        (Transition.resubmit, S.published, False),
    ],
)
def test_transition_table(transition, status, allowed):
    assert allows(transition, status.value) is allowed


def test_every_transition_is_in_the_table_and_ends_in_a_known_status():
    assert set(TRANSITIONS) == set(Transition)
    assert all(target is None or isinstance(target, S) for _, target in TRANSITIONS.values())


def test_permissions_follow_the_lifecycle_table():
    author = account(id_=99)
    assert permissions.can_edit(author, idea(S.needs_changes, author=99))
    assert not permissions.can_edit(author, idea(S.published, author=99))
    assert permissions.can_withdraw(author, idea(S.published, author=99))
    assert not permissions.can_withdraw(author, idea(S.expired, author=99))
    assert not permissions.can_edit(account(id_=5), idea(S.submitted, author=99))


# -- the support window -----------------------------------------------------------------


def test_support_window_closes_at_the_moment_it_says():
    assert lifecycle.support_window_open(idea(closes_in=timedelta(seconds=1)), NOW)
    assert not lifecycle.support_window_open(idea(closes_in=timedelta(0)), NOW)
    assert not lifecycle.support_window_open(idea(closes_in=None), NOW)


def test_only_a_published_idea_with_a_closed_window_is_due_to_expire():
    assert lifecycle.due_to_expire(idea(S.published, closes_in=timedelta(0)), NOW)
    assert not lifecycle.due_to_expire(idea(S.published, closes_in=timedelta(days=1)), NOW)
    assert not lifecycle.due_to_expire(idea(S.routed, closes_in=timedelta(0)), NOW)


@pytest.mark.parametrize(
    ("status", "closes_in", "open_"),
    [
        (S.published, timedelta(days=1), True),
        (S.routed, timedelta(days=1), False),  # routed: the page tells what happened instead
        (S.published, timedelta(0), False),
        (S.expired, timedelta(days=1), False),
        (S.submitted, timedelta(days=1), False),
        (S.hidden, timedelta(days=1), False),
    ],
)
def test_open_for_support(status, closes_in, open_):
    assert is_open_for_support(idea(status, closes_in=closes_in), NOW) is open_


# -- who may support ---------------------------------------------------------------------


def test_support_refusals_and_their_status_codes():
    assert support_refusal(None, idea(), NOW)[1] == 401
    assert support_refusal(account(verified=False), idea(), NOW)[1] == 403
    assert support_refusal(account(id_=99), idea(author=99), NOW)[1] == 403  # one's own idea
    org = account(kind=AccountKind.organisation.value, kvk_number="12345678")
    assert support_refusal(org, idea(), NOW, author_kvk="12345678")[1] == 403  # one's own pilot
    assert support_refusal(account(), idea(S.expired), NOW)[1] == 409
    assert support_refusal(account(), idea(), NOW) is None


def test_withdraw_only_while_published():
    assert withdraw_refusal(None, idea())[1] == 401
    assert withdraw_refusal(account(), idea(S.routed))[1] == 409
    assert withdraw_refusal(account(), idea()) is None


def test_threshold_and_when_it_may_change():
    city = load_city_config(ROOT / "participation" / "cities" / "zoetermeer.toml")
    assert threshold_for(idea(), city) == city.support_threshold
    assert threshold_for(idea(threshold_override=5), city) == 5
    assert threshold_overridable(idea(S.published))
    assert threshold_overridable(idea(S.needs_changes))
    assert not threshold_overridable(idea(S.routed))


def test_a_suspended_moderator_holds_no_staff_role_anywhere():
    suspended = account(role=Role.moderator, suspended_at=NOW)
    hidden = idea(S.hidden, author=99)
    assert not permissions.is_moderator(suspended)
    assert not permissions.can_view(suspended, hidden)
    assert permissions.can_view(account(role=Role.moderator), hidden)
