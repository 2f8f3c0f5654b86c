"""The figures as readers see them: named in the reader's language, as charts with summaries and tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.numbers import format_decimal

from participation.city import CityConfig
from participation.i18n import N_, format_date, get_locale, gettext
from participation.stats.charts import Chart, Number, bar_chart

STATUS_LABELS = {
    "received": N_("Received"),
    "under_assessment": N_("Under assessment"),
    "planned": N_("Planned"),
    "running": N_("Running"),
    "completed": N_("Completed"),
    "stopped": N_("Stopped"),
    "declined": N_("Declined"),
}
FUNNEL_LABELS = {"submitted": N_("Submitted"), "published": N_("Published"), "routed": N_("Routed to the register")}
DPIA_LABELS = {"done": N_("Done"), "planned": N_("Planned"), "not_needed": N_("Not needed"), "unknown": N_("Unknown")}
SCOPE_LABELS = {"narrow": N_("Narrow"), "broad": N_("Broad")}


def number(value: Number) -> str:
    if value is None:
        return "–"
    return format_decimal(value, locale="en_GB" if get_locale() == "en" else get_locale())


def month_name(label: str) -> str:
    year, month = label.split("-")
    return format_date(date(int(year), int(month), 1), "MMM yyyy")


def _choice_name(choices, slug: str | None) -> str:
    choice = next((c for c in choices if c.slug == slug), None)
    return choice.name(get_locale()) if choice else gettext("Not yet assigned to a programme line")


def _summary_of_totals(labels: list[str], values: list[Number]) -> str:
    counted = [(v, label) for label, v in zip(labels, values, strict=True) if v]
    if not counted:
        return gettext("Nothing to count yet for this selection.")
    top_value, top_label = max(counted, key=lambda pair: pair[0])
    return gettext(
        "%(total)s in total; the most in %(label)s (%(value)s).",
        total=number(sum(v for v, _ in counted)),
        label=top_label,
        value=number(top_value),
    )


def _summary_of_rates(labels: list[str], values: list[Number]) -> str:
    counted = [(v, label) for label, v in zip(labels, values, strict=True) if v]
    if not counted:
        return gettext("Nothing to count yet for this selection.")
    top_value, top_label = max(counted, key=lambda pair: pair[0])
    return gettext(
        "The highest is %(label)s, with %(value)s per 1,000 residents.", label=top_label, value=number(top_value)
    )


def _simple(
    chart_id: str, title: str, label_heading: str, value_heading: str, labels, values, summary=None, **options
) -> Chart:
    summary = summary or _summary_of_totals(labels, values)
    svg = bar_chart(chart_id, title, summary, labels, [(value_heading, values)], number, **options)
    return Chart(
        chart_id,
        title,
        summary,
        [label_heading, value_heading],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        svg,
    )


def build_charts(city: CityConfig, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Every chart of the statistics page, in reading order, as JSON-ready dicts (they are cached per language)."""
    months = figures["months"]
    month_labels = [month_name(m["month"]) for m in months]
    charts: list[Chart] = []
    for key, title, heading in (
        ("ideas", gettext("Ideas submitted per month"), gettext("Ideas")),
        ("supports", gettext("Supports given per month"), gettext("Supports")),
        ("comments", gettext("Comments posted per month"), gettext("Comments")),
    ):
        values = [m[key] for m in months]
        charts.append(
            _simple(
                f"chart-month-{key}",
                title,
                gettext("Month"),
                heading,
                month_labels,
                values,
                horizontal=False,
                print_values=False,
            )
        )

    places = figures["neighbourhoods"]
    names = [_choice_name(city.neighbourhoods, p["slug"]) for p in places]
    charts.append(
        _simple(
            "chart-place-ideas",
            gettext("Ideas per neighbourhood"),
            gettext("Neighbourhood"),
            gettext("Ideas"),
            names,
            [p["ideas"] for p in places],
        )
    )
    charts.append(
        _simple(
            "chart-place-supports",
            gettext("Supports per neighbourhood"),
            gettext("Neighbourhood"),
            gettext("Supports"),
            names,
            [p["supports"] for p in places],
        )
    )
    with_population = [(name, p) for name, p in zip(names, places, strict=True) if p["population"]]
    if with_population:
        rate_names = [name for name, _ in with_population]
        for key, title, heading in (
            ("ideas_per_1000", gettext("Ideas per 1,000 residents"), gettext("Ideas per 1,000 residents")),
            ("supports_per_1000", gettext("Supports per 1,000 residents"), gettext("Supports per 1,000 residents")),
        ):
            values = [p[key] for _, p in with_population]
            summary = _summary_of_rates(rate_names, values)
            svg = bar_chart(f"chart-place-{key}", title, summary, rate_names, [(heading, values)], number)
            rows = [[name, p["population"], p[key]] for name, p in with_population]
            charts.append(
                Chart(
                    f"chart-place-{key}",
                    title,
                    summary,
                    [gettext("Neighbourhood"), gettext("Residents"), heading],
                    rows,
                    svg,
                )
            )

    themes = figures["themes"]
    theme_names = [_choice_name(city.themes, t["slug"]) for t in themes]
    ideas, pilots = [t["ideas"] for t in themes], [t["pilots"] for t in themes]
    totals = [i + p for i, p in zip(ideas, pilots, strict=True)]
    summary = _summary_of_totals(theme_names, totals)
    title = gettext("Ideas and pilot proposals per theme")
    svg = bar_chart(
        "chart-themes",
        title,
        summary,
        theme_names,
        [(gettext("Ideas"), ideas), (gettext("Pilot proposals"), pilots)],
        number,
    )
    rows = [[n, i, p] for n, i, p in zip(theme_names, ideas, pilots, strict=True)]
    charts.append(
        Chart(
            "chart-themes", title, summary, [gettext("Theme"), gettext("Ideas"), gettext("Pilot proposals")], rows, svg
        )
    )

    scopes = figures["scopes"]
    scope_names = [gettext(SCOPE_LABELS[s]) for s in ("narrow", "broad")]
    charts.append(
        _simple(
            "chart-scopes",
            gettext("Narrow or broad"),
            gettext("Narrow or broad"),
            gettext("Ideas"),
            scope_names,
            [scopes["narrow"], scopes["broad"]],
        )
    )

    funnel = figures["funnel"]
    steps = [*FUNNEL_LABELS, *[s for s in STATUS_LABELS if s in funnel]]
    step_names = [gettext(FUNNEL_LABELS.get(s) or STATUS_LABELS[s]) for s in steps]
    summary = gettext(
        "Of %(submitted)s submitted ideas, %(published)s were published and %(routed)s went to the project register.",
        submitted=number(funnel["submitted"]),
        published=number(funnel["published"]),
        routed=number(funnel["routed"]),
    )
    charts.append(
        _simple(
            "chart-funnel",
            gettext("From idea to project"),
            gettext("Step"),
            gettext("Ideas"),
            step_names,
            [funnel[s] for s in steps],
            summary=summary,
        )
    )

    register = figures["register"]
    lines = register["by_programme_line"]
    line_names = [_choice_name(city.programme_lines, line["slug"]) for line in lines]
    summary = _summary_of_totals(line_names, [line["total"] for line in lines])
    title = gettext("Projects per programme line")
    svg = bar_chart(
        "chart-lines", title, summary, line_names, [(gettext("Projects"), [line["total"] for line in lines])], number
    )
    statuses = list(STATUS_LABELS)
    rows = [
        [name, *[line["by_status"][s] for s in statuses], line["total"]]
        for name, line in zip(line_names, lines, strict=True)
    ]
    columns = [gettext("Programme line"), *[gettext(STATUS_LABELS[s]) for s in statuses], gettext("Total")]
    charts.append(Chart("chart-lines", title, summary, columns, rows, svg))
    status_names = [gettext(STATUS_LABELS[s]) for s in statuses]
    charts.append(
        _simple(
            "chart-status",
            gettext("Projects per status"),
            gettext("Status"),
            gettext("Projects"),
            status_names,
            [register["by_status"][s] for s in statuses],
        )
    )
    dpia_names = [gettext(DPIA_LABELS[k]) for k in DPIA_LABELS]
    charts.append(
        _simple(
            "chart-dpia",
            gettext("Data protection impact assessment (DPIA)"),
            gettext("DPIA"),
            gettext("Projects"),
            dpia_names,
            [register["dpia"][k] for k in DPIA_LABELS],
        )
    )
    return [chart.as_dict() for chart in charts]


def key_figures(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """The figures that are one number each, as (label, value) for a description list."""
    register, moderation = figures["register"], figures["moderation"]
    share = register["personal_data"]["share_percent"]
    days, hours = register["median_response_days"], moderation["median_hours"]
    unknown = gettext("not yet known")
    return [
        (gettext("Projects in the register"), number(register["total"])),
        (gettext("Projects that process personal data"), f"{number(share)}%" if share is not None else unknown),
        (
            gettext("Median time from routing to the first response of the municipality"),
            gettext("%(days)s days", days=number(days)) if days is not None else unknown,
        ),
        (gettext("Responses overdue"), number(register["overdue"])),
        (
            gettext("Median time from submission to a moderation decision"),
            gettext("%(hours)s hours", hours=number(hours)) if hours is not None else unknown,
        ),
    ]
