"""The algorithm register export: `/register/algorithms.json` and `/register/algorithms.csv`.

Entries that use an algorithm (`algorithm_used` is yes) or list sensors, in the fields of the
Algorithmic Transparency Standard (the Dutch government's algoritmeregister, as used by
Amsterdam, Utrecht and Eurocities), so a national or city algorithm register can take them over.
Drafts and declined entries (the project never ran) are left out.

Where each field comes from:

| field | from the entry |
|---|---|
| `name`, `description`, `description_long` | title, summary, description |
| `organisation` | the municipality (city configuration) |
| `department` | department |
| `status` | the register status, mapped below; `register_status` keeps the original |
| `begin_date`, `end_date` | start and end date |
| `decision_making_process`, `impact`, `risks` | the data-and-privacy block's algorithm fields (`transparency`) |
| `risk_category`, `proportionality`, `human_intervention` | the same block's fields of those names |
| `domain` | the theme's name |
| `goal` | purpose of the data processing (the summary while that is unknown) |
| `lawful_basis` | legal basis |
| `source_data` | which data and sensors |
| `dpia`, `iama_url`, `personal_data`, `retention_period` | DPIA status and link, IAMA link, personal data, retention |
| `contact` | the team's public address and the department |
| `publication_date`, `revision_date` | when the entry was added and last changed |
| `sensors` | type, what it measures, `mobility` (`mobile`, `fixed` or `unknown`), location and point |

Status: `received` and `under_assessment` are `planned` (no decision to build yet); `planned`
is `design`; `running` is `pilot` for a pilot proposal and `operational` otherwise; `completed`
is `operational` when the lessons' decision is to continue or scale up and `retired` when it is
to stop; `stopped` is `retired`. The register has no separate development or evaluation step
(the evaluation is the lessons learned, recorded on completion), so `development` and
`evaluation` are not produced.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.lib.cells import neutralise_formula
from participation.register import services
from participation.register.exports import export_response
from participation.register.open_data import OPEN_DATA, license_of, open_data_headers, publisher_name
from participation.register.schemas import entry_url
from participation.register.tables import Decision, Origin, RegisterSensor, Status
from participation.settings import Settings

STANDARD = "Algorithmic Transparency Standard (algoritmeregister)"
STATUSES = ("planned", "design", "development", "pilot", "evaluation", "operational", "retired")
# Every algorithm carries all of these (null where the entry does not say yet).
FIELDS = (
    "id",
    "url",
    "name",
    "organisation",
    "department",
    "description",
    "description_long",
    "status",
    "register_status",
    "begin_date",
    "end_date",
    "decision_making_process",
    "domain",
    "goal",
    "impact",
    "risks",
    "risk_category",
    "proportionality",
    "lawful_basis",
    "source_data",
    "human_intervention",
    "dpia",
    "iama_url",
    "personal_data",
    "retention_period",
    "algorithm_register_url",
    "contact",
    "publication_date",
    "revision_date",
    "sensors",
    "area",
    "language",
)


def standard_status(status: str, origin: str, decision: str | None) -> str | None:
    """The standard's lifecycle status for a register status (None: not exported)."""
    if status in (Status.received.value, Status.under_assessment.value):
        return "planned"
    if status == Status.planned.value:
        return "design"
    if status == Status.running.value:
        return "pilot" if origin == Origin.pilot.value else "operational"
    if status == Status.completed.value:
        return "retired" if decision == Decision.stop.value else "operational"
    if status == Status.stopped.value:
        return "retired"
    return None  # declined: never in use


def _mobility(mobile: bool | None) -> str:
    return "unknown" if mobile is None else "mobile" if mobile else "fixed"


async def _sensors_by_slug() -> dict[str, list[dict[str, Any]]]:
    rows = (
        await RegisterSensor.select(
            RegisterSensor.entry.slug.as_alias("slug"),
            RegisterSensor.kind,
            RegisterSensor.measures,
            RegisterSensor.mobile,
            RegisterSensor.location,
            RegisterSensor.latitude,
            RegisterSensor.longitude,
        )
        .where(RegisterSensor.entry.draft.eq(False))
        .order_by(RegisterSensor.entry, RegisterSensor.position, RegisterSensor.id)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["slug"], []).append(
            {
                "type": row["kind"],
                "measures": row["measures"] or None,
                "mobility": _mobility(row["mobile"]),
                "location": row["location"] or None,
                "latitude": row["latitude"],
                "longitude": row["longitude"],
            }
        )
    return found


