"""Staff exports (moderators, register editors, admins): CSV and XLSX, filtered like `/stats`.

No export names a participant or holds an email address: ideas and comments go out without their
authors, supports only as counts per idea per day, decisions without the staff member. Text cells
that a spreadsheet would run as a formula are neutralised (`participation.lib.cells`). Times are
ISO 8601 in UTC; the columns are documented in the README ("Statistics and exports").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template
from openpyxl import Workbook
from piccolo.engine.postgres import PostgresEngine

from ideas.tables import Idea
from participation.accounts.guards import requires_role
from participation.database import current_engine
from participation.lib.cells import neutralise_formula
from participation.register import exports as register_exports
from participation.register import services as register_services
from participation.settings import Settings
from participation.stats.figures import SUBMISSION_DECISIONS, Where, idea_conditions, period_condition, seconds_between
from participation.stats.filters import StatsFilters, parse_filters, period_bounds
from participation.stats.permissions import EXPORT_ROLES

requires_staff_export = requires_role(*EXPORT_ROLES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: list[list[Any]]


async def _raw(query: str, params: list[Any]) -> list[dict[str, Any]]:
    return await Idea.raw(query, *params)


def _idea_filters(filters: StatsFilters, tz: str, date_column: str) -> Where:
    sql = Where()
    idea_conditions(sql, filters)
    period_condition(sql, date_column, *period_bounds(filters, tz))
    return sql


IDEA_COLUMNS = (
    "id", "url", "kind", "title", "theme", "neighbourhood", "scope", "status", "created_at", "published_at",
    "support_closes_at", "support_count", "comment_count", "routed_at", "register_entry",
)  # fmt: skip


async def ideas_table(settings: Settings, filters: StatsFilters) -> Table:
    sql = _idea_filters(filters, settings.city.timezone, "i.created_at")
    query = (
        "SELECT i.id, i.kind, i.title, i.theme, i.neighbourhood, i.scope, i.status, i.created_at, i.published_at, "
        "i.support_closes_at, i.support_count, i.comment_count, r.routed_at, e.slug AS register_entry "
        "FROM idea i LEFT JOIN routing r ON r.idea = i.id LEFT JOIN register_entry e ON e.id = r.register_entry_id "
        f"WHERE {sql.where()} ORDER BY i.id"
    )
    base = settings.base_url.rstrip("/")
    rows = [
        [row["id"], f"{base}/ideas/{row['id']}", *[row[c] for c in IDEA_COLUMNS[2:]]]
        for row in await _raw(query, sql.params)
    ]
    return Table(IDEA_COLUMNS, rows)


COMMENT_COLUMNS = ("id", "idea_id", "parent_id", "status", "hidden_reason", "created_at", "edited_at", "body")


async def comments_table(settings: Settings, filters: StatsFilters) -> Table:
    sql = _idea_filters(filters, settings.city.timezone, "c.created_at")
    query = (
        "SELECT c.id, c.idea AS idea_id, c.parent AS parent_id, c.status, c.hidden_reason, c.created_at, c.edited_at, "
        f"c.body FROM comment c JOIN idea i ON i.id = c.idea WHERE {sql.where()} ORDER BY c.id"
    )
    return Table(COMMENT_COLUMNS, [[row[c] for c in COMMENT_COLUMNS] for row in await _raw(query, sql.params)])


SUPPORT_COLUMNS = ("idea_id", "day", "supports")


async def supports_table(settings: Settings, filters: StatsFilters) -> Table:
    """Supports per idea per day (UTC days): counts only, never who supported."""
    sql = _idea_filters(filters, settings.city.timezone, "s.created_at")
    if isinstance(current_engine(), PostgresEngine):
        day = "to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    else:
        day = "substr(s.created_at, 1, 10)"  # stored as "YYYY-MM-DD HH:MM:SS+00:00" (UTC)
    query = (
        f"SELECT s.idea AS idea_id, {day} AS day, COUNT(*) AS supports FROM support s JOIN idea i ON i.id = s.idea "
        f"WHERE {sql.where()} GROUP BY s.idea, {day} ORDER BY s.idea, day"
    )
    return Table(SUPPORT_COLUMNS, [[row[c] for c in SUPPORT_COLUMNS] for row in await _raw(query, sql.params)])


DECISION_COLUMNS = (
    "id", "created_at", "action", "target_type", "target_id", "category", "reason", "submitted_at", "turnaround_hours",
)  # fmt: skip


async def decisions_table(settings: Settings, filters: StatsFilters) -> Table:
    """Every moderation decision in the period; for a decision on an idea its submission time, and for the
    first decision on a submission the hours it took (the turnaround the statistics page summarises)."""
    sql = Where()
    period_condition(sql, "m.created_at", *period_bounds(filters, settings.city.timezone))
    if filters.theme or filters.neighbourhood:
        sql.add("m.target_type = 'idea'")
        idea_conditions(sql, filters)
    actions = ", ".join(f"'{action}'" for action in SUBMISSION_DECISIONS)
    query = (
        "SELECT m.id, m.created_at, m.action, m.target_type, m.target_id, m.category, m.reason, "
        "i.created_at AS submitted_at, "
        f"CASE WHEN m.action IN ({actions}) AND NOT EXISTS (SELECT 1 FROM moderation_decision p "
        f"WHERE p.target_type = 'idea' AND p.target_id = m.target_id AND p.action IN ({actions}) AND p.id < m.id) "
        f"THEN {seconds_between('i.created_at', 'm.created_at')} END AS turnaround_seconds "
        "FROM moderation_decision m LEFT JOIN idea i ON m.target_type = 'idea' AND i.id = m.target_id "
        f"WHERE {sql.where()} ORDER BY m.id"
    )
    rows = []
    for row in await _raw(query, sql.params):
        seconds = row["turnaround_seconds"]
        hours = round(float(seconds) / 3600, 2) if seconds is not None else None
        rows.append([*[row[c] for c in DECISION_COLUMNS[:-1]], hours])
    return Table(DECISION_COLUMNS, rows)


async def register_table(settings: Settings, filters: StatsFilters) -> Table:
    """The register's open-data rows (same columns as `/register.csv`), filtered like the statistics."""
    since, until = period_bounds(filters, settings.city.timezone)
    rows = []
    for view in await register_services.all_entries_for_export():
        created = view["created_at"] if view["created_at"].tzinfo else view["created_at"].replace(tzinfo=UTC)
        if (filters.theme and view["theme"] != filters.theme) or (
            filters.neighbourhood and filters.neighbourhood not in view["neighbourhoods"]
        ):
            continue
        if (since and created < since) or (until and created >= until):
            continue
        row = register_exports.export_row(settings, view)
        rows.append([_register_cell(name, row[name]) for name in register_exports.COLUMNS])
    return Table(register_exports.COLUMNS, rows)


