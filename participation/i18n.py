"""Languages: Dutch by default, English available.

Source strings are English; each domain package's `locale/<lang>/LC_MESSAGES/messages.po`
holds its translations (Babel catalogs, see `participation.catalogs`). The .po files are compiled in memory at
start-up, so there is no build step and no stale .mo file. The current locale
lives in a context variable set per request, which Jinja's `_()` and the
services' messages both read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
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


def _formatting_locale() -> Locale:
    locale = get_locale()
    return Locale.parse(_FORMATTING_LOCALES.get(locale, locale))


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """Date and time to the minute ("29 nov 2026 14:03"): seconds are noise on a page."""
    if value is None:
        return ""
    local, locale = local_time(value), _formatting_locale()
    date = babel_format_date(local.date(), format=fmt, locale=locale)
    time = babel_format_time(local, format="short", locale=locale)
    return str(locale.datetime_formats[fmt]).replace("{1}", date).replace("{0}", time)


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
    return babel_format_date(day, format=fmt, locale=_formatting_locale())
