"""Budget lines per entry: editors keep them on their own page, the entry shows them, lines sum them."""

from __future__ import annotations

import asyncio

import pytest

from participation.register import budget, programme
from participation.register.tables import RegisterBudgetLine, RegisterEntry
from tests.forms import follow, open_form, page_problems, text_of
from tests.helpers import csrf_from, sign_in

pytestmark = pytest.mark.anyio


async def budget_form(client, slug: str):
    return await open_form(client, f"/register/{slug}/budget", action=f"/register/{slug}/budget")


async def stored(slug: str) -> list[tuple[str, int, int, int]]:
    rows = (
        await RegisterBudgetLine.select(
            RegisterBudgetLine.source,
            RegisterBudgetLine.year,
            RegisterBudgetLine.planned_eur,
            RegisterBudgetLine.spent_eur,
        )
        .where(RegisterBudgetLine.entry.slug == slug)
        .order_by(RegisterBudgetLine.position)
    )
    return [(r["source"], r["year"], r["planned_eur"], r["spent_eur"]) for r in rows]


async def test_an_editor_adds_edits_and_removes_budget_lines_and_the_entry_shows_them(client, editor, new_entry):
    entry = await new_entry(budget_eur=99_000)
    await sign_in(client, editor.email)
    before = await client.get(f"/register/{entry.slug}")
    assert "nog niet uitgesplitst" in text_of(before, "#budget-title + *")  # the single figure, not broken down

    form = await budget_form(client, entry.slug)
    form.fill(
        source_0="Gemeentelijk budget Smart City",
        year_0="2025",
        planned_eur_0="40.000",
        spent_eur_0="12500",
        source_1="Provincie Zuid-Holland (subsidie)",
        year_1="2026",
        planned_eur_1="25000",
    )
    page = await follow(client, await form.submit(client))
    assert await stored(entry.slug) == [
        ("Gemeentelijk budget Smart City", 2025, 40_000, 12_500),
        ("Provincie Zuid-Holland (subsidie)", 2026, 25_000, 0),
    ]
    table = text_of(page, "#budget-title ~ div table")
    assert "Provincie Zuid-Holland (subsidie)" in table and "€ 65.000" in table and "€ 12.500" in table
    # The single figure now means "total planned": the sum of the lines.
    assert (await RegisterEntry.select(RegisterEntry.budget_eur).where(RegisterEntry.id == entry.id).first())[
        "budget_eur"
    ] == 65_000

    form = await budget_form(client, entry.slug)
    form.fill(remove_0=True, spent_eur_1="3000")
    await follow(client, await form.submit(client))
    assert await stored(entry.slug) == [("Provincie Zuid-Holland (subsidie)", 2026, 25_000, 3_000)]
    # Sources in use are offered as suggestions.
    assert 'value="Provincie Zuid-Holland (subsidie)"' in (await client.get(f"/register/{entry.slug}/budget")).text


@pytest.mark.parametrize(
    ("lang", "fields", "field", "message"),
    [
        ("nl", {"source_0": "Eigen budget", "year_0": "25", "planned_eur_0": "100"}, "year_0", "Vul een jaar in"),
        ("en", {"source_0": "Eigen budget", "year_0": "2025", "planned_eur_0": ""}, "planned_eur_0", "whole euros"),
        ("en", {"source_0": "Eigen budget", "year_0": "2025", "planned_eur_0": "-5"}, "planned_eur_0", "whole euros"),
        ("en", {"source_0": "", "year_0": "2025", "planned_eur_0": "100"}, "source_0", "funding source"),
        (
            "nl",
            {
                "source_0": "EU",
                "year_0": "2025",
                "planned_eur_0": "1",
                "source_1": "eu",
                "year_1": "2025",
                "planned_eur_1": "2",
            },
            "source_1",
            "al een regel",
        ),
    ],
)
async def test_budget_errors_show_at_the_field_and_nothing_is_saved(
    client, editor, new_entry, lang, fields, field, message
):
    entry = await new_entry()
    await sign_in(client, editor.email)
    form = await open_form(
        client, f"/register/{entry.slug}/budget?lang={lang}", action=f"/register/{entry.slug}/budget"
    )
    response = await form.fill(**fields).submit(client)
    assert response.status_code == 422
    problems = page_problems(response)
    assert message in problems.fields.get(field, ""), problems
    assert await stored(entry.slug) == []


