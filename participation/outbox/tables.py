"""The outbox table: one row per email, from `pending` to `sent` (or `failed` after the last attempt)."""

from enum import Enum

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxStatus(str, Enum):
    pending = "pending"
    sending = "sending"  # claimed by a worker; reclaimed when the claim is older than the timeout
    sent = "sent"
    failed = "failed"  # every attempt failed; `participation outbox retry` re-queues it


class OutboxMessage(Table):
    recipient = Varchar(length=254)
    locale = Varchar(length=8)
    # What kind of mail it is (account, my_ideas, following, replies, staff): for settings and unsubscribe.
    category = Varchar(length=20)
    subject = Varchar(length=300)
    text_body = Text()
    html_body = Text()
    # The Message-ID's unique part, fixed when the row is written: a resend after a crash carries
    # the same Message-ID, so a duplicate can be recognised.
    message_id = Varchar(length=64, unique=True)
    # Non-essential mail carries a one-click unsubscribe link (RFC 8058); account mail does not.
    unsubscribe_url = Text(null=True, default=None)
    status = Varchar(length=10, choices=OutboxStatus, default=OutboxStatus.pending.value)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    last_error = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)
    claimed_by = Varchar(length=100, null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
