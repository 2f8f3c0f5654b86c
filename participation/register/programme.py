"""Programme lines: seeded from the city configuration, kept by admins, summed up per line.

An entry names its line by slug (`RegisterEntry.programme_line`); the configuration decides
which slugs exist, the `ProgrammeLine` row holds what the programme manager keeps up to date
(names, goal, owner, budget envelope, period, status). Seeding inserts missing slugs only:
an admin's edits are never overwritten by a restart. Every edit is logged per field in
`ProgrammeLineChange` (who, when, old -> new), shown to admins on the edit page.

Figures per line count public entries only (drafts are staff-only) and come from grouped
queries, one per kind of figure for all lines at once, never one query per entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.city import Choice, CityConfig, CityConfigError
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.budget import budget_totals_by_line
from participation.register.services import _choice, _opt_date, _opt_int
from participation.register.tables import LineStatus, ProgrammeLine, ProgrammeLineChange, RegisterEntry, Status
from participation.scope import Scope
from participation.validation import DomainError, Errors, Message, check_length, clean_text

MAX_EUR = 10**12
# The fields an admin edits, in the order the change log lists them.
EDITABLE = (
    "name_nl",
    "name_en",
    "goal_nl",
    "goal_en",
    "owner_account",
    "owner_role",
    "budget_envelope_eur",
    "start_date",
    "end_date",
    "status",
)
LESSONS_SHOWN = 10


# -- seeding from the configuration ---------------------------------------------------------


def _seed_row(city: CityConfig, position: int, line: Choice) -> dict[str, Any]:
    """One configured line as column values; a wrong value stops start-up naming its key."""
    seed = city.programme_line_seeds.get(line.slug, {})
    where = f"programme_lines[{position}]"

    def fail(key: str, message: str) -> CityConfigError:
        return CityConfigError(city.source, message, key=f"{where}.{key}")

    goal = seed.get("goal", "")
    goals = {"nl": goal} if isinstance(goal, str) else goal
    if not isinstance(goals, dict) or not all(isinstance(v, str) for v in goals.values()):
        raise fail("goal", "must be a string or a table of goals per language")
    envelope = seed.get("budget_envelope_eur")
    if envelope is not None and (isinstance(envelope, bool) or not isinstance(envelope, int) or envelope < 0):
        raise fail("budget_envelope_eur", "must be a whole number of euros, 0 or more")
    dates = {}
    for key in ("start", "end"):
        value = seed.get(key)
        if value is not None and not (isinstance(value, date) and not hasattr(value, "hour")):
            raise fail(key, "must be a date (YYYY-MM-DD, without quotes)")
        dates[key] = value
    if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
        raise fail("end", "cannot be before start")
    status = seed.get("status", LineStatus.active.value)
    if status not in {s.value for s in LineStatus}:
        raise fail("status", "must be 'planned', 'active' or 'closed'")
    owner_role = seed.get("owner_role", "")
    if not isinstance(owner_role, str) or len(owner_role) > 120:
        raise fail("owner_role", "must be a text of at most 120 characters")
    return {
        "slug": line.slug,
        "position": position,
        "name_nl": line.names.get("nl") or line.name("nl"),
        "name_en": line.names.get("en", ""),
        "goal_nl": (goals.get("nl") or "").strip(),
        "goal_en": (goals.get("en") or "").strip(),
        "owner_role": owner_role.strip(),
        "budget_envelope_eur": envelope,
        "start_date": dates["start"],
        "end_date": dates["end"],
        "status": status,
    }


async def seed_programme_lines(city: CityConfig) -> int:
    """Insert the configured lines that have no row yet; returns how many were added.

    Runs at every start-up. ON CONFLICT DO NOTHING: workers starting together add each line once,
    and a line an admin edited keeps the edits.
    """
    rows = [_seed_row(city, i, line) for i, line in enumerate(city.programme_lines)]
    async with write_transaction():
        existing = set(await ProgrammeLine.select(ProgrammeLine.slug).output(as_list=True))
        missing = [ProgrammeLine(**row, updated_at=utcnow()) for row in rows if row["slug"] not in existing]
        if not missing:
            return 0
        added = (
            await ProgrammeLine.insert(*missing)
            .on_conflict(target=ProgrammeLine.slug, action="DO NOTHING")
            .returning(ProgrammeLine.id)
        )
    return len(added)


# -- reading ---------------------------------------------------------------------------------


def _localised(row: dict[str, Any], locale: str) -> dict[str, Any]:
    row["name"] = (row["name_en"] if locale == "en" else "") or row["name_nl"]
    row["goal"] = (row["goal_en"] if locale == "en" else "") or row["goal_nl"]
    # The goal's language, for the page's lang attribute (an English page showing the Dutch goal).
    row["goal_lang"] = "en" if locale == "en" and row["goal_en"] else "nl"
    return row


_COLUMNS = (
    ProgrammeLine.slug,
    ProgrammeLine.position,
    ProgrammeLine.name_nl,
    ProgrammeLine.name_en,
    ProgrammeLine.goal_nl,
    ProgrammeLine.goal_en,
    ProgrammeLine.owner_account,
    ProgrammeLine.owner_account.display_name.as_alias("owner_name"),
    ProgrammeLine.owner_role,
    ProgrammeLine.budget_envelope_eur,
    ProgrammeLine.start_date,
    ProgrammeLine.end_date,
    ProgrammeLine.status,
    ProgrammeLine.updated_at,
)


async def list_lines(locale: str) -> list[dict[str, Any]]:
    """Every line in the configured order, with its name and goal in `locale` (Dutch as fallback)."""
    rows = await ProgrammeLine.select(*_COLUMNS).order_by(ProgrammeLine.position, ProgrammeLine.id)
    return [_localised(row, locale) for row in rows]


async def get_line(slug: str, locale: str) -> dict[str, Any]:
    row = await ProgrammeLine.select(*_COLUMNS).where(ProgrammeLine.slug == slug).first()
    if row is None:
        raise DomainError(N_("There is no programme line at this address."), 404)
    return _localised(row, locale)


async def line_choices() -> tuple[Choice, ...]:
    """The lines as the register's filter and grouping use them (names as the admins keep them)."""
    rows = await ProgrammeLine.select(ProgrammeLine.slug, ProgrammeLine.name_nl, ProgrammeLine.name_en).order_by(
        ProgrammeLine.position, ProgrammeLine.id
    )
    return tuple(
        Choice(row["slug"], {"nl": row["name_nl"], **({"en": row["name_en"]} if row["name_en"] else {})})
        for row in rows
    )


