"""Every public figure against the known dataset (tests/stats/dataset.py), counted by hand, on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from participation.stats.figures import compute
from participation.stats.filters import StatsFilters, parse_filters
from tests.stats import dataset

pytestmark = pytest.mark.anyio


def by_slug(rows):
    return {row["slug"]: row for row in rows}


async def test_figures_without_filters(settings):
    await dataset.load(settings)
    figures = await compute(settings, StatsFilters(), dataset.NOW, dataset.TODAY)

    months = figures["months"]
    assert len(months) == 24 and months[0]["month"] == "2024-07" and months[-1]["month"] == "2026-06"
    active = {
        m["month"]: (m["ideas"], m["supports"], m["comments"])
        for m in months
        if any(m[k] for k in ("ideas", "supports", "comments"))
    }
    # B (31 May 22:30 UTC) and one of its supports (22:45 UTC) fall on 1 June in Amsterdam; D is older than 24 months.
    assert active == {"2026-04": (1, 0, 0), "2026-05": (1, 1, 1), "2026-06": (1, 4, 2)}

    places = by_slug(figures["neighbourhoods"])
    assert (places["dorp"]["ideas"], places["dorp"]["supports"], places["dorp"]["population"]) == (2, 5, 8500)
    assert places["dorp"]["ideas_per_1000"] == round(2 * 1000 / 8500, 2) == 0.24
    assert places["dorp"]["supports_per_1000"] == round(5 * 1000 / 8500, 2) == 0.59
    assert (places["oosterheem"]["ideas"], places["oosterheem"]["ideas_per_1000"]) == (1, 0.04)  # 1000 / 22500
    # The whole city has no population of its own: no figure per 1,000 residents.
    assert (
        places["whole-city"]["ideas"],
        places["whole-city"]["supports"],
        places["whole-city"]["ideas_per_1000"],
    ) == (1, 1, None)
    assert places["centrum"]["ideas"] == 0 and places["centrum"]["ideas_per_1000"] == 0.0
    assert figures["populations_approximate"] is True

    themes = by_slug(figures["themes"])
    assert (themes["mobility"]["ideas"], themes["mobility"]["pilots"], themes["mobility"]["supports"]) == (1, 1, 5)
    assert (themes["energy"]["ideas"], themes["energy"]["pilots"], themes["energy"]["supports"]) == (2, 0, 1)
    assert figures["scopes"] == {"narrow": 3, "broad": 1}

    assert figures["funnel"] == {
        "submitted": 4,
        "published": 3,
        "routed": 1,
        "planned": 1,  # E1; E3 (from A) is still received: not an outcome yet
        "running": 0,
        "completed": 0,
        "stopped": 0,
        "declined": 0,
    }

    register = figures["register"]
    assert register["total"] == 3
    assert register["by_status"] == {
        "received": 2,
        "under_assessment": 0,
        "planned": 1,
        "running": 0,
        "completed": 0,
        "stopped": 0,
        "declined": 0,
    }
    lines = {row["slug"]: row for row in register["by_programme_line"]}
    assert lines["applied-innovation"]["by_status"]["planned"] == 1 and lines["applied-innovation"]["total"] == 1
    assert lines["sustainable-city"]["by_status"]["received"] == 1
    assert lines[None]["total"] == 1  # E2 has no programme line yet
    assert lines["healthy-city"]["total"] == 0
    assert register["personal_data"] == {"yes": 1, "no": 1, "unknown": 1, "share_percent": 33.3}
    assert register["dpia"] == {"not_needed": 1, "planned": 0, "done": 1, "unknown": 1}
    assert register["overdue"] == 1  # E2: due 1 June, still received on 15 June
    # Routing to the first municipal update: E1 3 days, E3 1 day; the median of two is their mean.
    assert (register["responded"], register["median_response_days"]) == (2, 2.0)

    # First decision on each submission: A 6 h (the earlier note is no decision), B 12 h, C 12 h, D 2 h.
    assert figures["moderation"] == {"decided": 4, "median_hours": (6 + 12) / 2}


async def test_figures_for_a_period_in_the_city_time_zone(settings):
    await dataset.load(settings)
    filters = parse_filters(settings, {"start": "2026-06-01", "end": "2026-06-30"})
    figures = await compute(settings, filters, dataset.NOW, dataset.TODAY)

    active = {
        m["month"]: (m["ideas"], m["supports"], m["comments"])
        for m in figures["months"]
        if m["ideas"] or m["supports"] or m["comments"]
    }
    assert active == {"2026-06": (1, 4, 2)}  # B and its supports count: 1 June in Amsterdam
    assert figures["months"][-1]["month"] == "2026-06"
    assert figures["funnel"]["submitted"] == 1 and figures["funnel"]["routed"] == 1
    assert by_slug(figures["neighbourhoods"])["dorp"]["supports"] == 3
    assert figures["moderation"] == {"decided": 1, "median_hours": 12.0}
    # Entries created in June: E1 and E3 (E2 is from May).
    assert figures["register"]["total"] == 2 and figures["register"]["overdue"] == 0


async def test_figures_for_a_theme_and_a_neighbourhood(settings):
    await dataset.load(settings)
    mobility = await compute(settings, parse_filters(settings, {"theme": "mobility"}), dataset.NOW, dataset.TODAY)
    active = {
        m["month"]: (m["ideas"], m["supports"], m["comments"])
        for m in mobility["months"]
        if m["ideas"] or m["supports"] or m["comments"]
    }
    assert active == {"2026-05": (1, 1, 1), "2026-06": (1, 4, 2)}
    assert mobility["funnel"]["submitted"] == 2
    assert mobility["register"]["total"] == 1 and mobility["register"]["by_status"]["planned"] == 1
    assert mobility["moderation"]["median_hours"] == 9.0  # A 6 h, B 12 h

    oosterheem = await compute(
        settings, parse_filters(settings, {"neighbourhood": "oosterheem"}), dataset.NOW, dataset.TODAY
    )
    assert oosterheem["funnel"]["submitted"] == 1 and oosterheem["funnel"]["published"] == 0
    assert sum(m["supports"] for m in oosterheem["months"]) == 0
    assert oosterheem["register"]["total"] == 0 and oosterheem["register"]["median_response_days"] is None
    assert oosterheem["register"]["personal_data"]["share_percent"] is None


async def test_unknown_filter_values_are_ignored(settings):
    filters = parse_filters(
        settings, {"theme": "nope", "neighbourhood": "<b>", "start": "31-12-2026", "end": "2026-01-01"}
    )
    assert filters == StatsFilters(end=date(2026, 1, 1))
    swapped = parse_filters(settings, {"start": "2026-02-01", "end": "2026-01-01"})
    assert (swapped.start, swapped.end) == (date(2026, 1, 1), date(2026, 2, 1))
