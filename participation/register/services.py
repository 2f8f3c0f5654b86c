"""Register use cases: create and edit entries, post timeline updates, list, summarise, route.

The HTML forms, the JSON API and the routing of popular ideas all call these;
validation, the lifecycle rules (see `permissions`) and the transactions live here.
Reads return plain dicts of public fields ("views"); internal columns never leave.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.engine.sqlite import SQLiteEngine

from participation.accounts.tables import Account
from participation.database import current_engine, is_unique_violation, write_transaction
from participation.geo.places import city_area, clean_point
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.register import assessment, goals, history, project, transparency
from participation.register.events import EntryUpdated
from participation.register.permissions import (
    INITIAL_STATUSES,
    LESSON_FIELDS,
    NEEDS_LESSONS,
    PRIVACY_BEFORE_RUNNING,
    PRIVACY_FIELDS,
    can_edit_register,
    is_overdue,
    lessons_complete,
    privacy_missing,
    transition_refusal,
)
from participation.register.sensors import clean_sensors, replace_sensors, sensors_by_entry
from participation.register.tables import (
    Decision,
    DpiaStatus,
    EntryFollow,
    Origin,
    PartnerKind,
    RegisterEntry,
    RegisterNeighbourhood,
    RegisterPartner,
    RegisterUpdate,
    Scope,
    Status,
)
from participation.register.visibility import published, published_sql, sees_internal
from participation.settings import Settings
from participation.validation import (
    EMAIL_RE,
    DomainError,
    Errors,
    FormErrors,
    Message,
    check_length,
    clean_email,
    clean_text,
)

MAX_PARTNERS = 20
MAX_PER_PAGE = 100
RESERVED_SLUGS = frozenset({"new", "lessons", "lines", "report", "schema"})
SYSTEM_ROLE = "system"
ROUTED_TEXT = N_(
    "This idea received enough support and was routed to the register. The municipality responds by the response date."
)
ADDED_TEXT = N_("Added to the register.")
PUBLISHED_TEXT = N_("Published in the register.")  # a draft made public (participation.register.drafts)
# Fixed texts the platform writes itself; shown in the reader's language.
_PLATFORM_TEXTS = frozenset({ROUTED_TEXT, ADDED_TEXT, PUBLISHED_TEXT})

# Columns shown to everyone (and exported); `id`, `created_by` and update authors stay internal.
PUBLIC_COLUMNS = (
    "slug",
    "title",
    "summary",
    "description",
    "origin",
    "idea_id",
    "status",
    "programme_line",
    "theme",
    "scope",
    "department",
    "contact_email",
    "start_date",
    "end_date",
    "budget_eur",
    "latitude",
    "longitude",
    "response_due_at",
    "declined_reason",
    "personal_data",
    "data_description",
    "data_purpose",
    "legal_basis",
    "dpia_status",
    "dpia_url",
    "retention_period",
    "open_data_url",
    "algorithm_used",
    "algorithm_register_url",
    "lessons_tried",
    "lessons_outcome",
    "lessons_decision",
    "lessons_decision_reason",
    "lessons_advice",
    "created_at",
    "updated_at",
    *transparency.FIELDS,
    "priority",
    "priority_rationale",
)
# What an editor sets through the forms and the API (status only at creation; later through updates).
EDITABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "origin",
    "idea_id",
    "programme_line",
    "theme",
    "scope",
    "department",
    "contact_email",
    "partners",
    "neighbourhoods",
    "sensors",
    "latitude",
    "longitude",
    "start_date",
    "end_date",
    "budget_eur",
    "response_due_at",
    "personal_data",
    "data_description",
    "data_purpose",
    "legal_basis",
    "dpia_status",
    "dpia_url",
    "retention_period",
    "open_data_url",
    "algorithm_used",
    "algorithm_register_url",
    "lessons_tried",
    "lessons_outcome",
    "lessons_decision",
    "lessons_decision_reason",
    "lessons_advice",
    *transparency.FIELDS,
    "owner",
    "priority",
    "priority_rationale",
)
_TEXT_LIMITS = {
    "data_description": 2000,
    "data_purpose": 2000,
    "legal_basis": 300,
    "retention_period": 300,
    "lessons_tried": 3000,
    "lessons_outcome": 3000,
    "lessons_decision_reason": 3000,
    "lessons_advice": 3000,
}
_URL_FIELDS = ("dpia_url", "open_data_url", "algorithm_register_url")


# Editable fields kept in child tables, not columns of the entry.
CHILD_FIELDS = ("partners", "neighbourhoods", "sensors")


def _public_columns():
    return [getattr(RegisterEntry, name) for name in PUBLIC_COLUMNS]


# -- input cleaning ----------------------------------------------------------


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:70].strip("-")
    return slug or "project"


def _opt_text(value: object) -> str | None:
    text = clean_text(value)
    return text or None


def _opt_bool(value: object, errors: Errors, field: str) -> bool | None:
    """True / False / None (unknown); forms send "yes" / "no" / "unknown"."""
    if value is None or isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in ("", "unknown"):
        return None
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    errors.add(field, N_("Choose yes, no or unknown."))
    return None


def _opt_int(value: object, errors: Errors, field: str, minimum: int, maximum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(field, N_("Enter a whole number."))
        return None
    try:
        number = int(value) if isinstance(value, int) else int(clean_text(value).replace(".", "").replace(" ", ""))
    except ValueError:
        errors.add(field, N_("Enter a whole number."))
        return None
    if not minimum <= number <= maximum:
        errors.add(field, Message(N_("Enter a number from %(min)s to %(max)s."), min=minimum, max=maximum))
        return None
    return number


def _opt_date(value: object, errors: Errors, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(clean_text(value))
    except ValueError:
        errors.add(field, N_("Enter a date as YYYY-MM-DD."))
        return None


def _opt_due(value: object, errors: Errors, field: str, tz: str) -> datetime | None:
    """A due date means "by the end of that day" in the city's time zone; a datetime is taken as given."""
    if isinstance(value, datetime):
        # Stored in UTC: SQLite compares timestamps as text, so one offset for all rows.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    day = _opt_date(value, errors, field)
    if day is None:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _same_due_day(posted: object, stored: object, tz: str) -> bool:
    """Whether a posted due date names the local day of the stored due time."""
    if not isinstance(posted, str) or not isinstance(stored, datetime):
        return False
    stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return posted.strip() == stored.astimezone(ZoneInfo(tz)).date().isoformat()


