"""Goals and indicators of a register entry, their measured values, and the comparison in the lessons.

Each goal is measured by one or more indicators (a baseline at the start, a target, a unit and
optionally which way is better). Editors record measured values over time; the latest value by
measurement date is what the lessons learned compare with the target. An entry moves to
`planned` only with at least one goal that has an indicator (`permissions.transition_refusal`),
and from then on keeps one: the last indicator of a planned or later entry cannot be deleted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from participation.accounts.tables import Account
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.permissions import can_edit_register
from participation.register.tables import (
    Direction,
    RegisterEntry,
    RegisterGoal,
    RegisterIndicator,
    RegisterMeasurement,
    Status,
)
from participation.validation import DomainError, Errors, FormErrors, check_length, clean_text

MAX_GOALS = 20
MAX_INDICATORS = 50
MAX_MEASUREMENTS = 500  # per indicator: years of monthly values, with room to spare
LIMIT = 1e12  # PostgreSQL and SQLite store larger numbers, but no indicator needs them
# From `planned` on the entry is managed against its goals (and `declined` came before that).
KEEPS_GOALS = frozenset({Status.planned.value, Status.running.value, Status.completed.value, Status.stopped.value})
DIRECTIONS = tuple(d.value for d in Direction)


# -- input cleaning -------------------------------------------------------------


def _number(value: object, errors: Errors, field: str, required: bool = True) -> float | None:
    """A decimal number; a comma or a point as the decimal sign (Dutch writes 12,5)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = clean_text(value).replace(" ", "")
        if not text:
            if required:
                errors.add(field, N_("Enter a number."))
            return None
        if "," in text and "." in text:
            errors.add(field, N_("Enter a number with at most one decimal sign, e.g. 12.5 or 12,5."))
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            errors.add(field, N_("Enter a number."))
            return None
    if not math.isfinite(number) or abs(number) > LIMIT:
        errors.add(field, N_("Enter a number."))
        return None
    return number


