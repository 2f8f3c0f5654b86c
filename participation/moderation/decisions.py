"""Decisions on one idea: publish, request changes, reject, duplicate, route, threshold, assign, notes, reclassify.

The status changes themselves go through the ideas and voting services (publish,
request_changes, reject, merge_ideas, route_manually, set_threshold); this module adds
who may (checked once per action, see `permissions`), the reasons, the author's notices
and the decision row, in one write transaction. `decide` is the API's one entry point.
"""

from __future__ import annotations

import json

from ideas import services as ideas
from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.moderation.hiding import hide, restore
from participation.moderation.log import REASON_MAX, record
from participation.moderation.permissions import author_id, authorize, can_administer, can_moderate
from participation.moderation.tables import AuthorNotice, StaffNote, Triage
from participation.settings import Settings
from participation.validation import Errors, FormErrors, Message, check_length, clean_text
from voting import services as voting

NOTE_MAX = 2_000

REJECT_REASONS = {
    "off_topic": N_("Off-topic"),
    "not_municipal": N_("Not a municipal matter"),
    "offensive": N_("Offensive"),
    "personal_data": N_("Personal data"),
    "spam": N_("Spam"),
    "other": N_("Other"),
}


async def publish(settings: Settings, actor: Account | None, idea_id: int, *, events: DomainEvents) -> Idea:
    authorize(can_moderate(actor))
    async with write_transaction():
        idea = await ideas.publish(settings, idea_id, events=events)
        await record(actor, "publish", "idea", idea_id)
    return idea


async def request_changes(
    settings: Settings, actor: Account | None, idea_id: int, message: str, *, events: DomainEvents
) -> Idea:
    authorize(can_moderate(actor))
    async with write_transaction():
        idea = await ideas.request_changes(idea_id, message, events=events)
        await record(actor, "request_changes", "idea", idea_id, reason=idea.moderator_message)
    return idea


async def reject(
    settings: Settings, actor: Account | None, idea_id: int, category: str, text: str, *, events: DomainEvents
) -> Idea:
    """Reject with a reason from the list and a text the author sees; both are required."""
    authorize(can_moderate(actor))
    errors = Errors()
    if category not in REJECT_REASONS:
        errors.add("category", N_("Choose a reason."))
    text = clean_text(text)
    check_length(errors, "message", text, 1, REASON_MAX)
    errors.raise_if_any()
    async with write_transaction():
        idea = await ideas.reject(idea_id, text, events=events)
        await record(actor, "reject", "idea", idea_id, category=category, reason=text)
    return idea


async def mark_duplicate(
    settings: Settings, actor: Account | None, idea_id: int, original_id: int | None, *, events: DomainEvents
) -> voting.MergeOutcome:
    """Merge this idea into the original (the voting service moves the supports once)."""
    authorize(can_moderate(actor))
    if not original_id:
        raise FormErrors({"duplicate_of": N_("Choose the original idea.")})
    async with write_transaction():
        original = await Idea.objects().get(Idea.id == original_id)
        if original is None:
            raise FormErrors({"duplicate_of": N_("This idea does not exist.")})
        outcome = await voting.merge_ideas(settings, idea_id, original_id, events=events)
        await record(actor, "duplicate", "idea", idea_id, reason=f"#{original_id}")
    return outcome


async def route(settings: Settings, actor: Account | None, idea_id: int, reason: str, *, events: DomainEvents) -> str:
    """Route a published idea by hand; returns the register entry's slug."""
    authorize(can_moderate(actor))
    reason = clean_text(reason)
    if not reason:
        raise FormErrors({"reason": N_("Give a reason for routing this idea.")})
    async with write_transaction():
        entry = await voting.route_manually(settings, actor, idea_id, reason, events=events)  # type: ignore[arg-type]
        await record(actor, "route", "idea", idea_id, reason=reason[:REASON_MAX])
    return entry.slug


async def set_threshold(
    settings: Settings, actor: Account | None, idea_id: int, value: object, *, events: DomainEvents
) -> str | None:
    """An administrator's per-idea threshold (empty: the city's); returns the entry's slug if it routed.

    Whether the idea's status still allows it is the voting service's rule (409 otherwise).
    """
    authorize(can_administer(actor), N_("Only administrators can change an idea's threshold."))
    text = clean_text(value)
    if text and not text.isdigit():
        raise FormErrors({"threshold": N_("Enter a whole number, or leave empty for the city's threshold.")})
    threshold = int(text) if text else None
    async with write_transaction():
        slug = await voting.set_threshold(settings, idea_id, threshold, events=events)
        await record(
            actor,
            "set_threshold",
            "idea",
            idea_id,
            reason=str(threshold) if threshold else f"city default ({settings.city.support_threshold})",
        )
    return slug