def _choice(value: object, allowed: Sequence[str], errors: Errors, field: str, required: bool) -> str | None:
    text = clean_text(value)
    if not text:
        if required:
            errors.add(field, N_("Choose an option from the list."))
        return None
    if text not in allowed:
        errors.add(field, N_("Choose an option from the list."))
        return None
    return text


def _partners(value: object, errors: Errors) -> list[dict[str, str]]:
    out = []
    for item in value or []:
        get = item.get if isinstance(item, Mapping) else (lambda key, _item=item: getattr(_item, key, None))
        name, kind = clean_text(get("name")), clean_text(get("kind")) or PartnerKind.other.value
        if not name:
            continue  # blank form rows
        if not 2 <= len(name) <= 120:
            errors.add("partners", N_("A partner's name has 2 to 120 characters."))
        if kind not in {k.value for k in PartnerKind}:
            errors.add("partners", N_("Choose a partner type from the list."))
        out.append({"name": name, "kind": kind})
    if len(out) > MAX_PARTNERS:
        errors.add("partners", Message(N_("List at most %(max)s partners."), max=MAX_PARTNERS))
    return out


def _neighbourhoods(settings: Settings, value: object, errors: Errors) -> list[str]:
    slugs: list[str] = []
    for item in value or []:
        slug = clean_text(item)
        if not settings.city.neighbourhood(slug):
            errors.add("neighbourhoods", N_("Choose neighbourhoods from the list."))
        elif slug not in slugs:
            slugs.append(slug)
    return slugs


