"""The council report: what happened in the register in a period, per programme line.

Built from the entries' public timeline (`RegisterUpdate` status changes), so its figures are the
register's own: an entry counts as
- added: its first timeline status (no previous status) falls in the period;
- changed status: every status change (a previous status) in the period, each one listed;
- started / completed / stopped / declined: it moved to running / completed / stopped / declined
  in the period (an entry added as running also started);
- overdue response: its response was due in the period (and the due time has passed) and it
  did not move on from `received` by then, answered late or not answered yet;
- lessons learned: it was completed or stopped in the period; the lifecycle requires the full
  lessons at that moment, so these are the lessons recorded in the period.
Budgets: planned and spent from the budget lines of the period's calendar years, and in total
(all years, with an entry's single `budget_eur` where it has no budget lines; see `budget`).

Drafts are left out everywhere. Dates are the city's calendar days: from 00:00 on `from` to
24:00 on `to`, Europe/Amsterdam by default.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from participation.i18n import N_
from participation.lib.cells import neutralise_formula
from participation.lib.clock import utcnow
from participation.register.budget import budget_totals_by_line
from participation.register.programme import list_lines
from participation.register.tables import RegisterEntry, RegisterUpdate, Status
from participation.validation import Errors, clean_text

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
EVENTS = ("added", "status_changes", "started", "completed", "stopped", "declined")
COUNTED = (*EVENTS, "overdue_responses", "lessons")
# An event is counted under each key whose rule it meets.
_REACHED = {
    Status.running.value: "started",
    Status.completed.value: "completed",
    Status.stopped.value: "stopped",
    Status.declined.value: "declined",
}
LESSON_COLUMNS = ("lessons_tried", "lessons_outcome", "lessons_decision", "lessons_decision_reason", "lessons_advice")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[from 00:00, day after `to` 00:00) in the city's time zone, as UTC (timestamps are stored in UTC)."""
        zone = ZoneInfo(tz)
        begin = datetime.combine(self.start, time(0), tzinfo=zone)
        end = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=zone)
        return begin.astimezone(UTC), end.astimezone(UTC)

    @property
    def years(self) -> tuple[int, int]:
        return self.start.year, self.end.year


def default_period(today: date) -> Period:
    """This calendar year up to today: what a report asked for without dates shows."""
    return Period(date(today.year, 1, 1), today)


def parse_period(params: Mapping[str, Any], today: date) -> Period:
    """`from` and `to` (YYYY-MM-DD) from a query string; both absent: this year so far.

    Raises FormErrors naming `from` or `to` for a bad, missing or reversed date.
    """
    raw_from, raw_to = clean_text(params.get("from")), clean_text(params.get("to"))
    if not raw_from and not raw_to:
        return default_period(today)
    errors = Errors()
    days: dict[str, date | None] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        days[name] = None
        if not raw:
            errors.add(name, N_("Enter a date as YYYY-MM-DD."))
            continue
        try:
            day = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None:
            errors.add(name, N_("Enter a date as YYYY-MM-DD."))
        elif not FIRST_DAY <= day <= LAST_DAY:
            errors.add(name, N_("Enter a date between 2000 and 2100."))
        else:
            days[name] = day
    start, end = days["from"], days["to"]
    if start and end and end < start:
        errors.add("to", N_("The end of the period cannot be before its start."))
    errors.raise_if_any()
    return Period(start, end)  # type: ignore[arg-type]


def _bucket() -> dict[str, Any]:
    return {
        **{key: [] for key in EVENTS},
        "overdue_responses": [],
        "lessons": [],
        "budget": {"period_planned_eur": 0, "period_spent_eur": 0, "planned_eur": 0, "spent_eur": 0},
    }