async def test_budget_totals_per_line_equal_the_sum_of_its_entries_budget_lines(settings, editor, new_entry, client):
    line = "accessible-city"
    a = await new_entry(title="Parkeersensoren in het centrum", programme_line=line)
    b = await new_entry(title="Slimme verkeerslichten op de ring", programme_line=line)
    single = await new_entry(title="Deelscooters bij het station", programme_line=line, budget_eur=7_000)
    draft = await new_entry(title="Concept voor een mobiliteitshub", programme_line=line)
    other = await new_entry(title="Zonnedaken met de coöperatie", programme_line="sustainable-city")
    await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == draft.id)
    plans = {
        a.slug: [("Gemeente", "2025", "10000", "4000"), ("Rijk", "2026", "30000", "0")],
        b.slug: [("Gemeente", "2025", "5500", "5500")],
        draft.slug: [("Gemeente", "2025", "1000000", "0")],
        other.slug: [("EU", "2025", "80000", "100")],
    }
    for slug, rows in plans.items():
        await budget.replace_budget_lines(
            editor, slug, [{"source": s, "year": y, "planned_eur": p, "spent_eur": x} for s, y, p, x in rows]
        )

    # Independently: the public entries of the line, their budget lines, and the one single figure.
    public = [a.slug, b.slug]
    expected_planned = sum(int(r[2]) for slug in public for r in plans[slug]) + 7_000
    expected_spent = sum(int(r[3]) for slug in public for r in plans[slug])
    figures = await programme.figures_for(line)
    assert (figures["planned_eur"], figures["spent_eur"]) == (expected_planned, expected_spent) == (52_500, 9_500)
    assert (await budget.budget_totals_by_line((2025, 2025)))[line] == {"planned_eur": 15_500, "spent_eur": 9_500}
    assert single.slug not in plans  # counted through its budget_eur only

    page = await client.get(f"/register/lines/{line}")
    shown = text_of(page, "#line-budget")
    assert "€ 52.500" in shown and "€ 9.500" in shown


async def test_two_editors_saving_at_once_leave_one_complete_set_of_lines(client, editor, new_entry):
    entry = await new_entry()
    await sign_in(client, editor.email)
    token = csrf_from((await client.get(f"/register/{entry.slug}/budget")).text)

    def rows(source: str, n: int) -> dict[str, str]:
        data = {"_csrf_token": token}
        for i in range(n):
            data |= {f"source_{i}": source, f"year_{i}": str(2025 + i), f"planned_eur_{i}": "100", f"spent_eur_{i}": ""}
        return data

    answers = await asyncio.gather(
        *[client.post(f"/register/{entry.slug}/budget", data=rows(f"Bron {k}", 3)) for k in range(4)]
    )
    assert all(a.status_code == 303 for a in answers), [a.status_code for a in answers]
    lines = await stored(entry.slug)
    assert len(lines) == 3 and len({source for source, *_ in lines}) == 1


async def test_the_budget_page_is_for_editors_only(client, member, new_entry):
    entry = await new_entry()
    await sign_in(client, member.email)
    assert (await client.get(f"/register/{entry.slug}/budget")).status_code == 403
    with pytest.raises(Exception, match="editors"):
        await budget.replace_budget_lines(member, entry.slug, [])
    assert (await client.get("/register/no-such-entry/budget")).status_code in (403, 404)


async def test_the_demo_register_has_budget_lines_that_add_up_to_its_budget(settings, client):
    from participation.register.demo import load_register_demo

    await load_register_demo(settings)
    shown = await budget.entry_budget("slimme-parkeersensoren")
    assert len(shown["lines"]) == 2 and shown["planned_eur"] == 180_000
    page = await client.get("/register/slimme-parkeersensoren")
    assert "Provincie Zuid-Holland (subsidie)" in text_of(page, "#budget-title ~ div table")
