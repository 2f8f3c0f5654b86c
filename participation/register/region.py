"""The region view: read another municipality's register (its `/register.json`) and show it here.

`participation register import URL` fetches the export (http or https, at most MAX_BYTES, within
TIMEOUT_SECONDS in all), validates it against this platform's published schema (the document
must name schema v1, participation.register.schema) and then, in one transaction, makes the
source's rows equal to what it publishes now: entries keyed by (source, remote slug) are
updated in place, new ones added, and entries gone from the source removed. A re-import never
duplicates. The rows are read-only here: only the next import changes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import anyio
import httpx
from jsonschema import Draft202012Validator, FormatChecker

from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.register.region_tables import RegionEntry
from participation.register.schema import VERSION, register_schema
from participation.settings import Settings
from participation.validation import clean_text

MAX_BYTES = 20_000_000
TIMEOUT_SECONDS = 30.0
MAX_REDIRECTS = 3
PER_PAGE = 50
UPSERT_BATCH = 500  # rows per statement: well under SQLite's and PostgreSQL's parameter limits


class RegionImportError(Exception):
    """The source could not be read or is not a register export this platform understands."""


@dataclass(frozen=True)
class ImportResult:
    city: str
    added: int
    updated: int
    removed: int


def _check_address(url: str) -> str:
    url = url.strip()
    scheme = httpx.URL(url).scheme if url else ""
    if scheme not in ("http", "https"):
        raise RegionImportError(f"{url!r} is not an http or https address")
    return url


async def fetch_export(url: str, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
    """The source's JSON document, read with a size and a total time limit."""
    url = _check_address(url)
    body = bytearray()
    try:
        with anyio.fail_after(timeout):
            async with httpx.AsyncClient(
                timeout=timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS, trust_env=False
            ) as client:
                async with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
                    if response.status_code != 200:
                        raise RegionImportError(f"{url} answered {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise RegionImportError(f"{url} is larger than {max_bytes} bytes")
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise RegionImportError(f"{url} is larger than {max_bytes} bytes")
    except TimeoutError as exc:
        raise RegionImportError(f"{url} did not answer within {timeout:g} seconds") from exc
    except httpx.HTTPError as exc:
        raise RegionImportError(f"{url} could not be read: {exc}") from exc
    try:
        document = json.loads(bytes(body))
    except ValueError as exc:
        raise RegionImportError(f"{url} is not JSON: {exc}") from exc
    return document


def schema_errors(settings: Settings, document: Any) -> list[str]:
    """What makes `document` not a v1 register export (empty: it is one)."""
    validator = Draft202012Validator(register_schema(settings), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    found = [f"{'/'.join(str(p) for p in e.absolute_path) or '(document)'}: {e.message}" for e in errors[:10]]
    if not found:
        slugs = [entry["slug"] for entry in document["entries"]]
        if len(slugs) != len(set(slugs)):
            found.append("entries: a slug occurs more than once")
        for entry in document["entries"]:
            if not str(entry["url"]).startswith(("https://", "http://")):
                found.append(f"entries/{entry['slug']}/url: not an http or https address")
        if not str(document["license"]["url"]).startswith(("https://", "http://")):
            found.append("license/url: not an http or https address")
    return found


def _text(value: Any, limit: int) -> str:
    return clean_text(value)[:limit]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


REGION_COLUMNS = (
    "source_city",
    "url",
    "title",
    "summary",
    "status",
    "theme_name",
    "programme_line_name",
    "scope",
    "department",
    "start_date",
    "end_date",
    "budget_eur",
    "personal_data",
    "algorithm_used",
    "license_name",
    "license_url",
    "remote_updated_at",
)


def region_values(document: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """One remote entry as region columns (text bounded to the columns, control characters removed)."""
    return {
        "source_city": _text(document["city"], 120),
        "url": _text(entry["url"], 500),
        "title": _text(entry["title"], 200),
        "summary": _text(entry["summary"], 2000),
        "status": _text(entry["status"], 20),
        "theme_name": _text(entry["theme_name"] or entry["theme"], 120),
        "programme_line_name": _text(entry["programme_line_name"], 120),
        "scope": _text(entry["scope"], 10),
        "department": _text(entry["department"], 120),
        "start_date": _date(entry["start_date"]),
        "end_date": _date(entry["end_date"]),
        "budget_eur": entry["budget_eur"] if entry["budget_eur"] is None or entry["budget_eur"] < 2**62 else None,
        "personal_data": entry["personal_data"],
        "algorithm_used": entry["algorithm_used"],
        "license_name": _text(document["license"]["name"], 200),
        "license_url": _text(document["license"]["url"], 500),
        "remote_updated_at": _moment(entry["updated_at"]),
    }


async def import_register(
    settings: Settings, url: str, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS
) -> ImportResult:
    """Read `url` (another city's `/register.json`) into the region view; see the module's description."""
    source = _check_address(url)
    document = await fetch_export(source, max_bytes, timeout)
    if problems := schema_errors(settings, document):
        raise RegionImportError(
            f"{source} is not a register export of schema version {VERSION}:\n  " + "\n  ".join(problems)
        )
    now = utcnow()
    wanted = {entry["slug"]: region_values(document, entry) for entry in document["entries"]}
    rows = [RegionEntry(source=source, remote_slug=slug, imported_at=now, **values) for slug, values in wanted.items()]
    refreshed = [getattr(RegionEntry, name) for name in (*REGION_COLUMNS, "imported_at")]
    async with write_transaction():
        existing = set(
            await RegionEntry.select(RegionEntry.remote_slug).where(RegionEntry.source == source).output(as_list=True)
        )
        gone = existing - set(wanted)
        if gone:
            await RegionEntry.delete().where((RegionEntry.source == source) & RegionEntry.remote_slug.is_in(list(gone)))
        # An upsert on the unique (source, remote_slug): two imports of one source at once cannot duplicate.
        for start in range(0, len(rows), UPSERT_BATCH):
            await RegionEntry.insert(*rows[start : start + UPSERT_BATCH]).on_conflict(
                target=(RegionEntry.source, RegionEntry.remote_slug), action="DO UPDATE", values=refreshed
            )
    added = len(set(wanted) - existing)
    return ImportResult(
        city=_text(document["city"], 120),
        added=added,
        updated=len(wanted) - added,
        removed=len(gone),
    )


async def forget_source(url: str) -> int:
    """Take a source out of the region view (the city stopped publishing, or left the region)."""
    source = url.strip()
    async with write_transaction():
        count = await RegionEntry.count().where(RegionEntry.source == source)
        await RegionEntry.delete().where(RegionEntry.source == source)
    return count


async def region_page(page: int = 1, per_page: int = PER_PAGE) -> tuple[list[dict[str, Any]], int]:
    """Imported entries by municipality, then title (the view never mixes a city's rows with another's)."""
    total = await RegionEntry.count()
    rows = (
        await RegionEntry.select()
        .order_by(RegionEntry.source_city, RegionEntry.source, RegionEntry.title, RegionEntry.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return rows, total


async def region_sources() -> list[dict[str, Any]]:
    """Each imported municipality: its name, export address, licence, number of entries and last import."""
    found: dict[str, dict[str, Any]] = {}
    rows = await RegionEntry.select(
        RegionEntry.source,
        RegionEntry.source_city,
        RegionEntry.license_name,
        RegionEntry.license_url,
        RegionEntry.imported_at,
    ).order_by(RegionEntry.source_city, RegionEntry.source)
    for row in rows:
        known = found.setdefault(row["source"], {**row, "entries": 0})
        known["entries"] += 1
        known["imported_at"] = max(known["imported_at"], row["imported_at"])
    return list(found.values())
