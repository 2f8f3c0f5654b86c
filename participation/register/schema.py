"""The JSON Schema (draft 2020-12) of `/register.json`, published at `/register/schema/v1.json`.

Versioning (docs/open-data.md): within a version the document only grows. A new column is an
added, optional-to-read property (consumers ignore properties they do not know, so the schema
allows them); a column is never removed, renamed or given another type or meaning within a
version. Such a change makes v2, at a new address (`/register/schema/v2.json`), and v1 stays
published, and exported beside it, for at least a year.

The importer of the region view (participation.register.region) validates another city's
export against this schema, so the columns a v1 document must have are the ones listed here.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.register.open_data import OPEN_DATA, absolute, open_data_headers
from participation.register.tables import Decision, DpiaStatus, Origin, PartnerKind, Status
from participation.register.transparency import RiskCategory
from participation.scope import Scope
from participation.settings import Settings

VERSION = 1
PATH = f"/register/schema/v{VERSION}.json"


def schema_url(settings: Settings) -> str:
    return absolute(settings, PATH)


def _text(description: str, nullable: bool = True, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "description": description, **extra}


def _enum(values: list[str], description: str, nullable: bool = True) -> dict[str, Any]:
    return {"enum": [*values, *([None] if nullable else [])], "description": description}


def _bool(description: str) -> dict[str, Any]:
    return {"type": ["boolean", "null"], "description": description + " (null: unknown)"}


def _date(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "format": "date", "description": description}


def _datetime(description: str, nullable: bool = True) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "format": "date-time", "description": description}


def _url(description: str, nullable: bool = True) -> dict[str, Any]:
    return _text(description, nullable, format="uri")


ENTRY_PROPERTIES: dict[str, dict[str, Any]] = {
    "slug": _text("Stable identifier, part of the entry's address.", False, pattern="^[a-z0-9]+(-[a-z0-9]+)*$"),
    "url": _url("The entry's public page.", False),
    "title": _text("Title.", False, minLength=1),
    "summary": _text("One-paragraph summary.", False),
    "description": _text("Description (Markdown source).", False),
    "origin": _enum(
        [o.value for o in Origin], "Where the entry came from: the city, a resident's idea or a pilot.", False
    ),
    "idea_id": {"type": ["integer", "null"], "description": "The idea or pilot proposal it was routed from."},
    "idea_url": _url("The page of that idea."),
    "status": _enum([s.value for s in Status], "Lifecycle status.", False),
    "programme_line": _text("Programme line slug (null: not yet assigned)."),
    "programme_line_name": _text("Programme line name in the city's language."),
    "theme": _text("Theme slug.", False),
    "theme_name": _text("Theme name in the city's language."),
    "scope": _enum(
        [s.value for s in Scope],
        "narrow: smart through data and applications; broad: innovation and collaboration.",
        False,
    ),
    "department": _text("Owning department.", False),
    "contact_email": _text("Public team address.", format="email"),
    "partners": {
        "type": "array",
        "description": "Organisations working on the project.",
        "items": {
            "type": "object",
            "required": ["name", "kind"],
            "properties": {
                "name": {"type": "string"},
                "kind": {"enum": [k.value for k in PartnerKind]},
            },
        },
    },
    "neighbourhoods": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Neighbourhood slugs; `whole-city` for the whole city.",
    },
    "start_date": _date("Start date."),
    "end_date": _date("End date."),
    "budget_eur": {"type": ["integer", "null"], "minimum": 0, "description": "Budget in whole euros."},
    "response_due_at": _datetime("When the municipality responds to a routed entry."),
    "response_overdue": {"type": "boolean", "description": "Still received after response_due_at."},
    "declined_reason": _text("The public reason of a declined entry."),
    "personal_data": _bool("Processes personal data"),
    "data_description": _text("Which data and sensors."),
    "data_purpose": _text("Purpose of the data processing."),
    "legal_basis": _text("Legal basis (GDPR)."),
    "dpia_status": _enum([d.value for d in DpiaStatus], "Data protection impact assessment."),
    "dpia_url": _url("Link to the DPIA."),
    "retention_period": _text("How long data is kept."),
    "open_data_url": _url("Where the project's data is published."),
    "algorithm_used": _bool("Uses an algorithm"),
    "algorithm_register_url": _url("The entry in an algorithm register."),
    "lessons_tried": _text("Lessons learned: what was tried."),
    "lessons_outcome": _text("Lessons learned: the outcome against the goals."),
    "lessons_decision": _enum([d.value for d in Decision], "Lessons learned: the decision."),
    "lessons_decision_reason": _text("Lessons learned: why this decision."),
    "lessons_advice": _text("Lessons learned: advice for other projects and cities."),
    "created_at": _datetime("When the entry was added (UTC).", False),
    "updated_at": _datetime("When the entry last changed (UTC).", False),
    "decision_making": _text("Algorithm register: the decision-making process."),
    "impact": _text("Algorithm register: impact on residents and the city."),
    "risks": _text("Algorithm register: risks and their management."),
    "risk_category": _enum([c.value for c in RiskCategory], "Risk category under the EU AI Act."),
    "proportionality": _text("Algorithm register: proportionality and subsidiarity."),
    "human_intervention": _text("Algorithm register: who checks and can overrule the outcome."),
    "iama_url": _url("The human rights and algorithms impact assessment (IAMA)."),
    "priority": _enum(["high", "medium", "low"], "The programme's priority for the entry (null: not yet set)."),
    "priority_rationale": _text("Why the entry has that priority."),
    "indicators": {
        "type": "array",
        "description": "The indicators of the entry's goals, compared with their targets.",
        "items": {
            "type": "object",
            "required": ["goal", "indicator", "unit", "baseline", "target", "direction", "last_value", "target_met"],
            "properties": {
                "goal": {"type": "string"},
                "indicator": {"type": "string"},
                "unit": {"type": "string"},
                "baseline": {"type": "number"},
                "target": {"type": "number"},
                "direction": {"enum": ["higher", "lower", None]},
                "last_value": {"type": ["number", "null"]},
                "last_measured_on": {"type": ["string", "null"], "format": "date"},
                "target_met": {"type": ["boolean", "null"], "description": "null: nothing measured yet."},
            },
        },
    },
    "latitude": {
        "type": ["number", "null"],
        "minimum": -90,
        "maximum": 90,
        "description": "WGS84 latitude of the place.",
    },
    "longitude": {
        "type": ["number", "null"],
        "minimum": -180,
        "maximum": 180,
        "description": "WGS84 longitude of the place.",
    },
    "sensors": {
        "type": "array",
        "description": "The sensors the project uses.",
        "items": {
            "type": "object",
            "required": ["kind", "measures", "mobile", "location", "latitude", "longitude"],
            "properties": {
                "kind": {"type": "string"},
                "measures": {"type": "string"},
                "mobile": {"type": ["boolean", "null"], "description": "null: unknown"},
                "location": {"type": "string"},
                "latitude": {"type": ["number", "null"]},
                "longitude": {"type": ["number", "null"]},
            },
        },
    },
}


def register_schema(settings: Settings) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url(settings),
        "title": "Smart City project register (open data)",
        "description": (
            f"The public project register as published at {absolute(settings, '/register.json')}. "
            f"Version {VERSION}: properties are only added within a version; consumers ignore unknown ones."
        ),
        "type": "object",
        "required": ["$schema", "city", "generated_at", "license", "columns", "entries"],
        "properties": {
            "$schema": {"type": "string", "format": "uri", "pattern": f"/register/schema/v{VERSION}\\.json$"},
            "city": {"type": "string", "minLength": 1, "description": "The municipality."},
            "generated_at": {"type": "string", "format": "date-time"},
            "license": {
                "type": "object",
                "required": ["name", "url"],
                "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            },
            "columns": {"type": "array", "items": {"type": "string"}, "description": "The entries' property names."},
            "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
        },
        "$defs": {
            "entry": {
                "type": "object",
                "required": list(ENTRY_PROPERTIES),
                "properties": ENTRY_PROPERTIES,
            }
        },
    }


class RegisterSchema(Controller):
    include_in_schema = False

    @get(PATH, name="register_schema", opt=OPEN_DATA)
    async def schema(self, settings: NamedDependency[Settings]) -> Response:
        return Response(
            register_schema(settings),
            media_type="application/schema+json",
            headers={**open_data_headers(settings), "Cache-Control": "public, max-age=3600"},
        )
