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
| `department` | owning department: the slug of a department in the city configuration |
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
| `decision_making`, `impact` | algorithm register: decision-making process; impact on residents and the city |
| `risks`, `risk_category` | risks and their management; EU AI Act category `minimal`, `limited`, `high` or `unacceptable` |
| `proportionality`, `human_intervention` | why this means and no lighter one; who checks and can overrule the outcome |
| `iama_url` | the human rights and algorithms impact assessment (IAMA) |
| `priority`, `priority_rationale` | `high`, `medium` or `low`, and why (empty: not yet set) |

| `indicators` | the indicators of the entry's goals, compared with their targets (below) |

`indicators` in JSON: a list of `{"goal", "indicator", "unit", "baseline", "target", "direction",
"last_value", "last_measured_on", "target_met"}`; `direction` is `higher`, `lower` or null
(towards the target from the baseline); `target_met` compares the last measured value with the
target, null when nothing was measured. For a completed or stopped entry this is the outcome
against its goals. In the CSV: `indicator: baseline -> target unit, last value (date) met|not
met|not measured`, separated by `; `.
| `latitude`, `longitude` | where the project happens, when it is one place (WGS84 decimal degrees; empty: no point) |
| `sensors` | the sensors it uses. CSV: `kind: measures (fixed/mobile/unknown) @ location [latitude longitude]` separated by `; `; JSON: list of `{"kind", "measures", "mobile", "location", "latitude", "longitude"}` (`mobile` `null`: unknown) |

Booleans (`response_overdue`, `personal_data`, `algorithm_used`): CSV `true` / `false`, JSON
`true` / `false`; unknown is an empty CSV cell or JSON `null`. In the CSV, a cell that starts
with `=`, `+`, `-` or `@` gets a leading `'` so spreadsheets do not run it as a formula.
The JSON document is `{"$schema", "city", "generated_at", "license", "columns", "entries": [...]}`:
`$schema` is the address of its JSON Schema (participation.register.schema, docs/open-data.md),
`license` the open-data licence (`{"name", "url"}`). Both files carry CORS and a licence `Link`
header (participation.register.open_data). Drafts are never exported.

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
from participation.register import services, transparency
from participation.register.goals import outcome
from participation.register.open_data import OPEN_DATA, license_of, open_data_headers
from participation.register.schema import schema_url
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
    *transparency.FIELDS,
    "priority",
    "priority_rationale",
    "indicators",
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
    row["indicators"] = [{k: _iso(v) for k, v in item.items()} for item in outcome(view.get("goals", []))]
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
    elif name == "indicators":
        value = "; ".join(_indicator_cell(i) for i in value)
    elif name == "sensors":
        value = "; ".join(_sensor_cell(s) for s in value)
    return neutralise_formula(str(value))


def _number(value: float) -> str:
    return f"{value:g}"


def _indicator_cell(item: dict[str, Any]) -> str:
    text = f"{item['indicator']}: {_number(item['baseline'])} -> {_number(item['target'])} {item['unit']}"
    if item["last_value"] is None:
        return f"{text}, not measured"
    met = "met" if item["target_met"] else "not met"
    return f"{text}, last {_number(item['last_value'])} ({item['last_measured_on']}) {met}"


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


async def export_response(
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

    @get("/register.csv", name="register_csv", opt=OPEN_DATA)
    async def csv_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            rows = [export_row(settings, v) for v in await services.all_entries_for_export()]
            return to_csv(rows).encode()

        disposition = f'attachment; filename="register-{settings.city.slug}.csv"'
        headers = {"Content-Disposition": disposition, **open_data_headers(settings)}
        return await export_response(request, "csv", "text/csv; charset=utf-8", build, headers)

    @get("/register.json", name="register_json", opt=OPEN_DATA)
    async def json_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            rows = [export_row(settings, v) for v in await services.all_entries_for_export()]
            document = {
                "$schema": schema_url(settings),
                "city": settings.city.name,
                "generated_at": datetime.now(UTC).isoformat(),
                "license": license_of(settings),
                "columns": list(COLUMNS),
                "entries": rows,
            }
            return msgspec.json.encode(document)

        return await export_response(request, "json", "application/json", build, open_data_headers(settings))
