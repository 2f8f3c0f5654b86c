"""Open data: the register as CSV (`/register.csv`) and JSON (`/register.json`).

One row per entry, public fields only (never an editor's account or email, never
internal ids). The column names are stable; add new ones at the end.

| column | meaning |
|---|---|
| `slug` | stable identifier, part of the entry's address |
| `url` | the entry's public page |
| `title`, `summary` | title and one-paragraph summary |
| `description` | description (Markdown source) |
| `origin` | `city`, `idea` or `pilot` |
| `idea_id`, `idea_url` | the idea or pilot proposal the entry was routed from (empty for `city`) |
| `status` | `received`, `under_assessment`, `planned`, `running`, `completed`, `stopped`, `declined` |
| `programme_line`, `programme_line_name` | programme line slug and name (empty: not yet assigned) |
| `theme`, `theme_name` | theme slug and name |
| `scope` | `narrow` (smart through data and applications) or `broad` (innovation and new forms of collaboration) |
| `department` | owning department |
| `contact_email` | public team address |
| `partners` | CSV: `name (kind)` separated by `; `; JSON: list of `{"name", "kind"}`; kind is `business`, `knowledge_institution`, `government`, `residents_initiative` or `other` |
| `neighbourhoods` | neighbourhood slugs (`whole-city` for the whole city); CSV: separated by `;`; JSON: list |
| `start_date`, `end_date` | ISO dates |
| `budget_eur` | budget in whole euros |
| `response_due_at` | when the municipality responds to a routed entry (ISO 8601, UTC) |
| `response_overdue` | still `received` after `response_due_at` |
| `declined_reason` | the public reason, for `declined` entries |
| `personal_data` | processes personal data |
| `data_description` | which data and sensors |
| `data_purpose` | purpose of the data processing |
| `legal_basis` | legal basis (GDPR) |
| `dpia_status`, `dpia_url` | DPIA: `not_needed`, `planned` or `done`, and its link |
| `retention_period` | how long data is kept |
| `open_data_url` | where the data is published |
| `algorithm_used`, `algorithm_register_url` | whether an algorithm is used, and its algorithm-register link |
| `lessons_tried`, `lessons_outcome` | lessons learned: what was tried; the outcome against the goals |
| `lessons_decision`, `lessons_decision_reason` | `continue`, `scale_up` or `stop`, and why |
| `lessons_advice` | advice for other projects and cities |
| `created_at`, `updated_at` | ISO 8601, UTC |
| `latitude`, `longitude` | where the project happens, when it is one place (WGS84 decimal degrees; empty: no point) |
| `sensors` | the sensors it uses. CSV: `kind: measures (fixed/mobile/unknown) @ location [latitude longitude]` separated by `; `; JSON: list of `{"kind", "measures", "mobile", "location", "latitude", "longitude"}` (`mobile` `null`: unknown) |

Booleans (`response_overdue`, `personal_data`, `algorithm_used`): CSV `true` / `false`, JSON
`true` / `false`; unknown is an empty CSV cell or JSON `null`. In the CSV, a cell that starts
with `=`, `+`, `-` or `@` gets a leading `'` so spreadsheets do not run it as a formula.
The JSON document is `{"city", "generated_at", "columns", "entries": [...]}`.

Both files are built once per change and kept in the app's "cache" store (Redis when
configured, so every worker shares them): the key carries `services.export_version()`, one
cheap query that changes with any change to an entry, so the next request after an edit builds
the new file. The same version is the ETag: a client that has the current file gets 304.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.lib.cache import cached
from participation.lib.cells import neutralise_formula
from participation.register import services
from participation.register.schemas import entry_url, idea_url
from participation.settings import Settings

COLUMNS = (
    "slug",
    "url",
    "title",
    "summary",
    "description",
    "origin",
    "idea_id",
    "idea_url",
    "status",
    "programme_line",
    "programme_line_name",
    "theme",
    "theme_name",
    "scope",
    "department",
    "contact_email",
    "partners",
    "neighbourhoods",
    "start_date",
    "end_date",
    "budget_eur",
    "response_due_at",
    "response_overdue",
    "declined_reason",
    "personal_data",
    "data_description",
    "data_purpose",
    "legal_basis",
    "dpia_status",
    "dpia_url",
    "retention_period",
    "open_data_url",
    "algorithm_used",
    "algorithm_register_url",
    "lessons_tried",
    "lessons_outcome",
    "lessons_decision",
    "lessons_decision_reason",
    "lessons_advice",
    "created_at",
    "updated_at",
    "latitude",
    "longitude",
    "sensors",
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_row(settings: Settings, view: dict[str, Any]) -> dict[str, Any]:
    """One entry as a JSON-ready row with exactly COLUMNS."""
    city, locale = settings.city, settings.city.default_locale
    line, theme = city.programme_line(view["programme_line"]), city.theme(view["theme"])
    row = {name: _iso(view.get(name)) for name in COLUMNS}
    row.update(
        url=entry_url(settings.base_url, view["slug"]),
        idea_url=idea_url(settings.base_url, view["idea_id"]),
        programme_line_name=line.name(locale) if line else None,
        theme_name=theme.name(locale) if theme else None,
        partners=[{"name": p["name"], "kind": p["kind"]} for p in view["partners"]],
        neighbourhoods=list(view["neighbourhoods"]),
        sensors=[dict(s) for s in view["sensors"]],
        response_overdue=view["response_overdue"],
    )
    return row


def _csv_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "partners":
        value = "; ".join(f"{p['name']} ({p['kind']})" for p in value)
    elif name == "neighbourhoods":
        value = ";".join(value)
    elif name == "sensors":
        value = "; ".join(_sensor_cell(s) for s in value)
    return neutralise_formula(str(value))


def _sensor_cell(sensor: dict[str, Any]) -> str:
    kind = {True: "mobile", False: "fixed"}.get(sensor["mobile"], "unknown")
    text = f"{sensor['kind']}: {sensor['measures']} ({kind})"
    if sensor["location"]:
        text += f" @ {sensor['location']}"
    if sensor["latitude"] is not None:
        text += f" [{sensor['latitude']} {sensor['longitude']}]"
    return text


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(name, row[name]) for name in COLUMNS])
    return buffer.getvalue()


# A new version replaces the file at once; the time-to-live only frees the store of old versions.
CACHE_SECONDS = 3600


async def _export_response(
    request: Request, kind: str, media_type: str, build: Callable[[], Awaitable[bytes]], headers: dict[str, str]
) -> Response:
    version = await services.export_version()
    etag = '"' + hashlib.sha256(f"{kind}:{version}".encode()).hexdigest()[:32] + '"'
    headers = {**headers, "ETag": etag, "Cache-Control": "no-cache"}  # no-cache: revalidate, cheaply, every time
    if etag in (request.headers.get("if-none-match") or "").replace(" ", "").split(","):
        return Response(b"", status_code=304, headers=headers)
    body = await cached(request.app.stores.get("cache"), f"register-export:{kind}:{version}", CACHE_SECONDS, build)
    return Response(body, media_type=media_type, headers=headers)


class RegisterExports(Controller):
    include_in_schema = False

    @get("/register.csv", name="register_csv")
    async def csv_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            rows = [export_row(settings, v) for v in await services.all_entries_for_export()]
            return to_csv(rows).encode()

        disposition = f'attachment; filename="register-{settings.city.slug}.csv"'
        return await _export_response(
            request, "csv", "text/csv; charset=utf-8", build, {"Content-Disposition": disposition}
        )

    @get("/register.json", name="register_json")
    async def json_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            rows = [export_row(settings, v) for v in await services.all_entries_for_export()]
            document = {
                "city": settings.city.name,
                "generated_at": datetime.now(UTC).isoformat(),
                "columns": list(COLUMNS),
                "entries": rows,
            }
            return msgspec.json.encode(document)

        return await _export_response(request, "json", "application/json", build, {})