def _empty_figures() -> dict[str, Any]:
    return {
        "entries": 0,
        "by_status": {s.value: 0 for s in Status},
        "by_scope": {s.value: 0 for s in Scope},
        "personal_data": {"yes": 0, "no": 0, "unknown": 0},
        "planned_eur": 0,
        "spent_eur": 0,
    }


def _share(part: int, whole: int) -> int | None:
    """A whole percentage (None when there is nothing to divide)."""
    return round(100 * part / whole) if whole else None


async def line_figures() -> dict[str | None, dict[str, Any]]:
    """Per line slug (None: no line): public entries per status, narrow/broad, personal data, budget.

    Budget: planned and spent are the sums of the entries' budget lines; an entry without budget
    lines counts its single `budget_eur` as planned (see participation.register.budget).
    """
    figures: dict[str | None, dict[str, Any]] = {}
    rows = await RegisterEntry.raw(
        "SELECT programme_line, status, scope, personal_data, COUNT(*) AS n FROM register_entry "
        "WHERE draft = {} GROUP BY programme_line, status, scope, personal_data",
        False,
    )
    for row in rows:
        line = figures.setdefault(row["programme_line"], _empty_figures())
        n = int(row["n"])
        line["entries"] += n
        line["by_status"][row["status"]] = line["by_status"].get(row["status"], 0) + n
        line["by_scope"][row["scope"]] = line["by_scope"].get(row["scope"], 0) + n
        personal = row["personal_data"]
        key = "unknown" if personal is None else "yes" if personal else "no"
        line["personal_data"][key] += n
    for slug, budget in (await budget_totals_by_line()).items():
        line = figures.setdefault(slug, _empty_figures())
        line.update(budget)
    for line in figures.values():
        line["narrow_share"] = _share(line["by_scope"]["narrow"], line["entries"])
        line["broad_share"] = _share(line["by_scope"]["broad"], line["entries"])
        line["personal_data_share"] = _share(line["personal_data"]["yes"], line["entries"])
    return figures


