"""The template date filters give exactly what Babel gives, with each day and minute formatted once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.core import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time

from participation import i18n
from participation.i18n import format_date, format_datetime, set_locale

BABEL_LOCALES = {"nl": "nl", "en": "en_GB"}
# Around both DST changes in Amsterdam (29 March and 25 October 2026, at 01:00 UTC), a leap day, New Year.
MOMENTS = [
    start + timedelta(minutes=step * 7)
    for start in (
        datetime(2026, 3, 28, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2028, 2, 28, 22, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 22, 0, tzinfo=UTC),
    )
    for step in range(80)
]


def babel_datetime(value: datetime, locale: str, zone: str, fmt: str) -> str:
    """What the filter gave before: Babel's date and short time, joined by the locale's pattern."""
    local, babel_locale = value.astimezone(ZoneInfo(zone)), Locale.parse(BABEL_LOCALES[locale])
    day = babel_date(local.date(), format=fmt, locale=babel_locale)
    clock = babel_time(local, format="short", locale=babel_locale)
    return str(babel_locale.datetime_formats[fmt]).replace("{1}", day).replace("{0}", clock)


@pytest.fixture
def locale_reset():
    yield
    set_locale("nl", "Europe/Amsterdam")


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York"])
def test_same_text_as_babel(locale, zone, locale_reset):
    set_locale(locale, zone)
    for fmt in ("short", "medium", "long", "full"):
        for moment in MOMENTS:
            assert format_datetime(moment, fmt) == babel_datetime(moment, locale, zone, fmt), (moment, fmt)
            local_day = moment.astimezone(ZoneInfo(zone)).date()
            assert format_date(moment, fmt) == babel_date(local_day, format=fmt, locale=BABEL_LOCALES[locale])
    naive = datetime(2026, 7, 1, 12, 30)  # stored without a zone: UTC
    assert format_datetime(naive) == babel_datetime(naive.replace(tzinfo=UTC), locale, zone, "medium")
    assert format_date(date(2026, 7, 1), "d MMM") == babel_date(date(2026, 7, 1), "d MMM", BABEL_LOCALES[locale])


def test_each_day_and_minute_is_formatted_once(locale_reset):
    set_locale("en", "Europe/Amsterdam")
    i18n._formatted_day.cache_clear()
    i18n._formatted_clock.cache_clear()
    noon = datetime(2026, 5, 4, 10, 15, tzinfo=UTC)
    texts = {format_datetime(noon + timedelta(seconds=s)) for s in range(50)}
    assert texts == {"4 May 2026, 12:15"}
    assert i18n._formatted_day.cache_info().misses == 1
    assert i18n._formatted_clock.cache_info().misses == 1
