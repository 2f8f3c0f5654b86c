"""The region view: register entries of other municipalities, copied from their open data.

Read-only here: `participation register import URL` replaces a source's rows with what the
source publishes now; (source, remote_slug) is unique by a raw index.
"""

from piccolo.columns import BigInt, Boolean, Date, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RegionEntry(Table):
    # The export's address (`https://other.example/register.json`): one source, one municipality.
    source = Varchar(length=500, index=True)
    source_city = Varchar(length=120)
    remote_slug = Varchar(length=90)
    url = Varchar(length=500)
    title = Varchar(length=200)
    summary = Text(default="")
    status = Varchar(length=20)
    theme_name = Varchar(length=120, default="")
    programme_line_name = Varchar(length=120, default="")
    scope = Varchar(length=10, default="")
    department = Varchar(length=120, default="")
    start_date = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    budget_eur = BigInt(null=True, default=None)
    personal_data = Boolean(null=True, default=None)
    algorithm_used = Boolean(null=True, default=None)
    license_name = Varchar(length=200, default="")
    license_url = Varchar(length=500, default="")
    remote_updated_at = Timestamptz(null=True, default=None)
    imported_at = Timestamptz(default=TimestamptzNow())
