"""Charts as accessible, static SVG: pygal draws them, this module makes them fit the page.

pygal (README, "Statistics", says why) writes class-based SVG with a `<title>`; what it adds for
interactive use goes: its inline `<style>` and `<script>` (the Content-Security-Policy allows
neither; `static/stats.css` styles the classes instead), the tooltip layer with its `style`
attribute, its ids (repeated in every chart) and its per-point `<title>`/`<desc>` tooltips. What
stays is an `<svg role="img">` labelled by its own `<title>` and a one-sentence `<desc>`; the
numbers are printed on the bars (direct labels), a second series is also hatched (static/stats.css
with the page's pattern), and the page shows each chart's data as a table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pygal
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

Number = int | float | None

# Only the sizes matter here (pygal leaves room for labels by them); static/stats.css draws with the same.
SIZES = Style(label_font_size=13, major_label_font_size=13, value_font_size=13, legend_font_size=14)


@dataclass(frozen=True)
class Chart:
    """One chart as the page shows it: heading, summary, the SVG, and its data as a table."""

    id: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[Any]]
    svg: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    number: Callable[[Number], str],
    horizontal: bool = True,
    print_values: bool = True,
) -> str:
    """Bars per label, one colour (and pattern) per series; horizontal bars keep long names readable."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    rows = len(labels) * (len(series) if horizontal else 1)
    chart = kind(
        style=SIZES,
        js=[],
        css=[],
        no_prefix=True,
        disable_xml_declaration=True,
        explicit_size=False,
        width=800,
        height=max(220, 60 + 26 * rows) if horizontal else 360,
        title=None,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=print_values,
        print_zeroes=True,
        value_formatter=number,
        x_label_rotation=0 if horizontal else 45,
        truncate_label=-1,
        show_y_guides=not horizontal,
        show_x_guides=horizontal,
        include_x_axis=True,
        margin=12,
        spacing=8,
    )
    # pygal draws horizontal bars from the bottom up: reversed, they read top-down in the table's order.
    order = slice(None, None, -1) if horizontal else slice(None)
    chart.x_labels = list(labels)[order]
    for name, values in series:
        chart.add(name, list(values)[order])
    return accessible_svg(chart.render(is_unicode=True), chart_id, title, summary)


def accessible_svg(source: str, chart_id: str, title: str, summary: str) -> str:
    """pygal's SVG without script, style or tooltips, labelled by its own title and summary."""
    root = ET.fromstring(source)
    _prune(root)
    for name in ("id", "width", "height"):
        root.attrib.pop(name, None)
    root.set("id", chart_id)
    root.set("class", "stats-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{chart_id}-desc"})
    desc.text = summary
    heading = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{chart_id}-title"})
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    return ET.tostring(root, encoding="unicode")


def _prune(element: ET.Element) -> None:
    for child in list(element):
        tag = child.tag.rsplit("}", 1)[-1]
        classes = child.get("class", "").split()
        if tag in ("style", "script", "title", "desc") or "tooltip-overlay" in classes or "overlay" in classes:
            element.remove(child)
            continue
        for name in ("style", "id"):
            child.attrib.pop(name, None)
        _prune(child)
