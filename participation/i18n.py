"""Languages: Dutch by default, English available.

Source strings are English; each domain package's `locale/<lang>/LC_MESSAGES/messages.po`
holds its translations (Babel catalogs, see `participation.catalogs`). The .po files are compiled in memory at
start-up, so there is no build step and no stale .mo file. The current locale
lives in a context variable set per request, which Jinja's `_()` and the
services' messages both read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import DateTimePattern, get_date_format, get_time_format, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("nl", "en")

_current_locale: ContextVar[str] = ContextVar("locale", default="nl")
_current_timezone: ContextVar[str] = ContextVar("timezone", default="Europe/Amsterdam")


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def _catalog_files(locale: str) -> list[Path]:
    """Each domain package keeps its own catalog (see `participation.catalogs`)."""
    root = Path(__file__).resolve().parent.parent
    packages = [root / "participation", *sorted((root / "participation").iterdir()), root / "ideas", root / "voting"]
    files = [p / "locale" / locale / "LC_MESSAGES" / "messages.po" for p in packages if p.is_dir()]
    return [f for f in files if f.exists()]


@cache
def translations(locale: str) -> NullTranslations:
    merged: NullTranslations | None = None
    for po_path in _catalog_files(locale):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(fp=buffer)
        merged = loaded if merged is None else merged.merge(loaded)  # type: ignore[union-attr]
    return merged or NullTranslations()


def set_locale(locale: str, tz: str | None = None) -> None:
    _current_locale.set(locale if locale in LOCALES else LOCALES[0])
    if tz:
        _current_timezone.set(tz)


def get_locale() -> str:
    return _current_locale.get()


@contextmanager
def in_locale(locale: str | None) -> Iterator[str]:
    """Messages in `locale` within the block (a mail in its recipient's language), then the request's again."""
    token = _current_locale.set(locale if locale in LOCALES else get_locale())
    try:
        yield _current_locale.get()
    finally:
        _current_locale.reset(token)


def gettext(message: str, **params: object) -> str:
    text = translations(get_locale()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def local_time(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(_current_timezone.get()))


# Dates are written the European way in English too: "29 Nov 2026", not "Nov 29, 2026".
_FORMATTING_LOCALES = {"en": "en_GB"}


PREDEFINED_FORMATS = ("full", "long", "medium", "short")
# Pattern fields that depend on the hour and minute only (no zone, no date, no seconds).
CLOCK_FIELDS = frozenset("HhKkma")


@cache
def _date_pattern(locale_name: str, fmt: str) -> tuple[Locale, DateTimePattern]:
    """Babel's locale and parsed pattern, looked up once: Babel resolves both on every call."""
    locale = Locale.parse(_FORMATTING_LOCALES.get(locale_name, locale_name))
    return locale, parse_pattern(get_date_format(fmt, locale) if fmt in PREDEFINED_FORMATS else fmt)


@cache
def _time_pattern(locale_name: str) -> tuple[Locale, DateTimePattern, bool]:
    locale = _date_pattern(locale_name, "medium")[0]
    pattern = parse_pattern(get_time_format("short", locale))
    clock_only = set("".join(re.findall(r"%\((\w+)\)s", pattern.format))) <= CLOCK_FIELDS
    return locale, pattern, clock_only


# A page shows many comments of the same days and minutes: each day and each minute is formatted once.
@lru_cache(maxsize=4096)
def _formatted_day(day: date, locale_name: str, fmt: str) -> str:
    locale, pattern = _date_pattern(locale_name, fmt)
    return pattern.apply(day, locale)


@lru_cache(maxsize=4096)
def _formatted_clock(hour: int, minute: int, locale_name: str) -> str:
    locale, pattern, _ = _time_pattern(locale_name)
    return pattern.apply(time(hour, minute), locale)


def _formatted_time(local: datetime, locale_name: str) -> str:
    """What babel.dates.format_time(local, "short") gives, from the cache when the pattern is a plain clock."""
    locale, pattern, clock_only = _time_pattern(locale_name)
    if clock_only:
        return _formatted_clock(local.hour, local.minute, locale_name)
    return pattern.apply(local.timetz(), locale, reference_date=local.date())


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """Date and time to the minute ("29 nov 2026 14:03"): seconds are noise on a page."""
    if value is None:
        return ""
    local, locale_name = local_time(value), get_locale()
    combined = _combined_format(locale_name, fmt)
    return combined.replace("{1}", _formatted_day(local.date(), locale_name, fmt)).replace(
        "{0}", _formatted_time(local, locale_name)
    )


@cache
def _combined_format(locale_name: str, fmt: str) -> str:
    return str(_date_pattern(locale_name, fmt)[0].datetime_formats[fmt])


def machine_datetime(value: datetime | None) -> str:
    """For a `datetime` attribute: UTC to the second (HTML allows at most milliseconds; isoformat() gives micro)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_date(value: datetime | date | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    day = local_time(value).date() if isinstance(value, datetime) else value  # a plain date has no time zone
    return _formatted_day(day, get_locale(), fmt)
