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


class Priority(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


class Direction(str, Enum):
    """Which way an indicator should move; NULL: towards the target from the baseline."""

    higher = "higher"
    lower = "lower"


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
    # The slug of a configured [[departments]] entry ("" = not yet assigned; older free text
    # that matched no configured department is kept as it was until an editor picks one).
    department = Varchar(length=120, default="")
    # The accountable owner: an editor or admin. Public by role only (see register/project.py).
    owner = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    priority = Varchar(length=10, choices=Priority, null=True, default=None)
    priority_rationale = Text(null=True, default=None)
    # When editors marked the assessment decided: from then on it is public (register/assessment.py).
    assessment_decided_at = Timestamptz(null=True, default=None)
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
    # Algorithmic transparency (the algorithm register's fields; participation.register.transparency).
    decision_making = Text(null=True, default=None)
    impact = Text(null=True, default=None)
    risks = Text(null=True, default=None)
    risk_category = Varchar(length=20, null=True, default=None)
    proportionality = Text(null=True, default=None)
    human_intervention = Text(null=True, default=None)
    iama_url = Varchar(length=500, null=True, default=None)
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


class LineStatus(str, Enum):
    planned = "planned"
    active = "active"
    closed = "closed"


class ProgrammeLine(Table):
    """A line of the city's programme (participation.register.programme): entries point at it by slug.

    Seeded from the city configuration's [[programme_lines]] (missing slugs only); admins edit it
    afterwards. The goal is kept per language like the names: the council and residents read Dutch,
    the English interface shows the English goal when one was written and the Dutch one otherwise.
    """

    slug = Varchar(length=60, unique=True)
    position = Integer(default=0)
    name_nl = Varchar(length=120)
    name_en = Varchar(length=120, default="")
    goal_nl = Text(default="")
    goal_en = Text(default="")
    # Who is accountable: an editor's account, or a named role ("programme manager Smart City").
    owner_account = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    owner_role = Varchar(length=120, default="")
    budget_envelope_eur = BigInt(null=True, default=None)
    start_date = Date(null=True, default=None)
    end_date = Date(null=True, default=None)
    status = Varchar(length=10, choices=LineStatus, default=LineStatus.active)
    updated_at = Timestamptz(default=TimestamptzNow())


class ProgrammeLineChange(Table):
    """Append-only: who changed which field of a programme line, from what to what (shown to admins)."""

    line = ForeignKey(ProgrammeLine, null=False, index=True, on_delete=OnDelete.cascade)
    actor = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    field = Varchar(length=40)
    old_value = Text(default="")
    new_value = Text(default="")
    changed_at = Timestamptz(default=TimestamptzNow(), index=True)


class RegisterBudgetLine(Table):
    """One funding source's money for one year of an entry (participation.register.budget)."""

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    source = Varchar(length=120)
    year = Integer()
    planned_eur = BigInt(default=0)
    spent_eur = BigInt(default=0)


class RegisterNote(Table):
    """A staff-only note on an entry: never shown to the public, never exported."""

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    author = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    text = Text()


class RegisterFieldChange(Table):
    """One field of an entry changed: who (internal), when, old -> new as text (NULL = empty).

    Written in the transaction of the change; which fields the public may see is decided
    when reading (participation.register.history), so the rows themselves are neutral.
    """

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    changed_at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    # "editor", "admin" or "system": the role survives the account's erasure.
    actor_role = Varchar(length=20)
    field = Varchar(length=60)
    old_value = Text(null=True, default=None)
    new_value = Text(null=True, default=None)


class LinkKind(str, Enum):
    follow_on = "follow_on"
    replaces = "replaces"
    part_of = "part_of"


class RegisterLink(Table):
    """`source` is a follow-on of / replaces / is part of `target`.

    One link per ordered pair, unique by a raw index; a link never points at its own entry.
    """

    source = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    target = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    kind = Varchar(length=20, choices=LinkKind)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)


class RegisterAssessment(Table):
    """One editor's verdict on one configured criterion for an entry; (entry, criterion) unique by a raw index."""

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    criterion = Varchar(length=60)  # a configured [[assessment_criteria]] slug
    verdict = Varchar(length=20)  # a value of the criterion's scale
    explanation = Text()
    updated_at = Timestamptz(default=TimestamptzNow())
    # Internal: who recorded it.
    updated_by = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)


class RegisterGoal(Table):
    """What the entry sets out to achieve; measured through its indicators (register/goals.py)."""

    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    text = Varchar(length=300)


class RegisterIndicator(Table):
    """How a goal is measured: a baseline at the start and the target to reach, in one unit."""

    goal = ForeignKey(RegisterGoal, null=False, index=True, on_delete=OnDelete.cascade)
    entry = ForeignKey(RegisterEntry, null=False, index=True, on_delete=OnDelete.cascade)
    position = Integer(default=0)
    name = Varchar(length=200)
    unit = Varchar(length=40)
    baseline = DoublePrecision()
    target = DoublePrecision()
    direction = Varchar(length=10, choices=Direction, null=True, default=None)


class RegisterMeasurement(Table):
    """A value of an indicator measured on a date; the latest by date is compared with the target."""

    indicator = ForeignKey(RegisterIndicator, null=False, index=True, on_delete=OnDelete.cascade)
    value = DoublePrecision()
    measured_on = Date()
    note = Varchar(length=500, default="")
    created_at = Timestamptz(default=TimestamptzNow())