def clean_entry(settings: Settings, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a complete set of editable fields; raises FormErrors with one message per field."""
    errors = Errors()
    city = settings.city
    out: dict[str, Any] = {}
    out["title"] = clean_text(raw.get("title"))
    check_length(errors, "title", out["title"], 10, 120)
    out["summary"] = clean_text(raw.get("summary"))
    check_length(errors, "summary", out["summary"], 1, 300)
    out["description"] = clean_text(raw.get("description"))
    check_length(errors, "description", out["description"], 0, 10_000)
    out["origin"] = _choice(raw.get("origin"), [o.value for o in Origin], errors, "origin", True)
    out["idea_id"] = _opt_int(raw.get("idea_id"), errors, "idea_id", 1, 2**31 - 1)
    if (
        out["origin"] in (Origin.idea.value, Origin.pilot.value)
        and out["idea_id"] is None
        and "idea_id" not in errors.errors
    ):
        errors.add("idea_id", N_("Give the number of the idea or pilot proposal this entry comes from."))
    if out["origin"] == Origin.city.value:
        out["idea_id"] = None
    out["programme_line"] = _choice(
        raw.get("programme_line"), [p.slug for p in city.programme_lines], errors, "programme_line", False
    )
    out["theme"] = _choice(raw.get("theme"), [t.slug for t in city.themes], errors, "theme", True)
    out["scope"] = _choice(raw.get("scope"), [s.value for s in Scope], errors, "scope", True)
    project.clean_project_fields(settings, raw, out, errors)  # department, owner, priority
    contact = clean_email(raw.get("contact_email"))
    if contact and (len(contact) > 254 or not EMAIL_RE.match(contact)):
        errors.add("contact_email", N_("Enter a valid email address."))
    out["contact_email"] = contact or None
    out["partners"] = _partners(raw.get("partners"), errors)
    out["neighbourhoods"] = _neighbourhoods(settings, raw.get("neighbourhoods"), errors)
    out["latitude"], out["longitude"] = clean_point(
        errors, raw.get("latitude"), raw.get("longitude"), city_area(city), field="latitude"
    )
    out["sensors"] = clean_sensors(settings, raw.get("sensors"), errors)
    out["start_date"] = _opt_date(raw.get("start_date"), errors, "start_date")
    out["end_date"] = _opt_date(raw.get("end_date"), errors, "end_date")
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors.add("end_date", N_("The end date cannot be before the start date."))
    out["budget_eur"] = _opt_int(raw.get("budget_eur"), errors, "budget_eur", 0, 10**12)
    out["response_due_at"] = _opt_due(raw.get("response_due_at"), errors, "response_due_at", city.timezone)
    out["personal_data"] = _opt_bool(raw.get("personal_data"), errors, "personal_data")
    out["algorithm_used"] = _opt_bool(raw.get("algorithm_used"), errors, "algorithm_used")
    for name, limit in _TEXT_LIMITS.items():
        out[name] = _opt_text(raw.get(name))
        if out[name]:
            check_length(errors, name, out[name], 1, limit)
    out["dpia_status"] = _choice(raw.get("dpia_status"), [d.value for d in DpiaStatus], errors, "dpia_status", False)
    out["lessons_decision"] = _choice(
        raw.get("lessons_decision"), [d.value for d in Decision], errors, "lessons_decision", False
    )
    for name in _URL_FIELDS:
        url = _opt_text(raw.get(name))
        if url and (len(url) > 500 or not re.match(r"^https?://[^\s/]+\.[^\s]+$", url)):
            errors.add(name, N_("Enter a web address starting with https://."))
        out[name] = url
    out.update(transparency.clean(raw, errors))
    errors.raise_if_any()
    return out


# -- reading -----------------------------------------------------------------


async def _attach_children(entries: list[dict[str, Any]], ids: list[int], now: datetime) -> None:
    """Partners and neighbourhoods for a page of entries: one query each, never one per entry."""
    partners: dict[int, list[dict[str, str]]] = {i: [] for i in ids}
    places: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for row in (
            await RegisterPartner.select(RegisterPartner.entry, RegisterPartner.name, RegisterPartner.kind)
            .where(RegisterPartner.entry.is_in(ids))
            .order_by(RegisterPartner.entry, RegisterPartner.position, RegisterPartner.id)
        ):
            partners[row["entry"]].append({"name": row["name"], "kind": row["kind"]})
        for row in (
            await RegisterNeighbourhood.select(RegisterNeighbourhood.entry, RegisterNeighbourhood.neighbourhood)
            .where(RegisterNeighbourhood.entry.is_in(ids))
            .order_by(RegisterNeighbourhood.entry, RegisterNeighbourhood.id)
        ):
            places[row["entry"]].append(row["neighbourhood"])
    sensors = await sensors_by_entry(ids)
    for entry, entry_id in zip(entries, ids, strict=True):
        entry["sensors"] = sensors[entry_id]
        entry["partners"] = partners[entry_id]
        entry["neighbourhoods"] = places[entry_id]
        entry["response_overdue"] = is_overdue(entry["status"], entry["response_due_at"], now)


async def _views(
    where: list[Any],
    order: Sequence[Any],
    offset: int = 0,
    limit: int | None = None,
    now: datetime | None = None,
    ascending: bool = True,
    keep_id: bool = False,
    drafts: bool = False,
) -> list[dict[str, Any]]:
    """Public views; `drafts` (staff only) includes drafts, each view says `draft` either way."""
    query = RegisterEntry.select(RegisterEntry.id, *_public_columns(), RegisterEntry.draft)
    for clause in where if drafts else [*where, published()]:
        query = query.where(clause)
    query = query.order_by(*order, ascending=ascending)
    if limit is not None:
        query = query.offset(offset).limit(limit)
    rows = await query
    ids = [row["id"] if keep_id else row.pop("id") for row in rows]
    await _attach_children(rows, ids, now or utcnow())
    return rows


@dataclass(frozen=True)
class EntryFilters:
    status: str | None = None
    programme_line: str | None = None
    theme: str | None = None
    scope: str | None = None
    neighbourhood: str | None = None
    origin: str | None = None
    personal_data: str | None = None  # "yes" | "no" | "unknown"
    overdue: bool = False
    q: str | None = None

    def query_items(self) -> list[tuple[str, str]]:
        """The active filters as query-string pairs (for paging links)."""
        items = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                items.append((f.name, "yes" if value is True else str(value)))
        return items

    @property
    def active(self) -> bool:
        return bool(self.query_items())


def parse_filters(settings: Settings, params: Mapping[str, Any]) -> EntryFilters:
    """Filters from a query string; an unknown value is refused rather than silently ignored."""
    errors = Errors()
    city = settings.city

    def pick(name: str, allowed: Sequence[str]) -> str | None:
        return _choice(params.get(name), allowed, errors, name, False)

    personal = pick("personal_data", ("yes", "no", "unknown"))
    overdue = clean_text(params.get("overdue")).lower() in ("yes", "true", "1", "on")
    q = clean_text(params.get("q"))[:100] or None
    filters = EntryFilters(
        status=pick("status", [s.value for s in Status]),
        programme_line=pick("programme_line", [p.slug for p in city.programme_lines]),
        theme=pick("theme", [t.slug for t in city.themes]),
        scope=pick("scope", [s.value for s in Scope]),
        neighbourhood=pick("neighbourhood", [n.slug for n in city.neighbourhoods]),
        origin=pick("origin", [o.value for o in Origin]),
        personal_data=personal,
        overdue=overdue,
        q=q,
    )
    errors.raise_if_any()
    return filters


def _where(filters: EntryFilters, now: datetime) -> list[Any]:
    clauses: list[Any] = []
    if filters.status:
        clauses.append(RegisterEntry.status == filters.status)
    if filters.programme_line:
        clauses.append(RegisterEntry.programme_line == filters.programme_line)
    if filters.theme:
        clauses.append(RegisterEntry.theme == filters.theme)
    if filters.scope:
        clauses.append(RegisterEntry.scope == filters.scope)
    if filters.origin:
        clauses.append(RegisterEntry.origin == filters.origin)
    if filters.personal_data == "yes":
        clauses.append(RegisterEntry.personal_data.eq(True))
    elif filters.personal_data == "no":
        clauses.append(RegisterEntry.personal_data.eq(False))
    elif filters.personal_data == "unknown":
        clauses.append(RegisterEntry.personal_data.is_null())
    if filters.neighbourhood:
        clauses.append(
            RegisterEntry.id.is_in(
                RegisterNeighbourhood.select(RegisterNeighbourhood.entry).where(
                    RegisterNeighbourhood.neighbourhood == filters.neighbourhood
                )
            )
        )
    if filters.overdue:
        clauses.append(RegisterEntry.status == Status.received.value)
        clauses.append(RegisterEntry.response_due_at < now)
    if filters.q:
        pattern = f"%{filters.q}%"
        if isinstance(current_engine(), SQLiteEngine):  # SQLite's LIKE is already case-insensitive (ASCII)
            clauses.append(RegisterEntry.title.like(pattern) | RegisterEntry.summary.like(pattern))
        else:
            clauses.append(RegisterEntry.title.ilike(pattern) | RegisterEntry.summary.ilike(pattern))
    return clauses


async def list_entries(
    filters: EntryFilters, page: int = 1, per_page: int = 50, now: datetime | None = None, drafts: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """A page of entries (ordered by programme line, then title) and the total matching; drafts for staff only."""
    now = now or utcnow()
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    where = _where(filters, now)
    count = RegisterEntry.count()
    for clause in where if drafts else [*where, published()]:
        count = count.where(clause)
    total = await count
    order = (RegisterEntry.programme_line, RegisterEntry.title, RegisterEntry.id)
    entries = await _views(where, order, offset=(page - 1) * per_page, limit=per_page, now=now, drafts=drafts)
    return entries, total


def group_by_programme_line(
    settings: Settings, entries: list[dict[str, Any]], lines: Sequence[Any] | None = None
) -> list[tuple[Any, list[dict[str, Any]]]]:
    """(programme line Choice or None, entries) in the city's configured order; unassigned last.

    `lines`: the lines with the names admins keep (participation.register.programme.line_choices).
    """
    groups: list[tuple[Any, list[dict[str, Any]]]] = []
    for line in lines if lines is not None else settings.city.programme_lines:
        members = [e for e in entries if e["programme_line"] == line.slug]
        if members:
            groups.append((line, members))
    known = {line.slug for line in (lines if lines is not None else settings.city.programme_lines)}
    rest = [e for e in entries if e["programme_line"] not in known]
    if rest:
        groups.append((None, rest))
    return groups


async def portfolio_summary(now: datetime | None = None) -> dict[str, Any]:
    """Counts over the whole register: per status, narrow vs broad, overdue responses (one query)."""
    now = now or utcnow()
    by_status = {s.value: 0 for s in Status}
    by_scope = {s.value: 0 for s in Scope}
    overdue = 0
    rows = await RegisterEntry.raw(
        "SELECT status, scope, COUNT(*) AS n, "
        "SUM(CASE WHEN status = {} AND response_due_at < {} THEN 1 ELSE 0 END) AS overdue "
        f"FROM register_entry WHERE {published_sql()} GROUP BY status, scope",
        Status.received.value,
        now,
    )
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        by_scope[row["scope"]] = by_scope.get(row["scope"], 0) + row["n"]
        overdue += int(row["overdue"] or 0)
    return {"total": sum(by_status.values()), "by_status": by_status, "by_scope": by_scope, "overdue": overdue}


async def export_version(now: datetime | None = None) -> str:
    """What the open-data export depends on, in one cheap query: it changes with any change to an entry.

    Every write to an entry, its partners or neighbourhoods sets the entry's updated_at (creating,
    editing, timeline updates, routing, publishing a draft); drafts are left out, so editing one
    changes nothing public; the count catches deletions; the number of overdue
    responses catches the export's one time-dependent column (`response_overdue`).
    """
    now = now or utcnow()
    rows = await RegisterEntry.raw(
        "SELECT COUNT(*) AS n, MAX(updated_at) AS changed, "
        "SUM(CASE WHEN status = {} AND response_due_at < {} THEN 1 ELSE 0 END) AS overdue "
        f"FROM register_entry WHERE {published_sql()}",
        Status.received.value,
        now,
    )
    row = rows[0]
    changed = row["changed"]
    return f"{row['n']}-{changed.isoformat() if hasattr(changed, 'isoformat') else changed}-{row['overdue'] or 0}"


async def _entry_row(slug: str) -> RegisterEntry:
    entry = await RegisterEntry.objects().get(RegisterEntry.slug == slug)
    if entry is None:
        raise DomainError(N_("There is no register entry at this address."), 404)
    return entry


async def timeline(entry_id: int) -> list[dict[str, Any]]:
    """Public updates, oldest first (the order the project went through them)."""
    rows = (
        await RegisterUpdate.select(
            RegisterUpdate.created_at,
            RegisterUpdate.status,
            RegisterUpdate.previous_status,
            RegisterUpdate.text,
            RegisterUpdate.author_role,
        )
        .where(RegisterUpdate.entry == entry_id)
        .order_by(RegisterUpdate.created_at, RegisterUpdate.id)
    )
    return _in_readers_language(rows)


def _in_readers_language(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        if row["text"] in _PLATFORM_TEXTS:
            row["text"] = str(Message(row["text"]))
    return rows


async def recent_updates(limit: int = 5) -> list[dict[str, Any]]:
    """The newest public timeline updates across the register (for the home page)."""
    return _in_readers_language(
        await RegisterUpdate.select(
            RegisterUpdate.created_at,
            RegisterUpdate.status,
            RegisterUpdate.text,
            RegisterUpdate.entry.slug.as_alias("slug"),
            RegisterUpdate.entry.title.as_alias("title"),
        )
        .where(published(RegisterUpdate.entry))
        .order_by(RegisterUpdate.created_at, ascending=False)
        .order_by(RegisterUpdate.id, ascending=False)
        .limit(limit)
    )


async def get_entry(slug: str, now: datetime | None = None, drafts: bool = False) -> dict[str, Any]:
    """One entry's public view with partners, neighbourhoods and timeline (a draft: for staff, `drafts=True`)."""
    return (await get_entry_and_id(slug, now, drafts))[1]


