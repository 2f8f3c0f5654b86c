"""API schemas for the register: separate input (create, patch, update) and output Structs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from participation.validation import RecordId


class Partner(msgspec.Struct):
    name: str
    kind: str = "other"


class Sensor(msgspec.Struct):
    """A sensor in the data-and-privacy block. `mobile`: true, false (fixed) or null (unknown)."""

    kind: str
    measures: str = ""
    mobile: bool | None = None
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None


class FirstGoal(msgspec.Struct, forbid_unknown_fields=True):
    """The goal and indicator an entry starting as planned or running is created with."""

    goal: str
    indicator: str
    unit: str
    baseline: float
    target: float
    direction: str | None = None  # higher | lower; null: from the baseline towards the target


class EntryCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new entry. `status` is the starting status (received, under_assessment, planned or running).
    `draft`: visible to register editors only until published on the entry's page. `first_goal`:
    required when it starts as planned or running."""

    title: str
    summary: str
    theme: str
    scope: str
    description: str = ""
    origin: str = "city"
    idea_id: RecordId | None = None
    status: str = "received"
    update_text: str | None = None
    draft: bool = False
    first_goal: FirstGoal | None = None
    programme_line: str | None = None
    department: str = ""
    contact_email: str | None = None
    partners: list[Partner] = []
    neighbourhoods: list[str] = []
    sensors: list[Sensor] = []
    latitude: float | None = None
    longitude: float | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget_eur: int | None = None
    response_due_at: datetime | None = None
    personal_data: bool | None = None
    data_description: str | None = None
    data_purpose: str | None = None
    legal_basis: str | None = None
    dpia_status: str | None = None
    dpia_url: str | None = None
    retention_period: str | None = None
    open_data_url: str | None = None
    algorithm_used: bool | None = None
    algorithm_register_url: str | None = None
    lessons_tried: str | None = None
    lessons_outcome: str | None = None
    lessons_decision: str | None = None
    lessons_decision_reason: str | None = None
    lessons_advice: str | None = None
    # Algorithmic transparency (participation.register.transparency).
    decision_making: str | None = None
    impact: str | None = None
    risks: str | None = None
    risk_category: str | None = None
    proportionality: str | None = None
    human_intervention: str | None = None
    iama_url: str | None = None
    owner: RecordId | None = None  # the account id of an editor or admin
    priority: str | None = None  # high | medium | low; needs priority_rationale
    priority_rationale: str | None = None


class EntryPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; `null` clears an optional field. Status changes go through updates."""

    title: str | UnsetType = UNSET
    summary: str | UnsetType = UNSET
    theme: str | UnsetType = UNSET
    scope: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    origin: str | UnsetType = UNSET
    idea_id: RecordId | None | UnsetType = UNSET
    programme_line: str | None | UnsetType = UNSET
    department: str | UnsetType = UNSET
    contact_email: str | None | UnsetType = UNSET
    partners: list[Partner] | UnsetType = UNSET
    neighbourhoods: list[str] | UnsetType = UNSET
    sensors: list[Sensor] | UnsetType = UNSET
    latitude: float | None | UnsetType = UNSET
    longitude: float | None | UnsetType = UNSET
    start_date: date | None | UnsetType = UNSET
    end_date: date | None | UnsetType = UNSET
    budget_eur: int | None | UnsetType = UNSET
    response_due_at: datetime | None | UnsetType = UNSET
    personal_data: bool | None | UnsetType = UNSET
    data_description: str | None | UnsetType = UNSET
    data_purpose: str | None | UnsetType = UNSET
    legal_basis: str | None | UnsetType = UNSET
    dpia_status: str | None | UnsetType = UNSET
    dpia_url: str | None | UnsetType = UNSET
    retention_period: str | None | UnsetType = UNSET
    open_data_url: str | None | UnsetType = UNSET
    algorithm_used: bool | None | UnsetType = UNSET
    algorithm_register_url: str | None | UnsetType = UNSET
    lessons_tried: str | None | UnsetType = UNSET
    lessons_outcome: str | None | UnsetType = UNSET
    lessons_decision: str | None | UnsetType = UNSET
    lessons_decision_reason: str | None | UnsetType = UNSET
    lessons_advice: str | None | UnsetType = UNSET
    decision_making: str | None | UnsetType = UNSET
    impact: str | None | UnsetType = UNSET
    risks: str | None | UnsetType = UNSET
    risk_category: str | None | UnsetType = UNSET
    proportionality: str | None | UnsetType = UNSET
    human_intervention: str | None | UnsetType = UNSET
    iama_url: str | None | UnsetType = UNSET
    owner: RecordId | None | UnsetType = UNSET
    priority: str | None | UnsetType = UNSET
    priority_rationale: str | None | UnsetType = UNSET


class UpdateCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A timeline update; with `status` it is a status change (`reason` is required for `declined`)."""

    text: str
    status: str | None = None
    reason: str | None = None


class TimelineItem(msgspec.Struct):
    created_at: datetime
    status: str | None
    previous_status: str | None
    text: str
    author_role: str


