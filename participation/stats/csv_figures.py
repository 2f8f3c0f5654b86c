"""`/stats.csv`: the public figures as one long table, one number per row.

Columns `section`, `item`, `measure`, `value`; the README ("Statistics and exports") lists every
section and measure. An empty value is a figure that is not known (a median without any case).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

COLUMNS = ("section", "item", "measure", "value")


def rows(figures: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    for month in figures["months"]:
        for measure in ("ideas", "supports", "comments"):
            yield "month", month["month"], measure, month[measure]
    for place in figures["neighbourhoods"]:
        for measure in ("ideas", "supports", "population", "ideas_per_1000", "supports_per_1000"):
            yield "neighbourhood", place["slug"], measure, place[measure]
    for theme in figures["themes"]:
        for measure in ("ideas", "pilots", "supports"):
            yield "theme", theme["slug"], measure, theme[measure]
    for scope, count in figures["scopes"].items():
        yield "scope", scope, "ideas", count
    for step, count in figures["funnel"].items():
        yield "funnel", step, "ideas", count
    register = figures["register"]
    for status, count in register["by_status"].items():
        yield "register_status", status, "projects", count
    for line in register["by_programme_line"]:
        for status, count in line["by_status"].items():
            yield "programme_line", line["slug"] or "", status, count
        yield "programme_line", line["slug"] or "", "total", line["total"]
    personal = register["personal_data"]
    for answer in ("yes", "no", "unknown"):
        yield "personal_data", answer, "projects", personal[answer]
    yield "personal_data", "yes", "percent", personal["share_percent"]
    for status, count in register["dpia"].items():
        yield "dpia", status, "projects", count
    yield "register", "total", "projects", register["total"]
    yield "register", "overdue", "projects", register["overdue"]
    yield "register", "responded", "projects", register["responded"]
    yield "register", "median_response", "days", register["median_response_days"]
    yield "moderation", "decided", "ideas", figures["moderation"]["decided"]
    yield "moderation", "median_turnaround", "hours", figures["moderation"]["median_hours"]


def to_csv(figures: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(figures):
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()