async def assign(actor: Account | None, idea_id: int, moderator_id: int | None) -> None:
    """Assign the idea to a moderator (None: unassign)."""
    authorize(can_moderate(actor))
    await ideas.get_idea(idea_id)
    name = None
    if moderator_id is not None:
        assignee = await Account.objects().get(Account.id == moderator_id)
        # The assignee must be someone who may moderate (the same rule, about another account).
        if assignee is None or not can_moderate(assignee):
            raise FormErrors({"moderator": N_("Choose a moderator.")})
        name = assignee.display_name
    async with write_transaction():
        now = utcnow()
        await Triage.insert(Triage(idea=idea_id, assigned_to=moderator_id, updated_at=now)).on_conflict(
            target=Triage.idea, action="DO UPDATE", values=[Triage.assigned_to, Triage.updated_at]
        )
        await record(actor, "assign", "idea", idea_id, reason=name)


async def add_note(actor: Account | None, idea_id: int, body: str) -> StaffNote:
    """An internal staff note. The decision row does not copy the text."""
    authorize(can_moderate(actor))
    assert actor is not None
    body = clean_text(body)
    errors = Errors()
    check_length(errors, "note", body, 1, NOTE_MAX)
    errors.raise_if_any()
    await ideas.get_idea(idea_id)
    async with write_transaction():
        note = StaffNote(idea=idea_id, author=actor.id, body=body, created_at=utcnow())
        await note.save()
        await record(actor, "note", "idea", idea_id)
    return note


async def reclassify(
    settings: Settings,
    actor: Account | None,
    idea_id: int,
    theme: str,
    neighbourhood: str,
    scope: str,
    message: str = "",
) -> list[tuple[str, str, str]]:
    """Correct theme, neighbourhood and scope; the author is told (a notice on the idea and account page)."""
    authorize(can_moderate(actor))
    message = clean_text(message)
    errors = Errors()
    check_length(errors, "message", message, 0, REASON_MAX)
    errors.raise_if_any()
    async with write_transaction():
        changes = await ideas.reclassify(settings, idea_id, theme, neighbourhood, scope)
        if not changes:
            raise FormErrors({"theme": N_("Change the theme, the neighbourhood or the scope.")})
        idea = await ideas.get_idea(idea_id)
        await AuthorNotice.insert(
            AuthorNotice(
                idea=idea_id,
                account=author_id(idea),
                kind="reclassified",
                changes=json.dumps([{"field": f, "old": old, "new": new} for f, old, new in changes]),
                message=message,
                created_at=utcnow(),
            )
        )
        await record(
            actor, "reclassify", "idea", idea_id, reason="; ".join(f"{f}: {old} -> {new}" for f, old, new in changes)
        )
    return changes


async def notices_for_idea(idea_id: int) -> list[dict]:
    rows = (
        await AuthorNotice.select()
        .where(AuthorNotice.idea == idea_id)
        .order_by(AuthorNotice.created_at, ascending=False)
        .limit(20)
    )
    return [{**r, "changes": json.loads(r["changes"] or "[]")} for r in rows]


async def notices_for_account(account: Account, limit: int = 20) -> list[dict]:
    rows = (
        await AuthorNotice.select(*AuthorNotice.all_columns(), AuthorNotice.idea.title.as_alias("idea_title"))
        .where(AuthorNotice.account == account.id)
        .order_by(AuthorNotice.created_at, ascending=False)
        .limit(limit)
    )
    return [{**r, "changes": json.loads(r["changes"] or "[]")} for r in rows]


async def decide(
    settings: Settings,
    actor: Account | None,
    idea_id: int,
    action: str,
    reason: str | None = None,
    message: str | None = None,
    duplicate_of: int | None = None,
    *,
    events: DomainEvents,
) -> None:
    """The API's one decision endpoint: `action` on an idea, each checking its own permission.

    Reject takes a reason category and a message, hide a category, route a reason.
    """
    if action == "publish":
        await publish(settings, actor, idea_id, events=events)
    elif action == "request_changes":
        await request_changes(settings, actor, idea_id, message or "", events=events)
    elif action == "reject":
        await reject(settings, actor, idea_id, reason or "", message or "", events=events)
    elif action == "duplicate":
        await mark_duplicate(settings, actor, idea_id, duplicate_of, events=events)
    elif action == "route":
        await route(settings, actor, idea_id, reason or message or "", events=events)
    elif action == "hide":
        await hide(actor, "idea", idea_id, reason or "", message or "", events=events)
    elif action == "restore":
        await restore(actor, "idea", idea_id, message or "", events=events)
    else:
        raise FormErrors({"action": Message(N_("Unknown action."))})
