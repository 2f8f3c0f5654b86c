"""One row per (account, Idempotency-Key): what the request was and the answer it got, kept 24 hours."""

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class IdempotencyKey(Table):
    # The account's id, not a foreign key: this shared layer sits below accounts. Rows live 24 hours.
    account = Integer()
    key = Varchar(length=255)
    # SHA-256 of method, path and the decoded body: the same key with another request is refused.
    fingerprint = Varchar(length=64)
    status_code = Integer()
    response_body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