async def _status_events(begin: datetime, end: datetime) -> list[dict[str, Any]]:
    return (
        await RegisterUpdate.select(
            RegisterUpdate.created_at,
            RegisterUpdate.status,
            RegisterUpdate.previous_status,
            RegisterUpdate.entry.id.as_alias("entry_id"),
            RegisterUpdate.entry.slug.as_alias("slug"),
            RegisterUpdate.entry.title.as_alias("title"),
            RegisterUpdate.entry.programme_line.as_alias("programme_line"),
        )
        .where(
            RegisterUpdate.status.is_not_null()
            & (RegisterUpdate.created_at >= begin)
            & (RegisterUpdate.created_at < end)
            & RegisterUpdate.entry.draft.eq(False)
        )
        .order_by(RegisterUpdate.created_at, RegisterUpdate.id)
    )


async def _overdue_responses(begin: datetime, end: datetime, now: datetime) -> list[dict[str, Any]]:
    """Responses due in the period (and already due) that came late or not at all."""
    due = await RegisterEntry.select(
        RegisterEntry.id,
        RegisterEntry.slug,
        RegisterEntry.title,
        RegisterEntry.programme_line,
        RegisterEntry.response_due_at,
    ).where(
        RegisterEntry.draft.eq(False)
        & (RegisterEntry.response_due_at >= begin)
        & (RegisterEntry.response_due_at < min(end, now))
    )
    if not due:
        return []
    answered: dict[int, datetime] = {}
    for row in (
        await RegisterUpdate.select(RegisterUpdate.entry, RegisterUpdate.created_at)
        .where(
            RegisterUpdate.entry.is_in([row["id"] for row in due])
            & (RegisterUpdate.previous_status == Status.received.value)
        )
        .order_by(RegisterUpdate.created_at, RegisterUpdate.id)
    ):
        answered.setdefault(row["entry"], row["created_at"])
    late = []
    for row in sorted(due, key=lambda r: (r["response_due_at"], r["id"])):
        responded = answered.get(row.pop("id"))
        if responded is None or responded > row["response_due_at"]:
            late.append({**row, "responded_at": responded})
    return late


async def build_report(period: Period, tz: str, locale: str, now: datetime | None = None) -> dict[str, Any]:
    """The report as plain data: per programme line (in the configured order; `None` for entries
    without a known line, shown only when it has something), and totals over all lines."""
    now = now or utcnow()
    begin, end = period.bounds(tz)
    lines = await list_lines(locale)
    known = {line["slug"] for line in lines}
    buckets: dict[str | None, dict[str, Any]] = {line["slug"]: _bucket() for line in lines}

    def bucket(slug: str | None) -> dict[str, Any]:
        return buckets.setdefault(slug if slug in known else None, _bucket())

    closed_ids: dict[int, str | None] = {}
    for event in await _status_events(begin, end):
        entry_id = event.pop("entry_id")
        target = bucket(event["programme_line"])
        target["status_changes" if event["previous_status"] else "added"].append(event)
        if reached := _REACHED.get(event["status"]):
            target[reached].append(event)
        if event["status"] in (Status.completed.value, Status.stopped.value):
            closed_ids[entry_id] = event["programme_line"]
    for row in await _overdue_responses(begin, end, now):
        bucket(row["programme_line"])["overdue_responses"].append(row)
    if closed_ids:
        lessons = [getattr(RegisterEntry, c) for c in LESSON_COLUMNS]
        for row in (
            await RegisterEntry.select(RegisterEntry.slug, RegisterEntry.title, RegisterEntry.programme_line, *lessons)
            .where(RegisterEntry.id.is_in(list(closed_ids)))
            .order_by(RegisterEntry.title, RegisterEntry.id)
        ):
            bucket(row["programme_line"])["lessons"].append(row)
    in_period = await budget_totals_by_line(period.years)
    overall = await budget_totals_by_line()
    for slug in set(in_period) | set(overall):
        budget = bucket(slug)["budget"]
        budget["period_planned_eur"] += in_period.get(slug, {}).get("planned_eur", 0)
        budget["period_spent_eur"] += in_period.get(slug, {}).get("spent_eur", 0)
        budget["planned_eur"] += overall.get(slug, {}).get("planned_eur", 0)
        budget["spent_eur"] += overall.get(slug, {}).get("spent_eur", 0)

    sections = []
    for line in lines:
        sections.append({"line": line, **buckets[line["slug"]], "budget_envelope_eur": line["budget_envelope_eur"]})
    rest = buckets.get(None)
    if rest and (any(rest[k] for k in (*EVENTS, "overdue_responses", "lessons")) or any(rest["budget"].values())):
        sections.append({"line": None, **rest, "budget_envelope_eur": None})
    for section in sections:
        section["counts"] = {key: len(section[key]) for key in COUNTED}
    totals = {
        "counts": {key: sum(s["counts"][key] for s in sections) for key in COUNTED},
        "budget": {key: sum(s["budget"][key] for s in sections) for key in _bucket()["budget"]},
        "budget_envelope_eur": sum(s["budget_envelope_eur"] or 0 for s in sections),
    }
    return {"period": period, "generated_at": now, "sections": sections, "totals": totals}


