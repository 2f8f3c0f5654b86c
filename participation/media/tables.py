"""Images of ideas, pilots and register entries, and a pilot's PDF.

An image belongs to exactly one idea or one register entry (the other key is NULL); removing
its owner removes the row. The files themselves live in the media storage under `storage_key`
(`images/<random>`; one file per width, `<key>/<width>.<extension>`), never under a name the
uploader chose: `file_name` is only offered to browsers, sanitised.
"""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.register.tables import RegisterEntry


class Image(Table, tablename="media_image"):
    idea = ForeignKey(Idea, null=True, default=None, index=True, on_delete=OnDelete.cascade)
    entry = ForeignKey(RegisterEntry, null=True, default=None, index=True, on_delete=OnDelete.cascade)
    uploaded_by = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.restrict)
    position = Integer(default=0)
    alt_text = Text()
    file_name = Varchar(length=80)
    media_type = Varchar(length=20)
    storage_key = Varchar(length=80, unique=True)
    # Comma-separated, narrowest first: "480,960,1600".
    widths = Varchar(length=40)
    # Of the widest variant.
    width = Integer()
    height = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class PilotDocument(Table):
    """The one optional PDF of a pilot proposal (unique per idea)."""

    idea = ForeignKey(Idea, null=False, unique=True, on_delete=OnDelete.cascade)
    uploaded_by = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.restrict)
    file_name = Varchar(length=80)
    storage_key = Varchar(length=80, unique=True)
    size = Integer()
    pages = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