async def figures_for(slug: str | None) -> dict[str, Any]:
    figures = (await line_figures()).get(slug) or _empty_figures()
    figures.setdefault("narrow_share", None)
    figures.setdefault("broad_share", None)
    figures.setdefault("personal_data_share", None)
    return figures


def _public_entries_of(slug: str):
    return (RegisterEntry.programme_line == slug) & (RegisterEntry.draft.eq(False))


async def line_entries(slug: str, page: int, per_page: int) -> tuple[list[dict[str, Any]], int]:
    """A page of the line's public entries (by title) and how many there are."""
    total = await RegisterEntry.count().where(_public_entries_of(slug))
    rows = (
        await RegisterEntry.select(
            RegisterEntry.slug,
            RegisterEntry.title,
            RegisterEntry.summary,
            RegisterEntry.status,
            RegisterEntry.scope,
            RegisterEntry.theme,
            RegisterEntry.personal_data,
        )
        .where(_public_entries_of(slug))
        .order_by(RegisterEntry.title, RegisterEntry.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return rows, total


async def line_lessons(slug: str) -> list[dict[str, Any]]:
    """The line's most recently updated lessons learned (its public entries that recorded them)."""
    return (
        await RegisterEntry.select(
            RegisterEntry.slug,
            RegisterEntry.title,
            RegisterEntry.status,
            RegisterEntry.lessons_tried,
            RegisterEntry.lessons_outcome,
            RegisterEntry.lessons_decision,
            RegisterEntry.lessons_decision_reason,
            RegisterEntry.lessons_advice,
        )
        .where(_public_entries_of(slug) & RegisterEntry.lessons_tried.is_not_null())
        .order_by(RegisterEntry.updated_at, RegisterEntry.id, ascending=False)
        .limit(LESSONS_SHOWN)
    )


async def owner_options() -> list[tuple[str, str]]:
    """Accounts that may own a line: active register editors and admins, by name."""
    rows = (
        await Account.select(Account.id, Account.display_name)
        .where(
            Account.role.is_in([Role.editor.value, Role.admin.value])
            & Account.deleted_at.is_null()
            & Account.suspended_at.is_null()
        )
        .order_by(Account.display_name, Account.id)
    )
    return [(str(row["id"]), row["display_name"]) for row in rows]


async def line_changes(slug: str, limit: int = 50) -> list[dict[str, Any]]:
    return (
        await ProgrammeLineChange.select(
            ProgrammeLineChange.field,
            ProgrammeLineChange.old_value,
            ProgrammeLineChange.new_value,
            ProgrammeLineChange.changed_at,
            ProgrammeLineChange.actor.display_name.as_alias("actor_name"),
        )
        .where(ProgrammeLineChange.line.slug == slug)
        .order_by(ProgrammeLineChange.changed_at, ProgrammeLineChange.id, ascending=False)
        .limit(limit)
    )


# -- editing ---------------------------------------------------------------------------------


async def clean_line(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an admin's form; raises FormErrors with one message per field."""
    errors = Errors()
    out: dict[str, Any] = {}
    limits = (("name_nl", 2, 120), ("name_en", 0, 120), ("goal_nl", 10, 3000), ("goal_en", 0, 3000))
    for name, minimum, maximum in limits:
        out[name] = clean_text(raw.get(name))
        check_length(errors, name, out[name], minimum, maximum)
    owner = clean_text(raw.get("owner_account"))
    out["owner_account"] = None
    if owner:
        allowed = {value for value, _ in await owner_options()}
        if owner not in allowed:
            errors.add("owner_account", N_("Choose a register editor or administrator from the list."))
        else:
            out["owner_account"] = int(owner)
    out["owner_role"] = clean_text(raw.get("owner_role"))
    check_length(errors, "owner_role", out["owner_role"], 0, 120)
    if "owner_account" not in errors.errors:
        if out["owner_account"] and out["owner_role"]:
            errors.add("owner_role", N_("Choose an editor or name a role, not both."))
        elif not out["owner_account"] and not out["owner_role"]:
            errors.add("owner_account", N_("Name the owner: choose an editor or name a role."))
    out["budget_envelope_eur"] = _opt_int(raw.get("budget_envelope_eur"), errors, "budget_envelope_eur", 0, MAX_EUR)
    out["start_date"] = _opt_date(raw.get("start_date"), errors, "start_date")
    out["end_date"] = _opt_date(raw.get("end_date"), errors, "end_date")
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors.add("end_date", N_("The end date cannot be before the start date."))
    out["status"] = _choice(raw.get("status"), [s.value for s in LineStatus], errors, "status", True)
    errors.raise_if_any()
    return out


def _logged(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


async def edit_line(account: Account, slug: str, raw: Mapping[str, Any]) -> list[str]:
    """An admin changes a line; returns the names of the fields that changed (each one logged)."""
    if not has_role(account, Role.admin):
        raise DomainError(N_("Only administrators can change programme lines."), 403)
    values = await clean_line(raw)
    async with write_transaction():
        line = await for_update(ProgrammeLine.objects().where(ProgrammeLine.slug == slug)).first()
        if line is None:
            raise DomainError(N_("There is no programme line at this address."), 404)
        changed = [name for name in EDITABLE if getattr(line, name) != values[name]]
        if not changed:
            return []
        ids = {values["owner_account"], line.owner_account} - {None}
        names = (
            {
                row["id"]: row["display_name"]
                for row in await Account.select(Account.id, Account.display_name).where(Account.id.is_in(list(ids)))
            }
            if ids
            else {}
        )

        def shown(name: str, value: Any) -> str:
            if name == "owner_account" and value is not None:
                return f"{names.get(value, '?')} (#{value})"
            return _logged(value)

        now = utcnow()
        await ProgrammeLine.update(
            {**{getattr(ProgrammeLine, name): values[name] for name in changed}, ProgrammeLine.updated_at: now}
        ).where(ProgrammeLine.id == line.id)
        await ProgrammeLineChange.insert(
            *[
                ProgrammeLineChange(
                    line=line.id,
                    actor=account.id,
                    field=name,
                    old_value=shown(name, getattr(line, name)),
                    new_value=shown(name, values[name]),
                    changed_at=now,
                )
                for name in changed
            ]
        )
    return changed


def form_values(line: Mapping[str, Any]) -> dict[str, str]:
    """A line's stored values as the edit form shows them."""
    shown: dict[str, str] = {}
    for name in EDITABLE:
        value = line.get(name)
        shown[name] = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    return shown


FIELD_LABELS = {
    "name_nl": N_("Name (Dutch)"),
    "name_en": N_("Name (English)"),
    "goal_nl": N_("Goal (Dutch)"),
    "goal_en": N_("Goal (English)"),
    "owner_account": N_("Owner: editor"),
    "owner_role": N_("Owner: named role"),
    "budget_envelope_eur": N_("Budget envelope (EUR)"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "status": N_("Status"),
}


def field_label(name: str) -> str:
    return str(Message(FIELD_LABELS.get(name, name)))