# -- machine-readable variants ---------------------------------------------------------------

CSV_COLUMNS = (
    "programme_line",
    "programme_line_name",
    "period_from",
    "period_to",
    "added",
    "status_changes",
    "started",
    "completed",
    "stopped",
    "declined",
    "overdue_responses",
    "lessons_learned",
    "budget_envelope_eur",
    "planned_eur_period",
    "spent_eur_period",
    "planned_eur_total",
    "spent_eur_total",
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _counts(section: Mapping[str, Any]) -> dict[str, Any]:
    budget, counts = section["budget"], section["counts"]
    return {
        **{key: counts[key] for key in EVENTS},
        "overdue_responses": counts["overdue_responses"],
        "lessons_learned": counts["lessons"],
        "budget_envelope_eur": section["budget_envelope_eur"],
        "planned_eur_period": budget["period_planned_eur"],
        "spent_eur_period": budget["period_spent_eur"],
        "planned_eur_total": budget["planned_eur"],
        "spent_eur_total": budget["spent_eur"],
    }


def to_csv(report: Mapping[str, Any]) -> str:
    """One row per programme line (empty slug: entries without a line); every cell made inert for spreadsheets."""
    period = report["period"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section in report["sections"]:
        line = section["line"]
        row = {
            "programme_line": line["slug"] if line else "",
            "programme_line_name": line["name"] if line else "",
            "period_from": period.start.isoformat(),
            "period_to": period.end.isoformat(),
            **_counts(section),
        }
        writer.writerow([neutralise_formula("" if row[c] is None else str(row[c])) for c in CSV_COLUMNS])
    return buffer.getvalue()


def _entry_ref(row: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    return {"slug": row["slug"], "title": row["title"], "url": f"{base_url}/register/{row['slug']}"}


def to_json(report: Mapping[str, Any], base_url: str, city: str) -> dict[str, Any]:
    period = report["period"]
    lines = []
    for section in report["sections"]:
        line = section["line"]
        lines.append(
            {
                "programme_line": line["slug"] if line else None,
                "name": {"nl": line["name_nl"], "en": line["name_en"] or line["name_nl"]} if line else None,
                "status": line["status"] if line else None,
                "counts": _counts(section),
                "budget": {"envelope_eur": section["budget_envelope_eur"], **section["budget"]},
                **{
                    key: [
                        {
                            **_entry_ref(e, base_url),
                            "at": _iso(e["created_at"]),
                            "status": e["status"],
                            "previous_status": e["previous_status"],
                        }
                        for e in section[key]
                    ]
                    for key in EVENTS
                },
                "overdue_responses": [
                    {
                        **_entry_ref(e, base_url),
                        "response_due_at": _iso(e["response_due_at"]),
                        "responded_at": _iso(e["responded_at"]),
                    }
                    for e in section["overdue_responses"]
                ],
                "lessons": [
                    {**_entry_ref(e, base_url), **{c: e[c] for c in LESSON_COLUMNS}} for e in section["lessons"]
                ],
            }
        )
    totals = report["totals"]
    return {
        "city": city,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "generated_at": _iso(report["generated_at"]),
        "lines": lines,
        "totals": {
            **{key: totals["counts"][key] for key in (*EVENTS, "overdue_responses")},
            "lessons_learned": totals["counts"]["lessons"],
            "budget": {"envelope_eur": totals["budget_envelope_eur"], **totals["budget"]},
        },
    }