class Entry(msgspec.Struct):
    slug: str
    url: str
    title: str
    summary: str
    description: str
    origin: str
    idea_id: int | None
    idea_url: str | None
    status: str
    programme_line: str | None
    theme: str
    scope: str
    department: str
    contact_email: str | None
    partners: list[Partner]
    neighbourhoods: list[str]
    sensors: list[Sensor]
    latitude: float | None
    longitude: float | None
    start_date: date | None
    end_date: date | None
    budget_eur: int | None
    response_due_at: datetime | None
    response_overdue: bool
    declined_reason: str | None
    personal_data: bool | None
    data_description: str | None
    data_purpose: str | None
    legal_basis: str | None
    dpia_status: str | None
    dpia_url: str | None
    retention_period: str | None
    open_data_url: str | None
    algorithm_used: bool | None
    algorithm_register_url: str | None
    lessons_tried: str | None
    lessons_outcome: str | None
    lessons_decision: str | None
    lessons_decision_reason: str | None
    lessons_advice: str | None
    created_at: datetime
    updated_at: datetime
    decision_making: str | None
    impact: str | None
    risks: str | None
    risk_category: str | None
    proportionality: str | None
    human_intervention: str | None
    iama_url: str | None
    priority: str | None
    priority_rationale: str | None


class Measurement(msgspec.Struct):
    value: float
    measured_on: date
    note: str


class Indicator(msgspec.Struct):
    """`target_met` compares the last measured value (by date) with the target; null: not measured."""

    name: str
    unit: str
    baseline: float
    target: float
    direction: str | None
    measurements: list[Measurement]
    last_value: float | None
    last_measured_on: date | None
    target_met: bool | None


class Goal(msgspec.Struct):
    text: str
    indicators: list[Indicator]


class AssessmentItem(msgspec.Struct):
    criterion: str
    verdict: str
    explanation: str


class Assessment(msgspec.Struct):
    decided_at: datetime
    items: list[AssessmentItem]


class EntryDetail(Entry):
    timeline: list[TimelineItem] = []
    # The accountable owner's role ("editor" or "admin"); the person is not published.
    owner_role: str | None = None
    goals: list[Goal] = []
    # Present once decided; staff-only (absent) before.
    assessment: Assessment | None = None


class EntryPage(msgspec.Struct):
    items: list[Entry]
    total: int
    page: int
    per_page: int


def entry_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/register/{slug}"


def idea_url(base_url: str, idea_id: int | None) -> str | None:
    return f"{base_url.rstrip('/')}/ideas/{idea_id}" if idea_id else None


def entry_out(view: dict[str, Any], base_url: str, detail: bool = False) -> Entry:
    fields = {name: view[name] for name in Entry.__struct_fields__ if name in view}
    fields["partners"] = [Partner(**p) for p in view["partners"]]
    fields["sensors"] = [Sensor(**p) for p in view["sensors"]]
    fields["url"] = entry_url(base_url, view["slug"])
    fields["idea_url"] = idea_url(base_url, view["idea_id"])
    if detail:
        return EntryDetail(
            **fields,
            timeline=[TimelineItem(**t) for t in view["timeline"]],
            owner_role=view.get("owner_role"),
            goals=[goal_out(g) for g in view.get("goals", [])],
            assessment=assessment_out(view.get("assessment")),
        )
    return Entry(**fields)


def patch_values(data: EntryPatch) -> dict[str, Any]:
    """The fields actually sent, as plain values for the service."""
    out = {}
    for name in data.__struct_fields__:
        value = getattr(data, name)
        if value is UNSET:
            continue
        out[name] = [msgspec.to_builtins(p) for p in value] if name in ("partners", "sensors") else value
    return out


def create_values(data: EntryCreate) -> dict[str, Any]:
    out = {name: getattr(data, name) for name in data.__struct_fields__}
    out["partners"] = [msgspec.to_builtins(p) for p in data.partners]
    out["sensors"] = [msgspec.to_builtins(p) for p in data.sensors]
    if (first := out.pop("first_goal")) is not None:
        out.update(
            goal=first.goal,
            indicator_name=first.indicator,
            unit=first.unit,
            baseline=str(first.baseline),
            target=str(first.target),
            direction=first.direction or "",
        )
    return out


def goal_out(goal: dict[str, Any]) -> Goal:
    return Goal(
        text=goal["text"],
        indicators=[
            Indicator(
                name=i["name"],
                unit=i["unit"],
                baseline=i["baseline"],
                target=i["target"],
                direction=i["direction"],
                measurements=[
                    Measurement(value=m["value"], measured_on=m["measured_on"], note=m["note"])
                    for m in i["measurements"]
                ],
                last_value=i["latest"]["value"] if i["latest"] else None,
                last_measured_on=i["latest"]["measured_on"] if i["latest"] else None,
                target_met=i["target_met"],
            )
            for i in goal["indicators"]
        ],
    )


def assessment_out(assessment: dict[str, Any] | None) -> Assessment | None:
    if not assessment:
        return None
    return Assessment(
        decided_at=assessment["decided_at"],
        items=[
            AssessmentItem(criterion=slug, verdict=item["verdict"], explanation=item["explanation"])
            for slug, item in assessment["items"].items()
        ],
    )
