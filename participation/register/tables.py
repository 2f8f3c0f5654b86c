"""Register tables: an entry, its partners, its neighbourhoods and its public timeline.

Unknown is a value in the data-and-privacy block: those columns are nullable and
NULL means "unknown" (shown as such), never "no".
"""

from enum import Enum

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import Account
from participation.scope import Scope


class Status(str, Enum):
    received = "received"
    under_assessment = "under_assessment"
    planned = "planned"
    running = "running"
    completed = "completed"
    stopped = "stopped"
    declined = "declined"


class Origin(str, Enum):
    city = "city"
    idea = "idea"
    pilot = "pilot"


class PartnerKind(str, Enum):
    business = "business"
    knowledge_institution = "knowledge_institution"
    government = "government"
    residents_initiative = "residents_initiative"
    other = "other"


class DpiaStatus(str, Enum):
    not_needed = "not_needed"
    planned = "planned"
    done = "done"


class Decision(str, Enum):
    continue_ = "continue"
    scale_up = "scale_up"
    stop = "stop"


class RegisterEntry(Table):
    slug = Varchar(length=90, unique=True)
    title = Varchar(length=120)
    summary = Varchar(length=300)
    description = Text(default="")
    origin = Varchar(length=10, choices=Origin, default=Origin.city)
    # The idea (or pilot proposal) this entry was routed from; a plain id, the ideas domain owns the table.
    idea_id = Integer(null=True, default=None, index=True)
    status = Varchar(length=20, choices=Status, default=Status.received, index=True)
    programme_line = Varchar(length=60, null=True, default=None, index=True)
    theme = Varchar(length=60, index=True)
    scope = Varchar(length=10, choices=Scope)
    department = Varchar(length=120, default="")
    contact_email = Varchar(length=254, null=True, default=None)
    start_date = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    budget_eur = BigInt(null=True, default=None)
    # Where the project happens, when it is one place: a point in WGS84 (both or neither).
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    response_due_at = Timestamptz(null=True, default=None, index=True)
    declined_reason = Text(null=True, default=None)
    # Data and privacy (NULL = unknown).
    personal_data = Boolean(null=True, default=None)
    data_description = Text(null=True, default=None)
    data_purpose = Text(null=True, default=None)
    legal_basis = Varchar(length=300, null=True, default=None)
    dpia_status = Varchar(length=20, null=True, default=None)
    dpia_url = Varchar(length=500, null=True, default=None)
    retention_period = Varchar(length=300, null=True, default=None)
    open_data_url = Varchar(length=500, null=True, default=None)
    algorithm_used = Boolean(null=True, default=None)
    algorithm_register_url = Varchar(length=500, null=True, default=None)
    # Lessons learned (all required before `completed` or `stopped`).
    lessons_tried = Text(null=True, default=None)
    lessons_outcome = Text(null=True, default=None)
    lessons_decision = Varchar(length=20, null=True, default=None)
    lessons_decision_reason = Text(null=True, default=None)
    lessons_advice = Text(null=True, default=None)
    # A draft is visible to staff only: every public read (pages, lists, exports, feeds,
    # figures) leaves drafts out.
    draft = Boolean(default=False, index=True)
    # Internal: never exported or shown.
    created_by = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class RegisterPartner(Table):
    entry = ForeignKey(RegisterEntry, null=False, index=True)
    position = Integer(default=0)
    name = Varchar(length=120)
    kind = Varchar(length=30, choices=PartnerKind, default=PartnerKind.other)


class RegisterSensor(Table):
    """A sensor the entry uses, in its data-and-privacy block: what it is, what it measures,
    fixed or mobile, and where (a described place and, when known, a point in WGS84)."""

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    kind = Varchar(length=80)
    measures = Varchar(length=200, default="")
    mobile = Boolean(null=True, default=None)  # NULL = unknown
    location = Varchar(length=200, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)


class RegisterNeighbourhood(Table):
    """One row per (entry, configured neighbourhood slug); unique by a raw index."""

    entry = ForeignKey(RegisterEntry, null=False, index=True)
    neighbourhood = Varchar(length=60, index=True)


class RegisterUpdate(Table):
    """A public timeline item: a status change (status set) or a progress note (status NULL)."""

    entry = ForeignKey(RegisterEntry, null=False, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=20, null=True, default=None)
    previous_status = Varchar(length=20, null=True, default=None)
    text = Text()
    # Public: "editor", "admin" or "system" (routing). The account itself is internal.
    author_role = Varchar(length=20)
    author = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)


class EntryFollow(Table):
    """A resident follows a register entry's timeline; (account, entry) is unique by a raw index."""

    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
