"""What a statistics page or export is about: a period, a theme, a neighbourhood.

Values that are not configured or not a date are ignored (the page then shows everything),
like the register's filters. Dates are days in the city's time zone; the period includes both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from participation.settings import Settings
from participation.validation import clean_text

MONTHS_SHOWN = 24


@dataclass(frozen=True)
class StatsFilters:
    start: date | None = None
    end: date | None = None
    theme: str | None = None
    neighbourhood: str | None = None

    @property
    def active(self) -> bool:
        return any((self.start, self.end, self.theme, self.neighbourhood))

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as query parameters, for links to the CSV, the JSON and the exports."""
        items = [
            ("start", self.start.isoformat() if self.start else None),
            ("end", self.end.isoformat() if self.end else None),
        ]
        items += [("theme", self.theme), ("neighbourhood", self.neighbourhood)]
        return [(name, value) for name, value in items if value]

    def cache_key(self) -> str:
        return "|".join(f"{name}={value}" for name, value in self.query_items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "theme": self.theme,
            "neighbourhood": self.neighbourhood,
        }


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(clean_text(value)) if value else None
    except ValueError:
        return None


def parse_filters(settings: Settings, params: Mapping[str, Any]) -> StatsFilters:
    city = settings.city
    theme = clean_text(params.get("theme"))
    neighbourhood = clean_text(params.get("neighbourhood"))
    start, end = _day(params.get("start")), _day(params.get("end"))
    if start and end and start > end:
        start, end = end, start
    return StatsFilters(
        start=start,
        end=end,
        theme=theme if city.theme(theme) else None,
        neighbourhood=neighbourhood if city.neighbourhood(neighbourhood) else None,
    )


def day_start(day: date, tz: str) -> datetime:
    """Midnight at the start of `day` in the city, as UTC."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def period_bounds(filters: StatsFilters, tz: str) -> tuple[datetime | None, datetime | None]:
    """[from, until) in UTC: from the start day's midnight until the midnight after the end day."""
    since = day_start(filters.start, tz) if filters.start else None
    until = day_start(filters.end + timedelta(days=1), tz) if filters.end else None
    return since, until


def month_bounds(last: date, tz: str, count: int = MONTHS_SHOWN) -> list[tuple[str, datetime]]:
    """`count` months up to and including `last`'s month, plus the month after (its start ends the last one):
    pairs of "YYYY-MM" and the month's first midnight in the city, as UTC."""
    index = last.year * 12 + last.month - 1
    firsts = [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 2)]
    return [(first.strftime("%Y-%m"), day_start(first, tz)) for first in firsts]
