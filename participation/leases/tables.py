"""One row per job: who runs it now and when it is next due, shared by every process and host."""

from piccolo.columns import Integer, Timestamptz, Varchar
from piccolo.table import Table


class Lease(Table):
    job = Varchar(length=100, unique=True)
    # "host:pid:random" of the process running the job now; empty between runs.
    holder = Varchar(length=200, null=True)
    # A holder that died mid-run is passed over once this has passed.
    held_until = Timestamptz()
    # The next run may start from here on.
    due_at = Timestamptz()
    # Runs started so far: an operator (and a test) can see that the job ran, and how often.
    runs = Integer(default=0)
