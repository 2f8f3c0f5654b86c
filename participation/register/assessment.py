"""The assessment of a register entry against the city's configured criteria.

Editors record a verdict on each criterion's scale (`city.ASSESSMENT_SCALES`) with an
explanation. While they work it is staff-only; once marked decided (every configured criterion
assessed) it is public on the entry's page and in the API. Reopening makes it staff-only again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from participation.accounts.tables import Account
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.permissions import can_edit_register
from participation.register.tables import RegisterAssessment, RegisterEntry
from participation.settings import Settings
from participation.validation import DomainError, Errors, FormErrors, check_length, clean_text


def _field(slug: str, part: str) -> str:
    return f"{part}_{slug}"


def clean_assessment(settings: Settings, raw: Mapping[str, Any]) -> tuple[dict[str, dict[str, str]], bool]:
    """Per configured criterion: a verdict and its explanation (both or neither); and whether to
    mark it decided, which needs every criterion assessed."""
    errors = Errors()
    verdicts: dict[str, dict[str, str]] = {}
    for criterion in settings.city.assessment_criteria:
        verdict_field, explanation_field = _field(criterion.slug, "verdict"), _field(criterion.slug, "explanation")
        verdict = clean_text(raw.get(verdict_field))
        explanation = clean_text(raw.get(explanation_field))
        if verdict and verdict not in criterion.values:
            errors.add(verdict_field, N_("Choose an option from the list."))
        elif verdict and not explanation:
            errors.add(explanation_field, N_("Explain this verdict."))
        elif explanation and not verdict:
            errors.add(verdict_field, N_("Choose the verdict this explanation belongs to."))
        elif verdict:
            check_length(errors, explanation_field, explanation, 10, 3000)
            verdicts[criterion.slug] = {"verdict": verdict, "explanation": explanation}
    decided = clean_text(raw.get("decided")) in ("yes", "on", "true", "1") or raw.get("decided") is True
    if decided and not errors.errors:
        for criterion in settings.city.assessment_criteria:
            if criterion.slug not in verdicts:
                errors.add(_field(criterion.slug, "verdict"), N_("A decided assessment covers every criterion."))
    errors.raise_if_any()
    return verdicts, decided


async def assessment_of(entry_id: int) -> dict[str, Any]:
    """The entry's assessment: `decided_at` (None: still open, staff-only) and `items`, the
    recorded verdicts by criterion slug (a criterion later dropped from the city file is kept
    but not shown: pages and the API list the configured criteria)."""
    decided = (
        await RegisterEntry.select(RegisterEntry.assessment_decided_at).where(RegisterEntry.id == entry_id).first()
    )
    rows = await RegisterAssessment.select(
        RegisterAssessment.criterion,
        RegisterAssessment.verdict,
        RegisterAssessment.explanation,
        RegisterAssessment.updated_at,
    ).where(RegisterAssessment.entry == entry_id)
    return {
        "decided_at": decided["assessment_decided_at"] if decided else None,
        "items": {row["criterion"]: row for row in rows},
    }


def public_assessment(assessment: Mapping[str, Any]) -> dict[str, Any] | None:
    """What everyone may see: the assessment once decided, nothing before."""
    return dict(assessment) if assessment.get("decided_at") else None


async def record_assessment(settings: Settings, account: Account, slug: str, raw: Mapping[str, Any]) -> datetime | None:
    """Save every criterion's verdict at once and set or clear the decision; returns decided_at."""
    if not can_edit_register(account):
        raise DomainError(N_("Only register editors can change the register."), 403)
    if not settings.city.assessment_criteria:
        raise FormErrors({"decided": N_("The city configuration lists no assessment criteria.")})
    verdicts, decided = clean_assessment(settings, raw)
    now = utcnow()
    async with write_transaction():
        entry = await for_update(
            RegisterEntry.select(RegisterEntry.id, RegisterEntry.assessment_decided_at).where(
                RegisterEntry.slug == slug
            )
        ).first()
        if entry is None:
            raise DomainError(N_("There is no register entry at this address."), 404)
        current = {
            row["criterion"]: row
            for row in await RegisterAssessment.select(
                RegisterAssessment.criterion, RegisterAssessment.verdict, RegisterAssessment.explanation
            ).where(RegisterAssessment.entry == entry["id"])
        }
        configured = [c.slug for c in settings.city.assessment_criteria]
        cleared = [slug for slug in configured if slug in current and slug not in verdicts]
        if cleared:
            await RegisterAssessment.delete().where(
                (RegisterAssessment.entry == entry["id"]) & RegisterAssessment.criterion.is_in(cleared)
            )
        for criterion, value in verdicts.items():
            before = current.get(criterion)
            if before and (before["verdict"], before["explanation"]) == (value["verdict"], value["explanation"]):
                continue  # unchanged: keep when it was last changed, and by whom
            if before:
                await RegisterAssessment.update(
                    {**_columns(value), RegisterAssessment.updated_at: now, RegisterAssessment.updated_by: account.id}
                ).where((RegisterAssessment.entry == entry["id"]) & (RegisterAssessment.criterion == criterion))
            else:
                await RegisterAssessment.insert(
                    RegisterAssessment(
                        entry=entry["id"], criterion=criterion, updated_at=now, updated_by=account.id, **value
                    )
                )
        # Deciding again keeps the first decision's date; editing a decided assessment keeps it public.
        decided_at = (entry["assessment_decided_at"] or now) if decided else None
        await RegisterEntry.update(
            {RegisterEntry.assessment_decided_at: decided_at, RegisterEntry.updated_at: now}
        ).where(RegisterEntry.id == entry["id"])
    return decided_at


def _columns(value: Mapping[str, str]) -> dict[Any, str]:
    return {RegisterAssessment.verdict: value["verdict"], RegisterAssessment.explanation: value["explanation"]}
