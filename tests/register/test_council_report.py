"""The council report: its figures equal counts computed here, independently, from known histories."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from participation.register import budget, services
from participation.register.tables import RegisterEntry
from tests.forms import open_form, page_problems
from tests.register.conftest import LESSONS, entry_fields, with_goal

pytestmark = pytest.mark.anyio

AMS = ZoneInfo("Europe/Amsterdam")
PERIOD = (date(2026, 3, 1), date(2026, 6, 30))


def at(day: str, clock: str = "12:00", tz: ZoneInfo = AMS) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz).astimezone(UTC)


# Each entry: its programme line, whether it is a draft, its response due day (end of that day in the
# city), and its status history as (moment, status). The first status is the one it was added with.
HISTORIES = {
    "Slimme verkeerslichten op de ring": {
        "line": "accessible-city",
        "history": [
            (at("2026-01-10"), "received"),
            (at("2026-03-05"), "under_assessment"),
            (at("2026-04-01"), "planned"),
            (at("2026-05-20"), "running"),
        ],
    },
    "Parkeersensoren in het centrum": {
        "line": "accessible-city",
        "history": [(at("2026-02-01"), "running"), (at("2026-06-15"), "completed")],
    },
    "Bewonersidee: deelfietsen bij de winkels": {
        "line": "accessible-city",
        "due": "2026-06-20",
        "history": [(at("2026-06-01"), "received"), (at("2026-06-10"), "under_assessment")],  # answered in time
    },
    "Hittestress meten in wijken": {
        "line": "sustainable-city",
        "due": "2026-04-21",
        "history": [(at("2026-03-10"), "received"), (at("2026-05-01"), "under_assessment")],  # answered late
    },
    "Zonnedaken op scholen": {
        "line": "sustainable-city",
        # 30 June 22:30 UTC is 1 July 00:30 in Zoetermeer: after the period.
        "history": [(at("2026-06-30", "22:30", UTC), "planned")],
    },
    "Waterberging onder het plein": {
        "line": "sustainable-city",
        "due": "2026-05-01",
        "history": [(at("2026-04-02"), "received"), (at("2026-05-10"), "declined")],
    },
    "Valdetectie bij ouderen thuis": {
        "line": "healthy-city",
        # 28 February 23:30 UTC is 1 March 00:30 in Zoetermeer: inside the period.
        "history": [(at("2026-02-01"), "running"), (at("2026-02-28", "23:30", UTC), "stopped")],
    },
    "Concept: slimme zorgrobots": {
        "line": "healthy-city",
        "draft": True,
        "due": "2026-04-10",
        "history": [(at("2026-04-01"), "received"), (at("2026-04-20"), "under_assessment")],
    },
    "Idee zonder programmalijn: wifi in het park": {
        "line": None,
        "due": "2026-05-10",
        "history": [(at("2026-05-05"), "received")],  # never answered
    },
}
BUDGETS = {
    "Slimme verkeerslichten op de ring": [("Gemeente", 2025, 500, 500), ("Gemeente", 2026, 1000, 200)],
    "Hittestress meten in wijken": [("Provincie", 2026, 300, 0), ("Provincie", 2027, 700, 0)],
    "Concept: slimme zorgrobots": [("Gemeente", 2026, 9999, 9999)],  # a draft: never counted
}
SINGLE_BUDGET = {"Parkeersensoren in het centrum": 5000}  # no budget lines: planned in the total only


def due_moment(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.max.time().replace(microsecond=0), tzinfo=AMS).astimezone(
        UTC
    )


def expected_counts(now: datetime) -> dict[str | None, dict[str, int]]:
    """The report's rules, counted directly from HISTORIES (not through the application)."""
    begin = datetime.combine(PERIOD[0], datetime.min.time(), tzinfo=AMS)
    end = datetime.combine(PERIOD[1] + timedelta(days=1), datetime.min.time(), tzinfo=AMS)
    counts: dict[str | None, dict[str, int]] = {}
    keys = ("added", "status_changes", "started", "completed", "stopped", "declined", "overdue_responses", "lessons")
    for spec in HISTORIES.values():
        if spec.get("draft"):
            continue
        c = counts.setdefault(spec["line"], dict.fromkeys(keys, 0))
        for i, (moment, status) in enumerate(spec["history"]):
            if not begin <= moment < end:
                continue
            c["status_changes" if i else "added"] += 1
            reached = {"running": "started", "completed": "completed", "stopped": "stopped", "declined": "declined"}
            if status in reached:
                c[reached[status]] += 1
            if status in ("completed", "stopped"):
                c["lessons"] += 1
        if "due" in spec:
            due = due_moment(spec["due"])
            left = next((m for m, s in spec["history"][1:]), None)  # the first move on from `received`
            if begin <= due < end and due < now and (left is None or left > due):
                c["overdue_responses"] += 1
    return counts


