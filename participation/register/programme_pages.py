"""Pages for running the register as a programme: programme lines, budget lines, the council report.

Thin, as the register's other controllers: read the query or form, call a service, render.
Public: the lines, a line's page and the council report (what the council and residents read).
Admins edit a line; register editors keep an entry's budget lines.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from participation.accounts.guards import requires_admin, requires_editor
from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.errors import problem
from participation.i18n import get_locale, gettext
from participation.lib.clock import utcnow
from participation.register import budget, programme, report, services
from participation.register.controllers import _page_links
from participation.register.permissions import can_edit_register
from participation.settings import Settings
from participation.validation import FormErrors, PageNumber

PER_PAGE = 50
BLANK_BUDGET_ROWS = 3
BUDGET_FIELDS = ("source", "year", "planned_eur", "spent_eur", "remove")


class ProgrammeLinePages(Controller):
    include_in_schema = False
    path = "/register/lines"

    @get("/", name="programme_lines")
    async def index(self, request: Request) -> Template:
        lines = await programme.list_lines(get_locale())
        figures = await programme.line_figures()
        return Template(
            "register/lines.html",
            context={
                "lines": [(line, figures.get(line["slug"])) for line in lines],
                "unassigned": figures.get(None),
            },
        )

    @get("/{slug:str}", name="programme_line")
    async def line(self, request: Request, slug: FromPath[str], page: PageNumber = 1) -> Template:
        line = await programme.get_line(slug, get_locale())
        entries, total = await programme.line_entries(slug, max(page, 1), PER_PAGE)
        return Template(
            "register/line.html",
            context={
                "line": line,
                "figures": await programme.figures_for(slug),
                "entries": entries,
                "total": total,
                "lessons": await programme.line_lessons(slug),
                "paging": _page_links(f"/register/lines/{slug}", [], max(page, 1), total, PER_PAGE),
                "is_admin": has_role(request.user, Role.admin),
            },
        )

    @get("/{slug:str}/edit", name="programme_line_edit", guards=[requires_admin])
    async def edit_form(self, slug: FromPath[str]) -> Template:
        line = await programme.get_line(slug, get_locale())
        return await _line_form(line, programme.form_values(line), {})

    @post("/{slug:str}/edit", name="programme_line_edit_submit", guards=[requires_admin])
    async def edit(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        values = {name: form.get(name) or "" for name in programme.EDITABLE}
        try:
            changed = await programme.edit_line(request.user, slug, values)
        except FormErrors as exc:
            line = await programme.get_line(slug, get_locale())
            return await _line_form(line, values, exc.errors, status_code=422)
        if changed:
            flash(request, gettext("The programme line has been saved."), category="success")
        else:
            flash(request, gettext("Nothing was changed."), category="info")
        return Redirect(f"/register/lines/{slug}", status_code=303)


async def _line_form(
    line: dict[str, Any], values: dict[str, Any], errors: dict[str, Any], status_code: int = 200
) -> Template:
    changes = await programme.line_changes(line["slug"])
    for change in changes:
        change["label"] = programme.field_label(change["field"])
    return Template(
        "register/line_form.html",
        status_code=status_code,
        context={
            "line": line,
            "values": values,
            "errors": errors,
            "owners": await programme.owner_options(),
            "changes": changes,
        },
    )


class BudgetPages(Controller):
    include_in_schema = False
    path = "/register/{slug:str}/budget"
    guards = [requires_editor]

    @get("/", name="register_budget")
    async def form(self, slug: FromPath[str]) -> Template:
        entry = await services.get_entry(slug)
        return await _budget_form(entry, await budget.form_rows(slug), {})

    @post("/", name="register_budget_submit")
    async def save(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        rows = []
        for i in range(budget.MAX_ROWS + BLANK_BUDGET_ROWS):
            if f"source_{i}" in form:
                rows.append({name: form.get(f"{name}_{i}") or "" for name in BUDGET_FIELDS})
        try:
            await budget.replace_budget_lines(request.user, slug, rows)
        except FormErrors as exc:
            entry = await services.get_entry(slug)
            return await _budget_form(entry, rows, exc.errors, status_code=422, blank=0)
        flash(request, gettext("The budget has been saved."), category="success")
        return Redirect(f"/register/{slug}#budget-title", status_code=303)


async def _budget_form(
    entry: dict[str, Any],
    rows: list[dict[str, Any]],
    errors: dict[str, Any],
    status_code: int = 200,
    blank: int = BLANK_BUDGET_ROWS,
) -> Template:
    rows = list(rows) + [dict.fromkeys(BUDGET_FIELDS, "") for _ in range(blank)]
    return Template(
        "register/budget.html",
        status_code=status_code,
        context={
            "entry": entry,
            "rows": rows[: budget.MAX_ROWS + BLANK_BUDGET_ROWS],
            "errors": errors,
            "sources": await budget.sources_in_use(),
            "first_year": budget.FIRST_YEAR,
            "last_year": budget.LAST_YEAR,
        },
    )


def _today(settings: Settings) -> date:
    return utcnow().astimezone(ZoneInfo(settings.city.timezone)).date()


class CouncilReportPages(Controller):
    include_in_schema = False

    @get("/register/report", name="register_report")
    async def page(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        today = _today(settings)
        try:
            period = report.parse_period(request.query_params, today)
        except FormErrors as exc:
            shown = {name: request.query_params.get(name) or "" for name in ("from", "to")}
            return Template(
                "register/report.html",
                status_code=422,
                context={"errors": exc.errors, "values": shown, "report": None},
            )
        data = await report.build_report(period, settings.city.timezone, get_locale())
        query = f"from={period.start.isoformat()}&to={period.end.isoformat()}"
        return Template(
            "register/report.html",
            context={
                "errors": {},
                "values": {"from": period.start.isoformat(), "to": period.end.isoformat()},
                "report": data,
                "query": query,
                "can_edit": can_edit_register(request.user),
            },
        )

    @get("/register/report.csv", name="register_report_csv")
    async def csv(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        try:
            period = report.parse_period(request.query_params, _today(settings))
        except FormErrors as exc:
            return _problem(exc)
        data = await report.build_report(period, settings.city.timezone, settings.city.default_locale)
        name = f"register-report-{settings.city.slug}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
        return Response(
            report.to_csv(data).encode(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @get("/register/report.json", name="register_report_json")
    async def json(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        try:
            period = report.parse_period(request.query_params, _today(settings))
        except FormErrors as exc:
            return _problem(exc)
        data = await report.build_report(period, settings.city.timezone, settings.city.default_locale)
        document = report.to_json(data, settings.base_url, settings.city.name)
        return Response(msgspec.json.encode(document), media_type="application/json")


def _problem(exc: FormErrors) -> Response:
    return problem(422, "The period is not valid.", {name: [str(message)] for name, message in exc.errors.items()})
