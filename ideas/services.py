"""Idea use cases: submit, edit, withdraw, the moderation transitions, comments, follows, trending.

Controllers (HTML and API), the CLI and the demo call these; the rules live
here and in `ideas.permissions`. Every write that touches more than one row
runs in one write transaction; counters change in the same transaction as the
rows they count; "only once" rules rest on unique indexes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime

from ideas import lifecycle, permissions
from ideas.events import CommentAdded, ContentWritten, IdeaActivity
from ideas.lifecycle import Transition
from ideas.tables import (
    Comment,
    CommentStatus,
    Follow,
    HiddenReason,
    Idea,
    IdeaKind,
    IdeaStatus,
    PilotAsk,
    Scope,
    WithdrawReason,
)
from participation.accounts.tables import Account, AccountKind
from participation.database import for_update, is_unique_violation, write_transaction
from participation.i18n import N_, gettext
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.settings import Settings
from participation.validation import DomainError, Errors, FormErrors, Message, check_length, clean_text

TITLE_LIMITS = (10, 120)
SUMMARY_LIMITS = (20, 300)
BODY_MAX = 10_000
LOCATION_MAX = 200
COMMENT_LIMITS = (1, 2_000)
PILOT_WHAT_LIMITS = (20, 2_000)
PILOT_WHERE_LIMITS = (3, 500)
PILOT_WEEKS = (1, 104)
PILOT_TEXT_MAX = 1_000
PERSONAL_DATA_LIMITS = (5, 1_000)
MIN_FILL_SECONDS = 3
# Shown instead of the name of an author whose account was deleted.
FORMER_PARTICIPANT = N_("Former participant")
FORM_TOKEN_MAX_AGE_S = 24 * 3600

NOT_FOUND = N_("This idea does not exist.")


def _id(value: object) -> int:
    return getattr(value, "id", value)  # type: ignore[return-value]


# -- input --------------------------------------------------------------------


@dataclass
class IdeaInput:
    """What a person sends to submit or edit an idea (form or API), not yet validated."""

    title: str = ""
    summary: str = ""
    body: str = ""
    theme: str = ""
    neighbourhood: str = ""
    scope: str = ""
    location: str = ""
    kind: str = IdeaKind.idea.value
    pilot_what: str = ""
    pilot_where: str = ""
    pilot_duration_weeks: str | int | None = None
    pilot_asks: list[str] = field(default_factory=list)
    pilot_ask_details: str = ""
    pilot_personal_data: str | bool | None = None
    pilot_personal_data_details: str = ""
    pilot_partners: str = ""

    @classmethod
    def from_form(cls, values: dict[str, object], asks: list[str], kind: str) -> IdeaInput:
        text = {
            name: str(values.get(name) or "")
            for name in (
                "title",
                "summary",
                "body",
                "theme",
                "neighbourhood",
                "scope",
                "location",
                "pilot_what",
                "pilot_where",
                "pilot_ask_details",
                "pilot_personal_data_details",
                "pilot_partners",
            )
        }
        return cls(
            **text,
            kind=kind,
            pilot_duration_weeks=str(values.get("pilot_duration_weeks") or ""),
            pilot_asks=list(asks),
            pilot_personal_data=str(values.get("pilot_personal_data") or "") or None,
        )


def _yes_no(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    return True if text in ("yes", "true", "1", "on") else False if text in ("no", "false", "0") else None


def validate_idea(settings: Settings, data: IdeaInput) -> dict[str, object]:
    """Column values for a valid idea, or FormErrors naming every problem at once."""
    errors = Errors()
    city = settings.city
    values: dict[str, object] = {
        "title": clean_text(data.title).replace("\n", " "),
        "summary": clean_text(data.summary),
        "body": clean_text(data.body),
        "location": clean_text(data.location) or None,
        "theme": clean_text(data.theme),
        "neighbourhood": clean_text(data.neighbourhood),
        "scope": clean_text(data.scope),
    }
    check_length(errors, "title", values["title"], *TITLE_LIMITS)  # type: ignore[arg-type]
    check_length(errors, "summary", values["summary"], *SUMMARY_LIMITS)  # type: ignore[arg-type]
    check_length(errors, "body", values["body"], 0, BODY_MAX)  # type: ignore[arg-type]
    check_length(errors, "location", values["location"] or "", 0, LOCATION_MAX)  # type: ignore[arg-type]
    if city.theme(values["theme"]) is None:  # type: ignore[arg-type]
        errors.add("theme", N_("Choose a theme."))
    if city.neighbourhood(values["neighbourhood"]) is None:  # type: ignore[arg-type]
        errors.add("neighbourhood", N_("Choose a neighbourhood or the whole city."))
    if values["scope"] not in {s.value for s in Scope}:
        errors.add("scope", N_("Choose narrow or broad."))
    if data.kind == IdeaKind.pilot.value:
        values.update(_validate_pilot(errors, data))
    errors.raise_if_any()
    return values


def _validate_pilot(errors: Errors, data: IdeaInput) -> dict[str, object]:
    values: dict[str, object] = {
        "pilot_what": clean_text(data.pilot_what),
        "pilot_where": clean_text(data.pilot_where),
        "pilot_ask_details": clean_text(data.pilot_ask_details) or None,
        "pilot_partners": clean_text(data.pilot_partners) or None,
    }
    check_length(errors, "pilot_what", values["pilot_what"], *PILOT_WHAT_LIMITS)  # type: ignore[arg-type]
    check_length(errors, "pilot_where", values["pilot_where"], *PILOT_WHERE_LIMITS)  # type: ignore[arg-type]
    check_length(errors, "pilot_ask_details", values["pilot_ask_details"] or "", 0, PILOT_TEXT_MAX)  # type: ignore[arg-type]
    check_length(errors, "pilot_partners", values["pilot_partners"] or "", 0, PILOT_TEXT_MAX)  # type: ignore[arg-type]
    try:
        weeks = int(str(data.pilot_duration_weeks).strip())
    except (TypeError, ValueError):
        weeks = None
    if weeks is None or not PILOT_WEEKS[0] <= weeks <= PILOT_WEEKS[1]:
        errors.add(
            "pilot_duration_weeks",
            Message(
                N_("Enter a whole number of weeks from %(min)s to %(max)s."), min=PILOT_WEEKS[0], max=PILOT_WEEKS[1]
            ),
        )
    values["pilot_duration_weeks"] = weeks
    known = [a.value for a in PilotAsk]
    asks = [a for a in known if a in set(data.pilot_asks)]
    if not asks or len(asks) != len(set(data.pilot_asks)):
        errors.add("pilot_asks", N_("Choose what you ask of the municipality."))
    values["pilot_asks"] = ",".join(asks)
    personal = _yes_no(data.pilot_personal_data)
    if personal is None:
        errors.add("pilot_personal_data", N_("Say whether the pilot collects personal data."))
    values["pilot_personal_data"] = personal
    details = clean_text(data.pilot_personal_data_details)
    if personal:
        check_length(errors, "pilot_personal_data_details", details, *PERSONAL_DATA_LIMITS)
    values["pilot_personal_data_details"] = details if personal else None
    return values


# -- bots and double submits ----------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _form_mac(settings: Settings, issued: int, nonce: str) -> str:
    return _b64(hmac.new(settings.secret_key.encode(), f"idea-form|{issued}|{nonce}".encode(), hashlib.sha256).digest())


def issue_form_token(settings: Settings, now: float | None = None) -> str:
    """A one-time token for a new-idea form: when it was issued, a nonce, and a signature."""
    issued = int(now if now is not None else time.time())
    nonce = secrets.token_urlsafe(16)
    return f"{issued}.{nonce}.{_form_mac(settings, issued, nonce)}"


def check_form(settings: Settings, token: str, honeypot: str, now: float | None = None) -> str:
    """Refuse bots (filled honeypot, posted faster than a person can type) and forged tokens.

    Returns the nonce that marks the idea this form creates.
    """
    now = now if now is not None else time.time()
    if honeypot.strip():
        raise DomainError(N_("Your submission looks automated and was not accepted."), 400)
    try:
        issued_text, nonce, mac = token.split(".")
        issued = int(issued_text)
    except ValueError:
        raise DomainError(N_("The form has expired. Please submit it again."), 400) from None
    # Bytes: compare_digest raises on a str with non-ASCII text.
    if (
        not hmac.compare_digest(mac.encode(), _form_mac(settings, issued, nonce).encode())
        or now - issued > FORM_TOKEN_MAX_AGE_S
    ):
        raise DomainError(N_("The form has expired. Please submit it again."), 400)
    if now - issued < MIN_FILL_SECONDS:
        raise DomainError(N_("That was very fast. Please check your idea and submit it again."), 400)
    return nonce


# -- submitting and editing ----------------------------------------------------


async def submit_idea(
    settings: Settings, account: Account | None, data: IdeaInput, *, events: DomainEvents, form_nonce: str | None = None
) -> tuple[Idea, bool]:
    """Create a `submitted` idea (the author follows it). Returns (idea, created).

    A second post of the same form (same nonce) returns the first idea instead of a copy.
    """
    if refusal := permissions.submit_refusal(account, data.kind):
        raise DomainError(refusal, 403)
    assert account is not None
    values = validate_idea(settings, data)
    now = utcnow()
    try:
        async with write_transaction():
            idea = Idea(
                author=account.id,
                kind=data.kind,
                status=IdeaStatus.submitted.value,
                created_at=now,
                updated_at=now,
                form_token=form_nonce,
                **values,
            )
            await idea.save()
            await Follow.insert(Follow(account=account.id, idea=idea.id, created_at=now)).on_conflict(
                target=(Follow.account, Follow.idea), action="DO NOTHING"
            )
    except Exception as exc:
        if form_nonce is None or not is_unique_violation(exc):
            raise
        first = await Idea.objects().get(Idea.form_token == form_nonce)
        if first is None or _id(first.author) != account.id:
            raise DomainError(N_("The form has expired. Please submit it again."), 400) from exc
        return first, False
    await events.publish(ContentWritten("idea", idea.id))
    return idea, True


async def get_idea(idea_id: int) -> Idea:
    idea = await Idea.objects().get(Idea.id == idea_id)
    if idea is None:
        raise DomainError(NOT_FOUND, 404)
    return idea


async def get_visible_idea(account: Account | None, idea_id: int) -> Idea:
    """The idea if this account may see it; 404 otherwise (a hidden idea does not exist for others)."""
    idea = await get_idea(idea_id)
    if not permissions.can_view(account, idea):
        raise DomainError(NOT_FOUND, 404)
    return idea


def idea_input_from(idea: Idea) -> IdeaInput:
    """The stored idea as input, to fill an edit form or to apply a partial API update to."""
    return IdeaInput(
        title=idea.title,
        summary=idea.summary,
        body=idea.body,
        theme=idea.theme,
        neighbourhood=idea.neighbourhood,
        scope=idea.scope,
        location=idea.location or "",
        kind=idea.kind,
        pilot_what=idea.pilot_what or "",
        pilot_where=idea.pilot_where or "",
        pilot_duration_weeks=idea.pilot_duration_weeks,
        pilot_asks=[a for a in (idea.pilot_asks or "").split(",") if a],
        pilot_ask_details=idea.pilot_ask_details or "",
        pilot_personal_data=idea.pilot_personal_data,
        pilot_personal_data_details=idea.pilot_personal_data_details or "",
        pilot_partners=idea.pilot_partners or "",
    )


async def edit_idea(
    settings: Settings, account: Account | None, idea_id: int, data: IdeaInput, *, events: DomainEvents
) -> Idea:
    """The author edits while submitted or needs_changes; the edit goes (back) to the moderators."""
    idea = await get_visible_idea(account, idea_id)
    if not permissions.is_author(account, idea):
        raise DomainError(N_("Only the author can edit this idea."), 403)
    if refusal := permissions.participation_refusal(account):
        raise DomainError(refusal, 403)
    data.kind = idea.kind
    values = validate_idea(settings, data)
    if not lifecycle.allows(Transition.resubmit, idea.status):
        raise DomainError(N_("This idea can no longer be edited. Add a comment instead."), 409)
    # Conditional on the state, so a moderator's decision in between is never overwritten.
    columns = {getattr(Idea, name): value for name, value in values.items()}
    if not await lifecycle.change_status(idea_id, Transition.resubmit, columns, events=events):
        raise DomainError(N_("This idea can no longer be edited. Add a comment instead."), 409)
    await events.publish(ContentWritten("idea", idea_id))
    return await get_idea(idea_id)


async def withdraw_idea(account: Account | None, idea_id: int, reason: str, *, events: DomainEvents) -> Idea:
    idea = await get_visible_idea(account, idea_id)
    if not permissions.is_author(account, idea):
        raise DomainError(N_("Only the author can withdraw this idea."), 403)
    if reason not in {r.value for r in WithdrawReason}:
        raise FormErrors({"reason": N_("Choose a reason.")})
    now = utcnow()
    values = {Idea.withdraw_reason: reason, Idea.withdrawn_at: now}
    if not await lifecycle.change_status(idea_id, Transition.withdraw, values, now, events=events, reason=reason):
        raise DomainError(N_("This idea can no longer be withdrawn."), 409)
    return await get_idea(idea_id)


# -- status changes moderators decide (participation.moderation checks who may) ----------


async def _decide(
    idea_id: int, transition: Transition, values: dict, *, events: DomainEvents, reason: str | None = None
) -> Idea:
    if not await lifecycle.change_status(idea_id, transition, values, events=events, reason=reason):
        await get_idea(idea_id)  # 404 when it does not exist
        raise DomainError(N_("This idea is not in a state that allows this."), 409)
    return await get_idea(idea_id)


async def publish(settings: Settings, idea_id: int, *, events: DomainEvents) -> Idea:
    """Publish a submitted idea: its support window starts now."""
    now = utcnow()
    if not await lifecycle.publish(idea_id, settings.city.support_window_days, now, events=events):
        await get_idea(idea_id)
        raise DomainError(N_("This idea is not in a state that allows this."), 409)
    await events.publish(IdeaActivity(idea_id, now))
    return await get_idea(idea_id)


async def request_changes(idea_id: int, message: str, *, events: DomainEvents) -> Idea:
    message = clean_text(message)
    errors = Errors()
    check_length(errors, "message", message, 1, 2_000)
    errors.raise_if_any()
    values = {Idea.moderator_message: message}
    return await _decide(idea_id, Transition.request_changes, values, events=events, reason=message)


async def reject(idea_id: int, reason: str, *, events: DomainEvents) -> Idea:
    reason = clean_text(reason)
    errors = Errors()
    check_length(errors, "reason", reason, 1, 2_000)
    errors.raise_if_any()
    return await _decide(idea_id, Transition.reject, {Idea.rejection_reason: reason}, events=events, reason=reason)


HIDDEN_REASON_LABELS = {
    HiddenReason.pending_review.value: N_("reported, pending review"),
    HiddenReason.spam.value: N_("spam"),
    HiddenReason.offensive.value: N_("offensive"),
    HiddenReason.personal_data.value: N_("personal data"),
    HiddenReason.off_topic.value: N_("off-topic"),
    HiddenReason.other.value: N_("other"),
}


def hidden_notice(reason: str | None) -> Message:
    """What everyone but staff sees in place of hidden content."""
    return Message(
        N_("Hidden by a moderator: %(reason)s"), reason=gettext(HIDDEN_REASON_LABELS.get(reason or "", N_("other")))
    )


def _check_hidden_reason(reason: str) -> None:
    if reason not in HIDDEN_REASON_LABELS:
        raise FormErrors({"category": N_("Choose a reason category.")})


async def hide_idea(idea_id: int, reason: str, *, events: DomainEvents) -> bool:
    """Hide a public idea (or change the reason of a hidden one). False if it was already hidden.

    A moderator decides it, or the report threshold hides it pending review.
    """
    _check_hidden_reason(reason)
    async with write_transaction():
        idea = await for_update(Idea.objects().where(Idea.id == idea_id)).first()
        if idea is None:
            raise DomainError(NOT_FOUND, 404)
        if idea.status == IdeaStatus.hidden.value:
            await Idea.update({Idea.hidden_reason: reason}).where(Idea.id == idea_id)
            return False
        if not await lifecycle.hide(idea, reason, utcnow(), events=events):
            raise DomainError(N_("Only public ideas can be hidden."), 409)
    return True


async def restore_idea(idea_id: int, *, events: DomainEvents) -> Idea:
    """Show a hidden idea again, in the status it had when it was hidden."""
    async with write_transaction():
        idea = await for_update(Idea.objects().where(Idea.id == idea_id)).first()
        if idea is None:
            raise DomainError(NOT_FOUND, 404)
        if not await lifecycle.restore(idea, utcnow(), events=events):
            raise DomainError(N_("This idea is not hidden."), 409)
    return await get_idea(idea_id)


async def hide_comment(comment_id: int, reason: str) -> bool:
    """Hide a visible comment (or change the reason of a hidden one). False if it was already hidden."""
    _check_hidden_reason(reason)
    async with write_transaction():
        comment = await Comment.objects().get(Comment.id == comment_id)
        if comment is None or comment.status == CommentStatus.deleted.value:
            raise DomainError(N_("This comment does not exist."), 404)
        if comment.status == CommentStatus.hidden.value:
            await Comment.update({Comment.hidden_reason: reason}).where(Comment.id == comment_id)
            return False
        hidden = (
            await Comment.update({Comment.status: CommentStatus.hidden.value, Comment.hidden_reason: reason})
            .where((Comment.id == comment_id) & (Comment.status == CommentStatus.visible.value))
            .returning(Comment.id)
        )
        if hidden:
            await Idea.update({Idea.comment_count: Idea.comment_count - 1}).where(Idea.id == _id(comment.idea))
    return bool(hidden)


async def restore_comment(comment_id: int) -> Comment:
    async with write_transaction():
        restored = (
            await Comment.update({Comment.status: CommentStatus.visible.value, Comment.hidden_reason: None})
            .where((Comment.id == comment_id) & (Comment.status == CommentStatus.hidden.value))
            .returning(Comment.idea)
        )
        if not restored:
            raise DomainError(N_("This comment is not hidden."), 409)
        await Idea.update({Idea.comment_count: Idea.comment_count + 1}).where(Idea.id == restored[0]["idea"])
    return await Comment.objects().get(Comment.id == comment_id)


CLASSIFICATION_FIELDS = ("theme", "neighbourhood", "scope")


async def reclassify(
    settings: Settings, idea_id: int, theme: str, neighbourhood: str, scope: str
) -> list[tuple[str, str, str]]:
    """A moderator corrects theme, neighbourhood and scope; returns the changes as (field, old, new)."""
    errors = Errors()
    if settings.city.theme(theme) is None:
        errors.add("theme", N_("Choose a theme."))
    if settings.city.neighbourhood(neighbourhood) is None:
        errors.add("neighbourhood", N_("Choose a neighbourhood or the whole city."))
    if scope not in {s.value for s in Scope}:
        errors.add("scope", N_("Choose narrow or broad."))
    errors.raise_if_any()
    new = {"theme": theme, "neighbourhood": neighbourhood, "scope": scope}
    async with write_transaction():
        idea = await for_update(Idea.objects().where(Idea.id == idea_id)).first()
        if idea is None:
            raise DomainError(NOT_FOUND, 404)
        changes = [(f, getattr(idea, f), new[f]) for f in CLASSIFICATION_FIELDS if getattr(idea, f) != new[f]]
        if changes:
            await Idea.update(
                {Idea.theme: theme, Idea.neighbourhood: neighbourhood, Idea.scope: scope, Idea.updated_at: utcnow()}
            ).where(Idea.id == idea_id)
    return changes


# -- comments -----------------------------------------------------------------


@dataclass
class CommentView:
    comment: Comment
    author_name: str
    replies: list[CommentView] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        """Not shown as written: deleted by its author or hidden by a moderator."""
        return self.comment.status != CommentStatus.visible.value

    @property
    def hidden(self) -> bool:
        return self.comment.status == CommentStatus.hidden.value


def clean_comment(body: str) -> str:
    body = clean_text(body)
    errors = Errors()
    check_length(errors, "body", body, *COMMENT_LIMITS)
    errors.raise_if_any()
    return body


async def add_comment(
    account: Account | None, idea_id: int, body: str, parent_id: int | None = None, *, events: DomainEvents
) -> Comment:
    idea = await get_visible_idea(account, idea_id)
    if refusal := permissions.comment_refusal(account, idea):
        raise DomainError(refusal, 403)
    assert account is not None
    body = clean_comment(body)
    if parent_id is not None:
        parent = await Comment.objects().get((Comment.id == parent_id) & (Comment.idea == idea_id))
        if parent is None or parent.status != CommentStatus.visible.value:
            raise DomainError(N_("The comment you reply to does not exist."), 404)
        if parent.parent is not None:
            raise DomainError(N_("Replies go one level deep: reply to the first comment of the thread."), 400)
    now = utcnow()
    async with write_transaction():
        comment = Comment(idea=idea_id, author=account.id, parent=parent_id, body=body, created_at=now)
        await comment.save()
        await Idea.update({Idea.comment_count: Idea.comment_count + 1}).where(Idea.id == idea_id)
        await events.publish(CommentAdded(comment.id, idea_id, account.id, parent_id, now))
    await events.publish(ContentWritten("comment", comment.id))
    await events.publish(IdeaActivity(idea_id, now))
    return comment


async def get_visible_comment(account: Account | None, comment_id: int) -> Comment:
    """The comment if this account may see it and its idea; 404 otherwise, exactly as for a missing one."""
    comment = await Comment.objects().get(Comment.id == comment_id)
    idea = await Idea.objects().get(Idea.id == _id(comment.idea)) if comment is not None else None
    if comment is None or idea is None or not permissions.can_view_comment(account, comment, idea):
        raise DomainError(N_("This comment does not exist."), 404)
    return comment


async def edit_comment(
    account: Account | None, comment_id: int, body: str, now: datetime | None = None, *, events: DomainEvents
) -> Comment:
    comment = await get_visible_comment(account, comment_id)
    now = now or utcnow()
    if not permissions.can_edit_comment(account, comment, now):
        if account is None or _id(comment.author) != account.id:
            raise DomainError(N_("Only the author can edit this comment."), 403)
        raise DomainError(N_("A comment can be edited for 15 minutes after posting."), 409)
    comment.body = clean_comment(body)
    comment.edited_at = now
    await comment.save([Comment.body, Comment.edited_at])
    await events.publish(ContentWritten("comment", comment.id))  # an edit can add what a new comment would flag
    return comment


async def delete_comment(account: Account | None, comment_id: int) -> None:
    comment = await get_visible_comment(account, comment_id)
    if not permissions.can_delete_comment(account, comment):
        raise DomainError(N_("Only the author can delete this comment."), 403)
    async with write_transaction():
        deleted = (
            await Comment.update({Comment.status: CommentStatus.deleted.value})
            .where((Comment.id == comment_id) & (Comment.status == CommentStatus.visible.value))
            .returning(Comment.id)
        )
        if deleted:
            await Idea.update({Idea.comment_count: Idea.comment_count - 1}).where(Idea.id == _id(comment.idea))


def _comment_author(row: dict) -> str:
    if row.get("author.kind") == AccountKind.organisation.value and row.get("author.organisation_name"):
        return f"{row['author.display_name']} ({row['author.organisation_name']})"
    return row.get("author.display_name") or gettext(FORMER_PARTICIPANT)


async def list_comments(idea_id: int, newest_first: bool = True) -> list[CommentView]:
    """Threads in one query: top-level comments in the chosen order, replies oldest first.

    A deleted comment shows as "comment deleted" only while it has visible replies; a
    hidden one always shows the moderator's public reason category in its place.
    """
    rows = (
        await Comment.select(
            *Comment.all_columns(), Comment.author.display_name, Comment.author.kind, Comment.author.organisation_name
        )
        .where(Comment.idea == idea_id)
        .order_by(Comment.id)
    )
    views: dict[int, CommentView] = {}
    top: list[CommentView] = []
    for row in rows:
        comment = Comment(**{k: v for k, v in row.items() if "." not in k}, _exists_in_db=True)
        view = CommentView(comment=comment, author_name=_comment_author(row))
        if row["parent"] is None:
            views[comment.id] = view
            top.append(view)
        elif row["parent"] in views and comment.status != CommentStatus.deleted.value:
            views[row["parent"]].replies.append(view)
    shown = [v for v in top if v.comment.status != CommentStatus.deleted.value or v.replies]
    return list(reversed(shown)) if newest_first else shown


# -- follows ------------------------------------------------------------------


async def follow(account: Account | None, idea_id: int) -> None:
    idea = await get_visible_idea(account, idea_id)
    if refusal := permissions.follow_refusal(account, idea):
        raise DomainError(refusal, 403)
    assert account is not None
    await Follow.insert(Follow(account=account.id, idea=idea_id, created_at=utcnow())).on_conflict(
        target=(Follow.account, Follow.idea), action="DO NOTHING"
    )


async def unfollow(account: Account | None, idea_id: int) -> None:
    await get_visible_idea(account, idea_id)
    if account is None:
        raise DomainError(N_("Sign in to take part."), 401)
    await Follow.delete().where((Follow.account == account.id) & (Follow.idea == idea_id))


async def is_following(account: Account | None, idea_id: int) -> bool:
    if account is None:
        return False
    return await Follow.exists().where((Follow.account == account.id) & (Follow.idea == idea_id))


# -- reading ------------------------------------------------------------------


def author_name(idea: Idea, author: Account | dict | None) -> str:
    """Public name: the organisation for pilots and organisation accounts, else the display name."""
    if author is None:
        return ""
    get = author.get if isinstance(author, dict) else (lambda k, d=None: getattr(author, k, d))
    if get("kind") == AccountKind.organisation.value and get("organisation_name"):
        return get("organisation_name")
    # A deleted account keeps its ideas and comments but no name (participation.accounts.deletion).
    return get("display_name") or gettext(FORMER_PARTICIPANT)


async def load_author(idea: Idea) -> Account | None:
    return await Account.objects().get(Account.id == _id(idea.author))


async def my_ideas(account: Account) -> list[Idea]:
    return await Idea.objects().where(Idea.author == account.id).order_by(Idea.created_at, ascending=False).limit(200)