def _day(value: Any) -> str | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date().isoformat()
    return value.isoformat() if value is not None else None


def algorithm_record(settings: Settings, view: dict[str, Any], sensors: list[dict[str, Any]]) -> dict[str, Any]:
    theme = settings.city.theme(view["theme"])
    locale = settings.city.default_locale
    # Entries store a configured department's slug; an older free text that matched none stays as written.
    found = settings.city.department(view["department"])
    department = found.name(locale) if found else view["department"] or None
    return {
        "id": view["slug"],
        "url": entry_url(settings.base_url, view["slug"]),
        "name": view["title"],
        "organisation": publisher_name(settings),
        "department": department,
        "description": view["summary"],
        "description_long": view["description"] or None,
        "status": standard_status(view["status"], view["origin"], view["lessons_decision"]),
        "register_status": view["status"],
        "begin_date": _day(view["start_date"]),
        "end_date": _day(view["end_date"]),
        "decision_making_process": view["decision_making"],
        "domain": theme.name(locale) if theme else view["theme"],
        "goal": view["data_purpose"] or view["summary"],
        "impact": view["impact"],
        "risks": view["risks"],
        "risk_category": view["risk_category"],
        "proportionality": view["proportionality"],
        "lawful_basis": view["legal_basis"],
        "source_data": view["data_description"],
        "human_intervention": view["human_intervention"],
        "dpia": {"status": view["dpia_status"], "url": view["dpia_url"]},
        "iama_url": view["iama_url"],
        "personal_data": view["personal_data"],
        "retention_period": view["retention_period"],
        "algorithm_register_url": view["algorithm_register_url"],
        "contact": {"email": view["contact_email"], "department": department},
        "publication_date": _day(view["created_at"]),
        "revision_date": _day(view["updated_at"]),
        "sensors": sensors,
        "area": list(view["neighbourhoods"]),
        "language": locale,
    }


async def algorithm_records(settings: Settings) -> list[dict[str, Any]]:
    sensors = await _sensors_by_slug()
    return [
        algorithm_record(settings, view, sensors.get(view["slug"], []))
        for view in await services.all_entries_for_export()
        if (view["algorithm_used"] or view["slug"] in sensors) and view["status"] != Status.declined.value
    ]


def _csv_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "dpia":
        value = " ".join(v for v in (value["status"], value["url"]) if v)
    elif name == "contact":
        value = value["email"] or ""
    elif name == "area":
        value = ";".join(value)
    elif name == "sensors":
        value = "; ".join(
            f"{s['type']}: {s['measures'] or ''} ({s['mobility']}){', ' + s['location'] if s['location'] else ''}"
            for s in value
        )
    return neutralise_formula(str(value))


def to_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow([_csv_cell(name, record[name]) for name in FIELDS])
    return buffer.getvalue()


class AlgorithmRegister(Controller):
    include_in_schema = False

    @get("/register/algorithms.json", name="register_algorithms_json", opt=OPEN_DATA)
    async def json_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            return msgspec.json.encode(
                {
                    "standard": STANDARD,
                    "organisation": publisher_name(settings),
                    "generated_at": datetime.now(UTC).isoformat(),
                    "license": license_of(settings),
                    "statuses": list(STATUSES),
                    "algorithms": await algorithm_records(settings),
                }
            )

        return await export_response(request, "algorithms-json", "application/json", build, open_data_headers(settings))

    @get("/register/algorithms.csv", name="register_algorithms_csv", opt=OPEN_DATA)
    async def csv_export(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            return to_csv(await algorithm_records(settings)).encode()

        headers = {
            "Content-Disposition": f'attachment; filename="algorithms-{settings.city.slug}.csv"',
            **open_data_headers(settings),
        }
        return await export_response(request, "algorithms-csv", "text/csv; charset=utf-8", build, headers)