def clean_indicator(raw: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    out: dict[str, Any] = {"name": clean_text(raw.get("indicator_name")), "unit": clean_text(raw.get("unit"))}
    check_length(errors, "indicator_name", out["name"], 3, 200)
    check_length(errors, "unit", out["unit"], 1, 40)
    out["baseline"] = _number(raw.get("baseline"), errors, "baseline")
    out["target"] = _number(raw.get("target"), errors, "target")
    direction = clean_text(raw.get("direction")) or None
    if direction is not None and direction not in DIRECTIONS:
        errors.add("direction", N_("Choose an option from the list."))
    out["direction"] = direction
    if out["baseline"] is not None and out["target"] is not None and "direction" not in errors.errors:
        if direction is None and out["baseline"] == out["target"]:
            errors.add("target", N_("The target equals the baseline: say whether higher or lower is better."))
        elif direction == Direction.higher.value and out["target"] < out["baseline"]:
            errors.add("target", N_("Higher is better, so the target cannot be below the baseline."))
        elif direction == Direction.lower.value and out["target"] > out["baseline"]:
            errors.add("target", N_("Lower is better, so the target cannot be above the baseline."))
    return out


def clean_goal(raw: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A new goal with its first indicator (a goal is only useful once it can be measured)."""
    errors = Errors()
    text = clean_text(raw.get("goal"))
    check_length(errors, "goal", text, 10, 300)
    indicator = clean_indicator(raw, errors)
    errors.raise_if_any()
    return text, indicator


def clean_measurement(raw: Mapping[str, Any], today: date) -> dict[str, Any]:
    errors = Errors()
    value = _number(raw.get("value"), errors, "value")
    measured_on: date | None = None
    text = clean_text(raw.get("measured_on"))
    if isinstance(raw.get("measured_on"), date):
        measured_on = raw["measured_on"]
    elif not text:
        errors.add("measured_on", N_("Enter a date as YYYY-MM-DD."))
    else:
        try:
            measured_on = date.fromisoformat(text)
        except ValueError:
            errors.add("measured_on", N_("Enter a date as YYYY-MM-DD."))
    if measured_on is not None and measured_on > today:
        errors.add("measured_on", N_("A measurement cannot be dated in the future."))
    note = clean_text(raw.get("note"))
    check_length(errors, "note", note, 0, 500)
    errors.raise_if_any()
    return {"value": value, "measured_on": measured_on, "note": note}


# -- rules ----------------------------------------------------------------------


def target_met(indicator: Mapping[str, Any], value: float | None) -> bool | None:
    """Whether `value` reaches the target (None: nothing measured). Without a direction, the
    better way is the way from the baseline to the target."""
    if value is None:
        return None
    direction = indicator.get("direction")
    if direction is None:
        direction = Direction.higher.value if indicator["target"] > indicator["baseline"] else Direction.lower.value
    if direction == Direction.higher.value:
        return value >= indicator["target"]
    return value <= indicator["target"]


# -- reading --------------------------------------------------------------------


async def goals_of(entry_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Goals with their indicators, measurements (oldest first), latest value and whether the
    target is met, per entry id: three queries whatever the number of entries."""
    out: dict[int, list[dict[str, Any]]] = {entry_id: [] for entry_id in entry_ids}
    if not entry_ids:
        return out
    goals = (
        await RegisterGoal.select(RegisterGoal.id, RegisterGoal.entry, RegisterGoal.text)
        .where(RegisterGoal.entry.is_in(entry_ids))
        .order_by(RegisterGoal.entry, RegisterGoal.position, RegisterGoal.id)
    )
    indicators = (
        await RegisterIndicator.select(
            RegisterIndicator.id,
            RegisterIndicator.goal,
            RegisterIndicator.name,
            RegisterIndicator.unit,
            RegisterIndicator.baseline,
            RegisterIndicator.target,
            RegisterIndicator.direction,
        )
        .where(RegisterIndicator.entry.is_in(entry_ids))
        .order_by(RegisterIndicator.goal, RegisterIndicator.position, RegisterIndicator.id)
    )
    measurements = (
        await RegisterMeasurement.select(
            RegisterMeasurement.id,
            RegisterMeasurement.indicator,
            RegisterMeasurement.value,
            RegisterMeasurement.measured_on,
            RegisterMeasurement.note,
        )
        .where(RegisterMeasurement.indicator.entry.is_in(entry_ids))
        .order_by(RegisterMeasurement.indicator, RegisterMeasurement.measured_on, RegisterMeasurement.id)
    )
    by_indicator: dict[int, list[dict[str, Any]]] = {}
    for row in measurements:
        by_indicator.setdefault(row.pop("indicator"), []).append(row)
    by_goal: dict[int, list[dict[str, Any]]] = {}
    for row in indicators:
        row["measurements"] = by_indicator.get(row["id"], [])
        row["latest"] = row["measurements"][-1] if row["measurements"] else None
        row["target_met"] = target_met(row, row["latest"]["value"] if row["latest"] else None)
        by_goal.setdefault(row.pop("goal"), []).append(row)
    for goal in goals:
        goal["indicators"] = by_goal.get(goal["id"], [])
        out[goal.pop("entry")].append(goal)
    return out


def outcome(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each indicator's baseline, target, last measured value and whether the target was met:
    what the lessons learned compare (and the exports publish)."""
    return [
        {
            "goal": goal["text"],
            "indicator": indicator["name"],
            "unit": indicator["unit"],
            "baseline": indicator["baseline"],
            "target": indicator["target"],
            "direction": indicator["direction"],
            "last_value": indicator["latest"]["value"] if indicator["latest"] else None,
            "last_measured_on": indicator["latest"]["measured_on"] if indicator["latest"] else None,
            "target_met": indicator["target_met"],
        }
        for goal in goals
        for indicator in goal["indicators"]
    ]


async def indicator_count(entry_id: int) -> int:
    return await RegisterIndicator.count().where(RegisterIndicator.entry == entry_id)


# -- writing --------------------------------------------------------------------


def _require_editor(account: Account | None) -> None:
    if not can_edit_register(account):
        raise DomainError(N_("Only register editors can change the register."), 403)


async def _locked_entry(slug: str) -> dict[str, Any]:
    """The entry row, locked: goal changes of one entry queue behind each other (the "keeps one
    indicator" rule would otherwise let two deletes remove the last two at once)."""
    entry = await for_update(
        RegisterEntry.select(RegisterEntry.id, RegisterEntry.status).where(RegisterEntry.slug == slug)
    ).first()
    if entry is None:
        raise DomainError(N_("There is no register entry at this address."), 404)
    return entry


async def _touch(entry_id: int) -> None:
    # The exports' version follows updated_at: a new measurement is a new file.
    await RegisterEntry.update({RegisterEntry.updated_at: utcnow()}).where(RegisterEntry.id == entry_id)


async def add_goal(account: Account, slug: str, raw: Mapping[str, Any]) -> int:
    _require_editor(account)
    text, indicator = clean_goal(raw)
    async with write_transaction():
        entry = await _locked_entry(slug)
        if await RegisterGoal.count().where(RegisterGoal.entry == entry["id"]) >= MAX_GOALS:
            raise FormErrors({"goal": N_("An entry has at most 20 goals.")})
        goal = RegisterGoal(entry=entry["id"], position=await _next_position(RegisterGoal, entry["id"]), text=text)
        await goal.save()
        await _insert_indicator(entry["id"], goal.id, indicator)
        await _touch(entry["id"])
    return goal.id


# Statuses a new entry may start in that are "planned" or beyond: it is created with its first goal.
STARTS_PLANNED = frozenset({"planned", "running"})
FIRST_GOAL_NEEDED = N_(
    "A project that starts as planned or running needs its first goal with an indicator (baseline and target):"
    " fill in the goal fields, or start it as received or under assessment."
)


def clean_first_goal(status: str, raw: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The goal a new entry starting as planned or running must bring (the same rule as moving to planned)."""
    if status not in STARTS_PLANNED:
        return None
    if not clean_text(raw.get("goal")):
        raise FormErrors({"goal": FIRST_GOAL_NEEDED})
    return clean_goal(raw)


async def add_first_goal(entry_id: int, first_goal: tuple[str, dict[str, Any]]) -> None:
    """Inside the creating transaction: the new entry's first goal and indicator."""
    text, indicator = first_goal
    goal = RegisterGoal(entry=entry_id, position=0, text=text)
    await goal.save()
    await _insert_indicator(entry_id, goal.id, indicator)


async def _next_position(table: Any, entry_id: int) -> int:
    row = (
        await table.select(table.position)
        .where(table.entry == entry_id)
        .order_by(table.position, ascending=False)
        .first()
    )
    return (row["position"] + 1) if row else 0


async def _insert_indicator(entry_id: int, goal_id: int, values: Mapping[str, Any]) -> None:
    if await RegisterIndicator.count().where(RegisterIndicator.entry == entry_id) >= MAX_INDICATORS:
        raise FormErrors({"indicator_name": N_("An entry has at most 50 indicators.")})
    await RegisterIndicator(
        entry=entry_id, goal=goal_id, position=await _next_position(RegisterIndicator, entry_id), **values
    ).save()


async def add_indicator(account: Account, slug: str, goal_id: int, raw: Mapping[str, Any]) -> None:
    _require_editor(account)
    errors = Errors()
    values = clean_indicator(raw, errors)
    errors.raise_if_any()
    async with write_transaction():
        entry = await _locked_entry(slug)
        if not await RegisterGoal.exists().where((RegisterGoal.id == goal_id) & (RegisterGoal.entry == entry["id"])):
            raise DomainError(N_("This goal does not belong to this entry."), 404)
        await _insert_indicator(entry["id"], goal_id, values)
        await _touch(entry["id"])


async def record_measurement(account: Account, slug: str, indicator_id: int, raw: Mapping[str, Any]) -> None:
    _require_editor(account)
    values = clean_measurement(raw, utcnow().date())
    async with write_transaction():
        entry = await _locked_entry(slug)
        if not await RegisterIndicator.exists().where(
            (RegisterIndicator.id == indicator_id) & (RegisterIndicator.entry == entry["id"])
        ):
            raise DomainError(N_("This indicator does not belong to this entry."), 404)
        if await RegisterMeasurement.count().where(RegisterMeasurement.indicator == indicator_id) >= MAX_MEASUREMENTS:
            raise FormErrors({"value": N_("This indicator has reached the maximum of 500 measurements.")})
        await RegisterMeasurement(indicator=indicator_id, created_at=utcnow(), **values).save()
        await _touch(entry["id"])


async def _refuse_losing_last_indicator(entry: Mapping[str, Any], removed: int) -> None:
    if entry["status"] in KEEPS_GOALS and await indicator_count(entry["id"]) - removed < 1:
        raise DomainError(
            N_("A planned, running or finished entry keeps at least one goal with an indicator: add another first."),
            409,
        )


async def delete_goal(account: Account, slug: str, goal_id: int) -> None:
    _require_editor(account)
    async with write_transaction():
        entry = await _locked_entry(slug)
        if not await RegisterGoal.exists().where((RegisterGoal.id == goal_id) & (RegisterGoal.entry == entry["id"])):
            raise DomainError(N_("This goal does not belong to this entry."), 404)
        await _refuse_losing_last_indicator(
            entry, await RegisterIndicator.count().where(RegisterIndicator.goal == goal_id)
        )
        await RegisterGoal.delete().where(RegisterGoal.id == goal_id)
        await _touch(entry["id"])


async def delete_indicator(account: Account, slug: str, indicator_id: int) -> None:
    _require_editor(account)
    async with write_transaction():
        entry = await _locked_entry(slug)
        if not await RegisterIndicator.exists().where(
            (RegisterIndicator.id == indicator_id) & (RegisterIndicator.entry == entry["id"])
        ):
            raise DomainError(N_("This indicator does not belong to this entry."), 404)
        await _refuse_losing_last_indicator(entry, 1)
        await RegisterIndicator.delete().where(RegisterIndicator.id == indicator_id)
        await _touch(entry["id"])


async def delete_measurement(account: Account, slug: str, measurement_id: int) -> None:
    _require_editor(account)
    async with write_transaction():
        entry = await _locked_entry(slug)
        indicators = (
            await RegisterIndicator.select(RegisterIndicator.id)
            .where(RegisterIndicator.entry == entry["id"])
            .output(as_list=True)
        )
        deleted = indicators and (
            await RegisterMeasurement.delete()
            .where((RegisterMeasurement.id == measurement_id) & RegisterMeasurement.indicator.is_in(indicators))
            .returning(RegisterMeasurement.id)
        )
        if not deleted:
            raise DomainError(N_("This measurement does not belong to this entry."), 404)
        await _touch(entry["id"])