@pytest.fixture
async def register_history(settings, editor, events, monkeypatch):
    """Build every entry of HISTORIES through the register's own use cases, at the given moments."""
    for title, spec in HISTORIES.items():
        (first, status), *rest = spec["history"]
        monkeypatch.setattr(services, "utcnow", lambda first=first: first)
        entry = await services.create_entry(
            settings,
            editor,
            entry_fields(
                title=title,
                programme_line=spec["line"],
                status=status,
                response_due_at=spec.get("due"),
                budget_eur=SINGLE_BUDGET.get(title),
                **LESSONS,
            ),
        )
        await with_goal(editor, entry.slug)  # what an entry needs before it is planned
        for moment, next_status in rest:
            monkeypatch.setattr(services, "utcnow", lambda moment=moment: moment)
            await services.post_update(
                settings,
                editor,
                entry.slug,
                text="Statuswijziging.",
                status=next_status,
                reason="Past niet binnen het programma." if next_status == "declined" else None,
                events=events,
            )
        if spec.get("draft"):
            await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == entry.id)
        if title in BUDGETS:
            await budget.replace_budget_lines(
                editor,
                entry.slug,
                [
                    {"source": s, "year": str(y), "planned_eur": str(p), "spent_eur": str(x)}
                    for s, y, p, x in BUDGETS[title]
                ],
            )
    monkeypatch.undo()


QUERY = f"from={PERIOD[0].isoformat()}&to={PERIOD[1].isoformat()}"


async def test_report_figures_equal_the_counts_of_the_histories(client, register_history):
    expected = expected_counts(datetime.now(UTC))
    # The fixture is built to cover every rule at least once.
    assert expected["accessible-city"] == {
        "added": 1,
        "status_changes": 5,
        "started": 1,
        "completed": 1,
        "stopped": 0,
        "declined": 0,
        "overdue_responses": 0,
        "lessons": 1,
    }
    assert expected["healthy-city"]["stopped"] == 1 and expected[None]["overdue_responses"] == 1

    document = (await client.get(f"/register/report.json?{QUERY}")).json()
    assert document["period"] == {"from": "2026-03-01", "to": "2026-06-30"}
    got = {line["programme_line"]: line for line in document["lines"]}
    for slug, counts in expected.items():
        report_counts = got[slug]["counts"]
        assert {k: report_counts["lessons_learned" if k == "lessons" else k] for k in counts} == counts, slug
    for slug in ("applied-innovation", "smart-municipality"):
        assert not any(got[slug]["counts"][k] for k in ("added", "status_changes", "overdue_responses"))
    assert "Concept: slimme zorgrobots" not in str(document)
    assert {e["title"] for e in got["sustainable-city"]["overdue_responses"]} == {
        "Hittestress meten in wijken",
        "Waterberging onder het plein",
    }
    assert got[None]["overdue_responses"][0]["responded_at"] is None
    assert [e["title"] for e in got["accessible-city"]["lessons"]] == ["Parkeersensoren in het centrum"]
    totals = document["totals"]
    assert totals["status_changes"] == sum(c["status_changes"] for c in expected.values())

    # Budgets: the period's year (2026) and all years, drafts left out.
    accessible = got["accessible-city"]["budget"]
    assert (accessible["period_planned_eur"], accessible["period_spent_eur"]) == (1000, 200)
    assert (accessible["planned_eur"], accessible["spent_eur"]) == (1500 + 5000, 700)
    assert got["sustainable-city"]["budget"]["period_planned_eur"] == 300
    assert got["sustainable-city"]["budget"]["planned_eur"] == 1000
    assert got["healthy-city"]["budget"]["planned_eur"] == 0

    # The CSV has the same figures, one row per line.
    csv_answer = await client.get(f"/register/report.csv?{QUERY}")
    assert csv_answer.headers["content-type"].startswith("text/csv")
    rows = {row["programme_line"] or None: row for row in csv.DictReader(io.StringIO(csv_answer.text))}
    for slug, counts in expected.items():
        assert int(rows[slug]["completed"]) == counts["completed"]
        assert int(rows[slug]["status_changes"]) == counts["status_changes"]
        assert int(rows[slug]["overdue_responses"]) == counts["overdue_responses"]
        assert int(rows[slug]["lessons_learned"]) == counts["lessons"]
    assert rows["accessible-city"]["planned_eur_total"] == "6500"

    # And so does the page for print.
    page = await client.get(f"/register/report?{QUERY}")
    assert page.status_code == 200
    for slug, counts in expected.items():
        section = page.text.split(f'id="section-line-{slug or "none"}"')[1].split("</section>")[0]
        shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', section))
        assert {k: int(v) for k, v in shown.items()} == counts, slug
    # Printed, the report is its content only, one programme line per page.
    assert "/static/programme.css" in page.text
    print_rules = (await client.get("/static/programme.css")).text.split("@media print", 1)[1]
    assert ".site-header" in print_rules and "break-before: page" in print_rules


async def test_the_report_form_refuses_reversed_and_bad_dates(client):
    form = await open_form(client, "/register/report", action="/register/report")
    response = await form.fill({"from": "2026-06-30", "to": "2026-03-01"}).submit(client)
    assert response.status_code == 422
    assert "kan niet voor het begin liggen" in page_problems(response).fields.get("to", "")

    bad = await client.get("/register/report?from=2026-02-30&to=2026-03-01&lang=en")
    assert bad.status_code == 422
    assert "YYYY-MM-DD" in page_problems(bad).fields.get("from", "")
    assert (await client.get("/register/report?from=2026-01-01")).status_code == 422


@pytest.mark.parametrize("suffix", [".json", ".csv"])
async def test_machine_variants_answer_bad_periods_with_problem_details(client, suffix):
    response = await client.get(f"/register/report{suffix}?from=2026-06-30&to=2026-03-01")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and "to" in body["errors"]


async def test_without_dates_the_report_shows_this_year_so_far(client):
    page = await client.get("/register/report")
    assert page.status_code == 200
    today = datetime.now(AMS).date()
    assert f'value="{today.year}-01-01"' in page.text and f'value="{today.isoformat()}"' in page.text