async def get_entry_and_id(slug: str, now: datetime | None = None, drafts: bool = False) -> tuple[int, dict[str, Any]]:
    """`get_entry` with the entry's internal id beside the view (for the entry page's other parts)."""
    views = await _views([RegisterEntry.slug == slug], [RegisterEntry.id], now=now, keep_id=True, drafts=drafts)
    if not views:
        raise DomainError(N_("There is no register entry at this address."), 404)
    view = views[0]
    entry_id = view.pop("id")  # the id is internal: never shown or exported
    view["timeline"] = await timeline(entry_id)
    view.update(await project.project_facts(entry_id), goals=(await goals.goals_of([entry_id]))[entry_id])
    view["assessment"] = assessment.public_assessment(await assessment.assessment_of(entry_id))
    return entry_id, view


async def entry_outcome(entry_id: int, now: datetime | None = None) -> dict[str, Any] | None:
    """What the page of an idea that went into this entry shows: the public view and its latest update."""
    views = await _views([RegisterEntry.id == entry_id], [RegisterEntry.id], now=now)
    if not views:
        return None
    view = views[0]
    latest = (
        await RegisterUpdate.select(RegisterUpdate.created_at, RegisterUpdate.status, RegisterUpdate.text)
        .where(RegisterUpdate.entry == entry_id)
        .order_by(RegisterUpdate.created_at, RegisterUpdate.id, ascending=False)
        .first()
    )
    view["latest_update"] = _in_readers_language([latest])[0] if latest else None
    # The response date matters until the municipality responded (moved the entry on from `received`).
    view["awaiting_response"] = view["status"] == Status.received.value
    view["shows_lessons"] = view["status"] in {s.value for s in NEEDS_LESSONS} and lessons_complete(view)
    return view


