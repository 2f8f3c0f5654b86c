"""Moderation tables.

`ModerationDecision` is append-only: nothing in the app updates or deletes a
row, and database triggers (raw migration) refuse UPDATE and DELETE. Its actor
is kept with ON DELETE RESTRICT: accounts are anonymised, never deleted, and a
cascading change would be an update the triggers refuse anyway.

"One open report per account per item" is a partial unique index (raw
migration) on (reporter, target_type, target_id) WHERE status = 'open'.
"""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from ideas.tables import HiddenReason, Idea
from participation.accounts.tables import Account


class TargetType(str, Enum):
    idea = "idea"
    comment = "comment"
    account = "account"


class ReportStatus(str, Enum):
    open = "open"
    upheld = "upheld"
    dismissed = "dismissed"


class Report(Table):
    reporter = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    target_type = Varchar(length=10, choices=TargetType)
    target_id = Integer(index=True)
    # One reason-category list for reports and hidden content (a reporter never chooses pending_review).
    reason = Varchar(length=20, choices=HiddenReason)
    note = Text(default="")
    status = Varchar(length=10, choices=ReportStatus, default=ReportStatus.open, index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    decided_by = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)


class ModerationDecision(Table):
    """One row per moderation action. Append-only (see the module docstring)."""

    # None for the platform itself (hiding content that reached the report threshold).
    actor = ForeignKey(Account, null=True, default=None, index=True, on_delete=OnDelete.restrict)
    action = Varchar(length=30, index=True)
    target_type = Varchar(length=10, choices=TargetType, index=True)
    target_id = Integer(index=True)
    # A category from a fixed list (public on hidden content) and the staff's free text.
    category = Varchar(length=30, null=True, default=None)
    reason = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Triage(Table):
    """Per idea: the moderator it is assigned to (one row per idea, unique)."""

    idea = ForeignKey(Idea, null=False, unique=True, on_delete=OnDelete.cascade)
    assigned_to = ForeignKey(Account, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())


class StaffNote(Table):
    """An internal note on an idea: staff only, never on a public page or in the public API."""

    idea = ForeignKey(Idea, null=False, index=True, on_delete=OnDelete.cascade)
    author = ForeignKey(Account, null=False, on_delete=OnDelete.restrict)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class SpamSignal(Table):
    """Why a submission or comment looks like spam; flagged in the queue, never dropped."""

    target_type = Varchar(length=10, choices=TargetType)
    target_id = Integer(index=True)
    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    # Comma-separated: "links", "repeated".
    signals = Varchar(length=100)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class AuthorNotice(Table):
    """A message for an idea's author from the moderators (e.g. the classification was changed).

    There is no email outbox yet: the author sees it on the idea and the account page.
    """

    idea = ForeignKey(Idea, null=False, index=True, on_delete=OnDelete.cascade)
    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, default="reclassified")
    # JSON: [{"field": "theme", "old": "mobility", "new": "energy"}, ...]
    changes = Text(default="[]")
    message = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
