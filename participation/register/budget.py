"""Budget lines per entry: which funding source gives how much in which year, planned and spent.

The source is free text (with the sources already in use offered as suggestions): funding comes
from the city's own budget, provincial and national subsidies, EU programmes and partners'
contributions, and a fixed list would push most of it into "other".

How the older single figure `RegisterEntry.budget_eur` relates: it is the entry's total planned
budget. Without budget lines it is the editor's one figure; once an entry has budget lines, saving
them sets `budget_eur` to their planned sum in the same transaction, so the open-data column and
the entry's facts keep meaning "total planned". Totals (per programme line, in the council report)
use the budget lines where an entry has them and count `budget_eur` as planned (with nothing known
spent) only for entries without any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from participation.accounts.tables import Account
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.permissions import can_edit_register
from participation.register.tables import RegisterBudgetLine, RegisterEntry
from participation.validation import DomainError, Errors, Message, clean_text

MAX_ROWS = 40
MAX_EUR = 10**12
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _amount(value: object, errors: Errors, field: str, required: bool) -> int:
    text = clean_text(value).replace(".", "").replace(" ", "").removeprefix("€")
    if not text:
        if required:
            errors.add(field, N_("Enter an amount in whole euros."))
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 13:
        errors.add(field, N_("Enter an amount in whole euros."))
        return 0
    number = int(text)
    if number > MAX_EUR:
        errors.add(field, Message(N_("Enter a number from %(min)s to %(max)s."), min=0, max=MAX_EUR))
        return 0
    return number


def clean_budget_lines(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate the rows of the budget form (numbered from 0); blank and removed rows are dropped.

    Errors are keyed `<field>_<row>`, the names the form posts, so each message sits at its field.
    """
    errors = Errors()
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for i, row in enumerate(rows):
        if clean_text(row.get("remove")):
            continue
        source, year_text = clean_text(row.get("source")), clean_text(row.get("year"))
        planned_text, spent_text = clean_text(row.get("planned_eur")), clean_text(row.get("spent_eur"))
        if not (source or year_text or planned_text or spent_text):
            continue  # a blank row the form offers for adding
        if not 2 <= len(source) <= 120:
            errors.add(f"source_{i}", N_("Name the funding source (2 to 120 characters)."))
        year = int(year_text) if year_text.isascii() and year_text.isdigit() and len(year_text) == 4 else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            message = Message(N_("Enter a year from %(first)s to %(last)s."), first=FIRST_YEAR, last=LAST_YEAR)
            errors.add(f"year_{i}", message)
        planned = _amount(planned_text, errors, f"planned_eur_{i}", required=True)
        spent = _amount(spent_text, errors, f"spent_eur_{i}", required=False)
        if year is not None and source:
            key = (source.casefold(), year)
            if key in seen:
                errors.add(f"source_{i}", N_("This source already has a row for this year: change that row instead."))
            seen[key] = i
        out.append({"source": source, "year": year, "planned_eur": planned, "spent_eur": spent})
    if len(out) > MAX_ROWS:
        errors.add("form", Message(N_("An entry has at most %(max)s budget lines."), max=MAX_ROWS))
    errors.raise_if_any()
    return out


async def replace_budget_lines(account: Account | None, slug: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """An editor saves an entry's budget lines (all rows at once); returns how many it has now."""
    if not can_edit_register(account):
        raise DomainError(N_("Only register editors can change the register."), 403)
    lines = clean_budget_lines(rows)
    async with write_transaction():
        # The entry's row lock queues two editors saving at once: one's rows replace the other's, never a mix.
        entry = await for_update(RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.slug == slug)).first()
        if entry is None:
            raise DomainError(N_("There is no register entry at this address."), 404)
        await RegisterBudgetLine.delete().where(RegisterBudgetLine.entry == entry["id"])
        if lines:
            await RegisterBudgetLine.insert(
                *[RegisterBudgetLine(entry=entry["id"], position=i, **line) for i, line in enumerate(lines)]
            )
        changes: dict[Any, Any] = {RegisterEntry.updated_at: utcnow()}
        if lines:
            changes[RegisterEntry.budget_eur] = sum(line["planned_eur"] for line in lines)
        await RegisterEntry.update(changes).where(RegisterEntry.id == entry["id"])
    return len(lines)


async def entry_budget(slug: str) -> dict[str, Any]:
    """An entry's budget lines (by year, then source) with totals per year and overall."""
    lines = (
        await RegisterBudgetLine.select(
            RegisterBudgetLine.source,
            RegisterBudgetLine.year,
            RegisterBudgetLine.planned_eur,
            RegisterBudgetLine.spent_eur,
        )
        .where(RegisterBudgetLine.entry.slug == slug)
        .order_by(RegisterBudgetLine.year, RegisterBudgetLine.position, RegisterBudgetLine.id)
    )
    years: dict[int, dict[str, int]] = {}
    for line in lines:
        year = years.setdefault(line["year"], {"planned_eur": 0, "spent_eur": 0})
        year["planned_eur"] += line["planned_eur"]
        year["spent_eur"] += line["spent_eur"]
    return {
        "lines": lines,
        "years": years,
        "planned_eur": sum(line["planned_eur"] for line in lines),
        "spent_eur": sum(line["spent_eur"] for line in lines),
    }


async def form_rows(slug: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in line.items()} for line in (await entry_budget(slug))["lines"]]


async def sources_in_use(limit: int = 50) -> list[str]:
    """Funding sources already named in the register: suggestions, so one source is spelled one way."""
    rows = await RegisterBudgetLine.raw(
        "SELECT source, COUNT(*) AS n FROM register_budget_line GROUP BY source ORDER BY n DESC, source LIMIT {}",
        limit,
    )
    return [row["source"] for row in rows]


async def budget_totals_by_line(years: tuple[int, int] | None = None) -> dict[str | None, dict[str, int]]:
    """Planned and spent per programme line slug over public entries (two grouped queries).

    `years` (first, last) counts only the budget lines of those years; the single `budget_eur`
    has no year, so it counts (for entries without budget lines) only in the all-years total.
    """
    totals: dict[str | None, dict[str, int]] = {}
    year_clause, params = "", []
    if years:
        year_clause, params = " AND b.year >= {} AND b.year <= {}", [years[0], years[1]]
    rows = await RegisterBudgetLine.raw(
        "SELECT e.programme_line AS line, SUM(b.planned_eur) AS planned, SUM(b.spent_eur) AS spent "
        "FROM register_budget_line b JOIN register_entry e ON e.id = b.entry "
        "WHERE e.draft = {}" + year_clause + " GROUP BY e.programme_line",
        False,
        *params,
    )
    for row in rows:
        totals[row["line"]] = {"planned_eur": int(row["planned"] or 0), "spent_eur": int(row["spent"] or 0)}
    if years is None:
        rows = await RegisterEntry.raw(
            "SELECT programme_line AS line, SUM(budget_eur) AS planned FROM register_entry e "
            "WHERE draft = {} AND budget_eur IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM register_budget_line b WHERE b.entry = e.id) GROUP BY programme_line",
            False,
        )
        for row in rows:
            line = totals.setdefault(row["line"], {"planned_eur": 0, "spent_eur": 0})
            line["planned_eur"] += int(row["planned"] or 0)
    return totals


async def entry_budget_context(request: Any, entry: dict[str, Any], entry_id: int) -> dict[str, Any]:
    """What the entry page's budget block (templates/register/_budget.html) shows."""
    return {"budget": await entry_budget(entry["slug"])}