async def editable_values(slug: str) -> dict[str, Any]:
    """The current editable values of an entry (for the edit form and for PATCH merges)."""
    view = await get_entry(slug, drafts=True)
    return {name: view[name] for name in EDITABLE_FIELDS} | {"status": view["status"]}


async def list_lessons(theme: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[dict[str, Any]], int]:
    """Entries with lessons learned recorded, most recently updated first."""
    where: list[Any] = [RegisterEntry.lessons_tried.is_not_null(), published()]
    if theme:
        where.append(RegisterEntry.theme == theme)
    count = RegisterEntry.count()
    for clause in where:
        count = count.where(clause)
    total = await count
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    entries = await _views(
        where,
        [RegisterEntry.updated_at, RegisterEntry.id],
        offset=(page - 1) * per_page,
        limit=per_page,
        ascending=False,
        keep_id=True,
    )
    await _attach_goals(entries)  # the lessons compare measured values with the targets
    return entries, total


async def all_entries_for_export() -> list[dict[str, Any]]:
    """Every published entry's public view (a fixed number of queries, whatever the register's size)."""
    views = await _views([], [RegisterEntry.slug], keep_id=True)
    await _attach_goals(views)
    return views


async def _attach_goals(views: list[dict[str, Any]]) -> None:
    """Goals and indicators of views read with their id (three queries); the id is dropped."""
    by_entry = await goals.goals_of([view["id"] for view in views])
    for view in views:
        view["goals"] = by_entry[view.pop("id")]