def _register_cell(name: str, value: Any) -> Any:
    if name == "partners":
        return "; ".join(f"{p['name']} ({p['kind']})" for p in value)
    if name == "neighbourhoods":
        return ";".join(value)
    return value


DATASETS = ("ideas", "comments", "supports", "decisions", "register")


async def dataset_table(name: str, settings: Settings, filters: StatsFilters) -> Table:
    tables = {
        "ideas": ideas_table,
        "comments": comments_table,
        "supports": supports_table,
        "decisions": decisions_table,
        "register": register_table,
    }
    return await tables[name](settings, filters)


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: times as UTC ISO text, booleans as true/false, text neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return neutralise_formula(str(value))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if (cell := _cell(value)) is None else cell for value in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table, title: str) -> bytes:
    """A write-only workbook (rows streamed, little memory); text cells are never formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class StaffExports(Controller):
    path = "/stats/exports"
    include_in_schema = False
    guards = [requires_staff_export]

    @get("/", name="stats_exports")
    async def index(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        filters = parse_filters(settings, request.query_params)
        return Template("stats/exports.html", context={"filters": filters, "datasets": list(DATASETS)})

    @get("/{dataset:str}", name="stats_export")
    async def download(self, request: Request, settings: NamedDependency[Settings], dataset: FromPath[str]) -> Response:
        name, _, extension = dataset.partition(".")
        if name not in DATASETS or extension not in ("csv", "xlsx"):
            raise NotFoundException()
        filters = parse_filters(settings, request.query_params)
        table = await dataset_table(name, settings, filters)
        filename = f"{name}-{settings.city.slug}.{extension}"
        content, media_type = (
            (to_csv(table), "text/csv; charset=utf-8") if extension == "csv" else (to_xlsx(table, name), XLSX)
        )
        return Response(
            content,
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
        )
