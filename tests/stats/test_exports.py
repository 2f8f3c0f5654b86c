"""Staff exports (CSV and XLSX) on the known dataset: staff only, filtered like the page, no participant's name
or email, formula cells neutralised; and the public figures name nobody either."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from selectolax.lexbor import LexborHTMLParser

from ideas.tables import Comment, Idea
from participation.accounts.tables import Role
from participation.register import exports as register_exports
from participation.stats import exports
from tests.helpers import make_account, sign_in
from tests.stats import dataset

pytestmark = pytest.mark.anyio

# The dataset's participants and the staff member (the register's public team address is no person's).
PERSONAL = ("Auteur", "Steuner", "Moderator Mila", "@example.org")


@pytest.fixture
async def staff_client(client, settings):
    await dataset.load(settings)
    await make_account(settings, email="moderator@example.org", name="Moderator Mila", role=Role.moderator)
    await sign_in(client, "moderator@example.org")
    return client


async def download_links(client, query: str = "") -> dict[str, str]:
    page = await client.get(f"/stats/exports{query}")
    assert page.status_code == 200
    return {
        a.attributes["href"].split("?")[0].rsplit("/", 1)[1]: a.attributes["href"]
        for a in LexborHTMLParser(page.text).css("main a[download]")
    }


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_every_export_in_both_formats_with_its_documented_columns(staff_client):
    links = await download_links(staff_client)
    assert set(links) == {f"{name}.{ext}" for name in exports.DATASETS for ext in ("csv", "xlsx")}
    columns = {
        "ideas": exports.IDEA_COLUMNS,
        "comments": exports.COMMENT_COLUMNS,
        "supports": exports.SUPPORT_COLUMNS,
        "decisions": exports.DECISION_COLUMNS,
        "register": register_exports.COLUMNS,
    }
    for name, expected in columns.items():
        response = await staff_client.get(links[f"{name}.csv"])
        header = next(csv.reader(io.StringIO(response.text)))
        assert tuple(header) == tuple(expected), name
        workbook = load_workbook(io.BytesIO((await staff_client.get(links[f"{name}.xlsx"])).content), read_only=True)
        sheet_rows = list(workbook.active.iter_rows(values_only=True))
        assert tuple(sheet_rows[0]) == tuple(expected), name
        assert len(sheet_rows) == len(response.text.strip().split("\r\n")), name  # same rows in both formats
        # Staff exports hold no participant's name or email either.
        for marker in PERSONAL:
            assert marker not in response.text, (name, marker)


async def test_the_figures_in_the_exports(staff_client, settings):
    links = await download_links(staff_client)
    ideas = csv_rows(await staff_client.get(links["ideas.csv"]))
    assert [(r["theme"], r["status"], r["support_count"]) for r in ideas] == [
        ("mobility", "published", "2"),
        ("mobility", "routed", "3"),
        ("energy", "rejected", "0"),
        ("energy", "published", "1"),
    ]  # fmt: skip
    assert ideas[1]["register_entry"] == "e1" and ideas[1]["routed_at"].startswith("2026-06-02T00:00:00")
    assert ideas[0]["url"] == f"{settings.base_url.rstrip('/')}/ideas/{ideas[0]['id']}"

    supports = csv_rows(await staff_client.get(links["supports.csv"]))
    ids = {r["id"]: letter for r, letter in zip(ideas, "ABCD", strict=True)}
    per_day = [(ids[r["idea_id"]], r["day"], r["supports"]) for r in supports]
    # Days in UTC: B's first support (22:45 UTC on 31 May) stays on 31 May here.
    assert per_day == [
        ("A", "2026-05-11", "1"), ("A", "2026-06-14", "1"),
        ("B", "2026-05-31", "1"), ("B", "2026-06-02", "2"),
        ("D", "2024-02-01", "1"),
    ]  # fmt: skip

    decisions = csv_rows(await staff_client.get(links["decisions.csv"]))
    turnaround = [(ids[r["target_id"]], r["action"], r["turnaround_hours"]) for r in decisions]
    # Only the first decision on a submission has a turnaround; the note is no decision on it.
    assert sorted(turnaround) == [
        ("A", "note", ""),
        ("A", "publish", "6.0"),
        ("B", "publish", "12.0"),
        ("C", "reject", "12.0"),
        ("D", "publish", "2.0"),
    ]  # fmt: skip

    comments = csv_rows(await staff_client.get(links["comments.csv"]))
    assert [(ids[r["idea_id"]], r["body"]) for r in comments] == [
        ("A", "Goed idee!"),
        ("B", "Goed idee!"),
        ("B", "Goed idee!"),
    ]


async def test_exports_are_filtered_like_the_page(staff_client):
    links = await download_links(staff_client, "?theme=energy&start=2026-01-01")
    assert links["ideas.csv"].endswith("?start=2026-01-01&theme=energy")
    ideas = csv_rows(await staff_client.get(links["ideas.csv"]))
    assert [r["status"] for r in ideas] == ["rejected"]  # C; D (energy) is from 2024
    register = csv_rows(await staff_client.get(links["register.csv"]))
    assert [r["slug"] for r in register] == ["e2", "e3"]
    decisions = csv_rows(await staff_client.get(links["decisions.csv"]))
    assert [r["action"] for r in decisions] == ["reject"]


async def test_formula_cells_are_neutralised_in_csv_and_xlsx(staff_client):
    idea = await Idea.objects().order_by(Idea.id).first()
    await Idea.update({Idea.title: '=HYPERLINK("http://evil")'}).where(Idea.id == idea.id)
    await Comment.update({Comment.body: "@SUM(A1)"}, force=True)
    links = await download_links(staff_client)
    ideas = csv_rows(await staff_client.get(links["ideas.csv"]))
    assert ideas[0]["title"] == '\'=HYPERLINK("http://evil")'
    comments = csv_rows(await staff_client.get(links["comments.csv"]))
    assert {r["body"] for r in comments} == {"'@SUM(A1)"}
    workbook = load_workbook(io.BytesIO((await staff_client.get(links["ideas.xlsx"])).content))
    cell = workbook.active["D2"]  # title
    assert cell.value == '\'=HYPERLINK("http://evil")' and cell.data_type == "s"


async def test_only_moderators_editors_and_admins_export(client, settings):
    await dataset.load(settings)
    await make_account(settings, email="member@example.org", name="Member")
    await make_account(settings, email="editor@example.org", name="Redactie", role=Role.editor)
    client.follow_redirects = False
    anonymous = await client.get("/stats/exports/ideas.csv")
    assert anonymous.status_code in (302, 303, 401)
    await sign_in(client, "member@example.org")
    assert (await client.get("/stats/exports/ideas.csv")).status_code == 403
    assert "/stats/exports" not in (await client.get("/stats")).text
    client.cookies.clear()
    await sign_in(client, "editor@example.org")
    assert (await client.get("/stats/exports/ideas.csv")).status_code == 200
    assert 'href="/stats/exports"' in (await client.get("/stats")).text
    assert (await client.get("/stats/exports/accounts.csv")).status_code == 404
    assert (await client.get("/stats/exports/ideas.pdf")).status_code == 404


async def test_the_public_figures_name_nobody(client, settings):
    await dataset.load(settings)
    public = [await client.get(url) for url in ("/stats", "/stats.csv", "/api/v1/stats")]
    assert all(response.status_code == 200 for response in public)
    for response in public:
        for marker in PERSONAL:
            assert marker not in response.text