# -- writing -----------------------------------------------------------------


async def _free_slug(base: str) -> str:
    base = base if base not in RESERVED_SLUGS else f"{base}-project"
    taken = set(
        await RegisterEntry.select(RegisterEntry.slug)
        .where((RegisterEntry.slug == base) | RegisterEntry.slug.like(f"{base}-%"))
        .output(as_list=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _entry_columns(values: Mapping[str, Any]) -> dict[Any, Any]:
    return {getattr(RegisterEntry, name): values[name] for name in EDITABLE_FIELDS if name not in CHILD_FIELDS}


async def _replace_children(entry_id: int, values: Mapping[str, Any]) -> None:
    await RegisterPartner.delete().where(RegisterPartner.entry == entry_id)
    await RegisterNeighbourhood.delete().where(RegisterNeighbourhood.entry == entry_id)
    if values["partners"]:
        await RegisterPartner.insert(
            *[
                RegisterPartner(entry=entry_id, position=i, name=p["name"], kind=p["kind"])
                for i, p in enumerate(values["partners"])
            ]
        )
    await replace_sensors(entry_id, values["sensors"])
    if values["neighbourhoods"]:
        await RegisterNeighbourhood.insert(
            *[RegisterNeighbourhood(entry=entry_id, neighbourhood=slug) for slug in values["neighbourhoods"]]
        )


def _require_editor(account: Account | None) -> None:
    # Guards refuse first; this keeps the rule true for the CLI and other callers too.
    if not can_edit_register(account):
        raise DomainError(N_("Only register editors can change the register."), 403)


DEFAULT_STATUS = Status.received.value


async def create_entry(
    settings: Settings,
    account: Account,
    raw: Mapping[str, Any],
    *,
    draft: bool = False,
    then: Callable[[RegisterEntry], Awaitable[None]] | None = None,
) -> RegisterEntry:
    """An editor adds an entry (often the city's own project) with a first timeline update.

    A `draft` stays staff-only until published (participation.register.drafts). `then` runs in
    the same transaction with the new entry (e.g. linking a follow-on to the entry it continues).
    """
    _require_editor(account)
    values = clean_entry(settings, raw)
    await project.check_owner(values)
    status = clean_text(raw.get("status")) or DEFAULT_STATUS
    if status not in {s.value for s in INITIAL_STATUSES}:
        raise FormErrors({"status": N_("A new entry starts as received, under assessment, planned or running.")})
    if status == Status.running.value and (missing := privacy_missing(values)):
        raise FormErrors({name: PRIVACY_BEFORE_RUNNING for name in missing})
    first_goal = goals.clean_first_goal(status, raw)
    for attempt in range(3):
        try:
            async with write_transaction():
                entry = await _insert_entry(
                    values, status, await _free_slug(slugify(values["title"])), account.id, draft=draft
                )
                await _add_update(
                    entry,
                    status=status,
                    previous=None,
                    text=clean_text(raw.get("update_text"))[:5000] or ADDED_TEXT,
                    author_role=account.role,
                    author_id=account.id,
                )
                if first_goal is not None:
                    await goals.add_first_goal(entry.id, first_goal)
                if then is not None:
                    await then(entry)
            return entry
        except Exception as exc:
            # Two editors creating the same title at once: the loser takes the next free slug.
            if not is_unique_violation(exc) or attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _insert_entry(
    values: Mapping[str, Any], status: str, slug: str, author_id: int | None, draft: bool = False
) -> RegisterEntry:
    now = utcnow()
    entry = RegisterEntry(slug=slug, status=status, created_by=author_id, created_at=now, updated_at=now, draft=draft)
    for name in EDITABLE_FIELDS:
        if name not in CHILD_FIELDS:
            setattr(entry, name, values[name])
    await entry.save()
    await _replace_children(entry.id, values)
    return entry


async def _add_update(
    entry: RegisterEntry,
    *,
    status: str | None,
    previous: str | None,
    text: str,
    author_role: str,
    author_id: int | None,
) -> RegisterUpdate:
    update = RegisterUpdate(
        entry=entry.id,
        created_at=utcnow(),
        status=status,
        previous_status=previous,
        text=text,
        author_role=author_role,
        author=author_id,
    )
    await update.save()
    return update


async def update_entry(settings: Settings, account: Account, slug: str, raw: Mapping[str, Any]) -> RegisterEntry:
    """Edit an entry's fields; `raw` may hold only the fields to change (PATCH). Status changes go through updates."""
    _require_editor(account)
    async with write_transaction():
        entry = await _entry_row(slug)
        before = await history.snapshot(entry.id)
        current = await editable_values(slug)
        merged = {**current, **{k: v for k, v in raw.items() if k in EDITABLE_FIELDS}}
        if _same_due_day(merged.get("response_due_at"), current.get("response_due_at"), settings.city.timezone):
            # The form shows the due time as a date: saving it unchanged must not move a routed
            # entry's deadline (set to the minute at routing) to the end of that day.
            merged["response_due_at"] = current["response_due_at"]
        values = clean_entry(settings, merged)
        await project.check_owner(values)
        if entry.status in {s.value for s in NEEDS_LESSONS} and not lessons_complete(values):
            raise FormErrors(
                {"lessons_tried": N_("A completed or stopped entry keeps its lessons learned (all five parts).")}
            )
        if entry.status == Status.running.value and (missing := privacy_missing(values)):
            raise FormErrors({name: PRIVACY_BEFORE_RUNNING for name in missing})
        await RegisterEntry.update({**_entry_columns(values), RegisterEntry.updated_at: utcnow()}).where(
            RegisterEntry.id == entry.id
        )
        await _replace_children(entry.id, values)
        await history.record_changes(entry.id, before, await history.snapshot(entry.id), account)
    return await _entry_row(slug)


async def post_update(
    settings: Settings,
    account: Account,
    slug: str,
    *,
    text: object,
    status: object = None,
    reason: object = None,
    events: DomainEvents,
) -> RegisterUpdate:
    """A public timeline update, with or without a status change (which must follow the lifecycle)."""
    _require_editor(account)
    text, wanted, reason = clean_text(text), clean_text(status) or None, clean_text(reason) or None
    errors = Errors()
    check_length(errors, "text", text, 1, 5000)
    if reason:
        check_length(errors, "reason", reason, 10, 2000)
    errors.raise_if_any()
    async with write_transaction():
        entry = await _entry_row(slug)
        before = await history.snapshot(entry.id)
        values = {name: getattr(entry, name) for name in ("status", "personal_data", *PRIVACY_FIELDS, *LESSON_FIELDS)}
        values["indicators"] = await goals.indicator_count(entry.id)
        if wanted is not None:
            if wanted == Status.declined.value and not reason:
                raise FormErrors({"reason": N_("Give the public reason for declining.")})
            if refusal := transition_refusal(values, wanted, declined_reason=reason):
                raise FormErrors({"status": refusal})
            changes: dict[Any, Any] = {RegisterEntry.status: wanted, RegisterEntry.updated_at: utcnow()}
            if wanted == Status.declined.value:
                changes[RegisterEntry.declined_reason] = reason
            # Compare-and-set: a concurrent status change makes this one fail instead of skipping a step.
            changed = (
                await RegisterEntry.update(changes)
                .where((RegisterEntry.id == entry.id) & (RegisterEntry.status == entry.status))
                .returning(RegisterEntry.id)
            )
            if not changed:
                raise DomainError(N_("The status was changed by someone else meanwhile. Reload and try again."), 409)
        else:
            await RegisterEntry.update({RegisterEntry.updated_at: utcnow()}).where(RegisterEntry.id == entry.id)
        update = await _add_update(
            entry,
            status=wanted,
            previous=entry.status if wanted else None,
            text=text,
            author_role=account.role,
            author_id=account.id,
        )
        await history.record_changes(entry.id, before, await history.snapshot(entry.id), account)
        await events.publish(EntryUpdated(entry.id, update.id, wanted or entry.status, entry.status, update.created_at))
    return update


# -- following an entry ---------------------------------------------------------


async def entry_id_for(slug: str, viewer: Account | None = None) -> int:
    """The internal id of an entry `viewer` may see (404 as DomainError when there is none: a draft for the public)."""
    entry = await _entry_row(slug)
    if entry.draft and not sees_internal(viewer):
        raise DomainError(N_("There is no register entry at this address."), 404)
    return entry.id


async def follow_entry(account: Account, slug: str) -> None:
    """Follow an entry's timeline (its updates reach the follower's notifications); once per account."""
    entry_id = await entry_id_for(slug, account)
    async with write_transaction():
        await EntryFollow.insert(EntryFollow(account=account.id, entry=entry_id, created_at=utcnow())).on_conflict(
            target=(EntryFollow.account, EntryFollow.entry), action="DO NOTHING"
        )


async def unfollow_entry(account: Account, slug: str) -> None:
    entry_id = await entry_id_for(slug, account)
    async with write_transaction():
        await EntryFollow.delete().where((EntryFollow.account == account.id) & (EntryFollow.entry == entry_id))


async def is_following_entry(account: Account | None, slug: str) -> bool:
    if account is None:
        return False
    return await EntryFollow.exists().where((EntryFollow.account == account.id) & (EntryFollow.entry.slug == slug))


async def create_routed_entry(
    *,
    title: str,
    summary: str,
    theme: str,
    scope: str,
    neighbourhood: str | None,
    origin: str,
    idea_id: int,
    personal_data: bool | None,
    personal_data_description: str | None,
    response_due_at: datetime,
    programme_line: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> RegisterEntry:
    """A popular idea or pilot arrives in the register as `received` with a response due date.

    Runs inside the caller's write transaction (routing is one use case with the
    support that reached the threshold), so it opens none itself. The slug ends
    in the idea's id: an idea routes once, so no retry on a taken slug is needed.
    """
    if origin not in (Origin.idea.value, Origin.pilot.value):
        raise ValueError(f"routed entries come from an idea or a pilot, not {origin!r}")
    title = clean_text(title)[:120]
    base = f"{slugify(title)[:60].strip('-')}-{idea_id}"
    values: dict[str, Any] = {name: None for name in EDITABLE_FIELDS}
    values.update(
        title=title,
        summary=clean_text(summary)[:300],
        description="",
        origin=origin,
        idea_id=idea_id,
        programme_line=programme_line,
        theme=theme,
        scope=scope,
        department="",
        partners=[],
        sensors=[],
        neighbourhoods=[neighbourhood] if neighbourhood else [],
        response_due_at=response_due_at.astimezone(UTC),
        personal_data=personal_data,
        data_description=clean_text(personal_data_description) or None,
        # The idea's place, when it had one (checked when the idea was written).
        latitude=latitude if longitude is not None else None,
        longitude=longitude if latitude is not None else None,
    )
    entry = await _insert_entry(values, Status.received.value, await _free_slug(base), None)
    await _add_update(
        entry, status=Status.received.value, previous=None, text=ROUTED_TEXT, author_role=SYSTEM_ROLE, author_id=None
    )
    return entry


def default_response_due(settings: Settings, routed_at: datetime) -> datetime:
    """The response date for an entry routed at `routed_at` (the city's response time)."""
    return routed_at + timedelta(weeks=settings.city.response_weeks)
