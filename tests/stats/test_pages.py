"""`/stats`, `/stats.csv` and `/api/v1/stats` on the known dataset: the same numbers everywhere, accessible
SVG that the Content-Security-Policy allows, a bounded number of queries and none when cached."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from selectolax.lexbor import LexborHTMLParser

from participation.stats import controllers
from tests.query_counter import counting_queries, plain_client
from tests.stats import dataset

pytestmark = pytest.mark.anyio

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
async def known_data(settings, monkeypatch):
    monkeypatch.setattr(controllers, "utcnow", lambda: dataset.NOW)
    return await dataset.load(settings)


def charts_on(html: str) -> dict[str, ET.Element]:
    page = LexborHTMLParser(html)
    return {node.attributes["id"]: ET.fromstring(node.html) for node in page.css("svg.stats-chart")}


def printed_values(svg: ET.Element) -> list[str]:
    overlay = next(g for g in svg.iter(f"{SVG}g") if "text-overlay" in g.get("class", ""))
    return [text.text for text in overlay.iter(f"{SVG}text")]


async def test_the_page_shows_every_chart_as_accessible_svg_with_the_json_numbers(client, known_data):
    figures = (await client.get("/api/v1/stats")).json()
    response = await client.get("/stats?lang=en")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    page = LexborHTMLParser(response.text)
    charts = charts_on(response.text)
    assert set(charts) == {
        "chart-month-ideas", "chart-month-supports", "chart-month-comments", "chart-place-ideas",
        "chart-place-supports", "chart-place-ideas_per_1000", "chart-place-supports_per_1000", "chart-themes",
        "chart-scopes", "chart-funnel", "chart-lines", "chart-status", "chart-dpia",
    }  # fmt: skip
    for chart_id, svg in charts.items():
        # Labelled by its own title and one-sentence summary, the same as the heading and text beside it.
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.get("id") == f"{chart_id}-title" and desc.get("id") == f"{chart_id}-desc"
        assert page.css_first(f"#{chart_id}-heading").text() == title.text
        assert (
            desc.text.endswith(".")
            and desc.text in page.css_first(f"section[aria-labelledby='{chart_id}-heading']").text()
        )
        # Nothing the Content-Security-Policy would block.
        source = ET.tostring(svg, encoding="unicode")
        assert "<script" not in source and "style" not in source.replace("stats-", "")
        # Its data as a table behind a disclosure.
        assert (
            page.css_first(f"section[aria-labelledby='{chart_id}-heading'] details table caption").text() == title.text
        )

    # Bars top-down in the configuration's order (pygal draws them bottom-up, so the SVG lists them reversed).
    assert printed_values(charts["chart-place-ideas"])[::-1] == [str(p["ideas"]) for p in figures["neighbourhoods"]]
    assert charts["chart-place-ideas"].find(f"{SVG}desc").text == "4 in total; the most in Dorp (2)."
    per_1000 = printed_values(charts["chart-place-ideas_per_1000"])
    assert "0.24" in per_1000 and "0.04" in per_1000  # Dorp and Oosterheem, as in the JSON
    assert printed_values(charts["chart-funnel"])[::-1] == [str(v) for v in figures["funnel"].values()]
    month_rows = page.css("section[aria-labelledby='chart-month-supports-heading'] tbody tr")
    assert [int(row.css("td")[0].text()) for row in month_rows] == [m["supports"] for m in figures["months"]]
    assert month_rows[-1].css_first("th").text() == "Jun 2026"


async def test_the_page_speaks_dutch_by_default(client, known_data):
    response = await client.get("/stats")
    assert response.status_code == 200
    charts = charts_on(response.text)
    assert charts["chart-place-ideas"].find(f"{SVG}title").text == "Ideeën per wijk"
    assert "Hele stad" in response.text and "jun 2026" in response.text


async def test_the_json_and_the_csv_carry_the_same_figures(client, known_data):
    figures = (await client.get("/api/v1/stats?theme=mobility")).json()
    assert figures["filters"]["theme"] == "mobility" and figures["funnel"]["submitted"] == 2
    assert figures["moderation"] == {"decided": 2, "median_hours": 9.0}
    response = await client.get("/stats.csv?theme=mobility")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    values = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert values[("month", "2026-06", "supports")] == "4"
    assert values[("neighbourhood", "dorp", "ideas_per_1000")] == "0.24"
    assert values[("funnel", "submitted", "ideas")] == "2"
    assert values[("register", "median_response", "days")] == "3.0"  # only E1 is about mobility
    assert values[("moderation", "median_turnaround", "hours")] == "9.0"
    assert values[("register", "overdue", "projects")] == "0"


async def test_a_bounded_number_of_queries_and_none_when_cached(settings, known_data):
    async with plain_client(settings) as client:
        with pytest.MonkeyPatch.context() as patch, counting_queries(patch) as statements:
            first = await client.get("/stats?lang=en")
        assert first.status_code == 200
        assert len(statements) == 8  # the figures' eight aggregate statements, whatever the data size
        with pytest.MonkeyPatch.context() as patch, counting_queries(patch) as statements:
            again = await client.get("/stats?lang=en")
            dutch = await client.get("/stats?lang=nl")  # the charts in another language: from the cached figures
            api = await client.get("/api/v1/stats")
            csv_file = await client.get("/stats.csv")
        assert again.status_code == dutch.status_code == api.status_code == csv_file.status_code == 200
        assert statements == []
        assert again.text == first.text
        with pytest.MonkeyPatch.context() as patch, counting_queries(patch) as statements:
            assert (await client.get("/stats?theme=energy")).status_code == 200
        assert len(statements) == 8  # other filters: figures of their own


async def test_filters_are_kept_in_the_form_and_the_links(client, known_data):
    response = await client.get("/stats?theme=energy&start=2026-01-01&end=2026-06-30&neighbourhood=oosterheem")
    page = LexborHTMLParser(response.text)
    assert page.css_first("#filter-theme option[selected]").attributes["value"] == "energy"
    assert page.css_first("#filter-start").attributes["value"] == "2026-01-01"
    links = [a.attributes["href"] for a in page.css(".stats-downloads a")]
    assert "/stats.csv?start=2026-01-01&end=2026-06-30&theme=energy&neighbourhood=oosterheem" in links
    assert "/stats/exports" not in " ".join(links)  # staff only
