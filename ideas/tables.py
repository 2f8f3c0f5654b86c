"""Ideas, pilot proposals, comments and follows.

Composite "only once" rules (one follow per account and idea) and the full-text
index are created by raw SQL in the migrations: Piccolo's composite Unique does
not work on SQLite, and FTS is engine-specific (an FTS5 table kept in sync by
triggers on SQLite, a generated tsvector with the Dutch configuration and a GIN
index on PostgreSQL).
"""

from enum import Enum

from piccolo.columns import Boolean, DoublePrecision, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import Account
from participation.scope import Scope


class IdeaKind(str, Enum):
    idea = "idea"
    pilot = "pilot"


class IdeaStatus(str, Enum):
    submitted = "submitted"
    needs_changes = "needs_changes"
    published = "published"
    routed = "routed"
    expired = "expired"
    hidden = "hidden"
    rejected = "rejected"
    merged = "merged"
    withdrawn = "withdrawn"


class WithdrawReason(str, Enum):
    elsewhere = "elsewhere"
    not_feasible = "not_feasible"
    duplicate = "duplicate"
    other = "other"


class PilotAsk(str, Enum):
    space = "space"
    data = "data"
    permits = "permits"
    funding = "funding"
    other = "other"


class HiddenReason(str, Enum):
    """The public reason category shown in place of hidden content."""

    pending_review = "pending_review"
    spam = "spam"
    offensive = "offensive"
    personal_data = "personal_data"
    off_topic = "off_topic"
    other = "other"


class CommentStatus(str, Enum):
    visible = "visible"
    hidden = "hidden"
    deleted = "deleted"


class Idea(Table):
    author = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=10, choices=IdeaKind, default=IdeaKind.idea, index=True)
    title = Varchar(length=120)
    summary = Varchar(length=300)
    body = Text(default="")
    theme = Varchar(length=60, index=True)
    # A neighbourhood slug of the city configuration, or "whole-city".
    neighbourhood = Varchar(length=60, index=True)
    scope = Varchar(length=10, choices=Scope, index=True)
    location = Varchar(length=200, null=True, default=None)
    # A point in WGS84 (both or neither), within the city's [map] box; participation.geo validates it.
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    status = Varchar(length=20, choices=IdeaStatus, default=IdeaStatus.submitted, index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None, index=True)
    support_closes_at = Timestamptz(null=True, default=None, index=True)
    # Counters kept in the same transaction as the rows they count.
    support_count = Integer(default=0, index=True)
    # Of those, the supports of verified residents and organisations (voting.verified keeps it).
    verified_support_count = Integer(default=0, index=True)
    comment_count = Integer(default=0)
    # DESIGN.md section 6: stored and indexed, refreshed on activity (see services.refresh_trending).
    trending_score = DoublePrecision(default=0.0, index=True)
    # A moderator may set another threshold for this idea (the voting package reads it).
    threshold_override = Integer(null=True, default=None)
    merged_into = ForeignKey("self", null=True, default=None, on_delete=OnDelete.set_null)
    # Moderation (the moderators' issue writes these; the author sees them).
    rejection_reason = Text(null=True, default=None)
    moderator_message = Text(null=True, default=None)
    # While hidden: the public reason category shown in place of the content, and the status a restore returns to.
    hidden_reason = Varchar(length=30, null=True, default=None)
    hidden_from = Varchar(length=20, null=True, default=None)
    withdraw_reason = Varchar(length=20, choices=WithdrawReason, null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    # Pilot proposals only.
    pilot_what = Text(null=True, default=None)
    pilot_where = Text(null=True, default=None)
    pilot_duration_weeks = Integer(null=True, default=None)
    # Comma-separated PilotAsk values.
    pilot_asks = Varchar(length=100, null=True, default=None)
    pilot_ask_details = Text(null=True, default=None)
    pilot_personal_data = Boolean(null=True, default=None)
    pilot_personal_data_details = Text(null=True, default=None)
    pilot_partners = Text(null=True, default=None)
    # The one-time token of the form that created this idea: a second post of
    # the same form hits the unique index and finds the first idea.
    form_token = Varchar(length=64, null=True, default=None, unique=True)


class Comment(Table):
    idea = ForeignKey(Idea, null=False, index=True, on_delete=OnDelete.cascade)
    author = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.restrict)
    # One level of replies: a parent is always a top-level comment.
    parent = ForeignKey("self", null=True, default=None, index=True, on_delete=OnDelete.cascade)
    body = Text()
    status = Varchar(length=10, choices=CommentStatus, default=CommentStatus.visible)
    # The public reason category while a moderator has hidden the comment.
    hidden_reason = Varchar(length=30, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    edited_at = Timestamptz(null=True, default=None)


class Follow(Table):
    """(account, idea) is unique: a raw migration creates the index."""

    account = ForeignKey(Account, null=False, on_delete=OnDelete.cascade)
    idea = ForeignKey(Idea, null=False, index=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
