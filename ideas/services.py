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
from participation.geo.places import city_area, clean_point, suggest_neighbourhood
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
    # A point (both or neither): text from a form, numbers from the API.
    latitude: str | float | None = None
    longitude: str | float | None = None
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
            latitude=str(values.get("latitude") or ""),
            longitude=str(values.get("longitude") or ""),
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
    values["latitude"], values["longitude"] = clean_point(errors, data.latitude, data.longitude, city_area(city))
    if not values["neighbourhood"]:  # a point without a chosen neighbourhood: the one it lies in
        values["neighbourhood"] = suggest_neighbourhood(city, values["latitude"], values["longitude"]) or ""  # type: ignore[arg-type]
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
        latitude=idea.latitude,
        longitude=idea.longitude,
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


# The idea page shows threads a page at a time, each with its first replies; the thread view
# pages through all replies of one comment. No page grows with the number of comments.
THREADS_PER_PAGE = 30
REPLIES_SHOWN = 5
REPLIES_PER_PAGE = 50
MAX_COMMENTS_PER_PAGE = 100


@dataclass(slots=True)
class CommentRow:
    """A comment as read for display: the columns a page needs, without a Piccolo object per row.

    Same attribute names as `Comment`, so the permission functions take either.
    """

    id: int
    idea: int
    author: int
    parent: int | None
    body: str
    status: str
    hidden_reason: str | None
    created_at: datetime
    edited_at: datetime | None


@dataclass
class CommentView:
    comment: Comment | CommentRow
    author_name: str
    replies: list[CommentView] = field(default_factory=list)
    # Replies shown to people (not deleted), also those beyond `replies` (see the thread view).
    reply_count: int = 0

    @property
    def deleted(self) -> bool:
        """Not shown as written: deleted by its author or hidden by a moderator."""
        return self.comment.status != CommentStatus.visible.value

    @property
    def hidden(self) -> bool:
        return self.comment.status == CommentStatus.hidden.value

    @property
    def more_replies(self) -> bool:
        return self.reply_count > len(self.replies)


@dataclass
class CommentPage:
    """One page of threads (or of one thread's replies), and how many there are in all."""

    items: list[CommentView]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those around this one; None where pages are skipped.

        Bounded, so the page links do not grow with the number of comments either.
        """
        shown = sorted({1, self.pages, *range(max(1, self.page - around), min(self.pages, self.page + around) + 1)})
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - numbers[-1] > 1:  # type: ignore[operator]
                numbers.append(None)
            numbers.append(n)
        return numbers


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
    if row.get("author_kind") == AccountKind.organisation.value and row.get("author_organisation_name"):
        return f"{row['author_display_name']} ({row['author_organisation_name']})"
    return row.get("author_display_name") or gettext(FORMER_PARTICIPANT)


# A top-level comment is shown unless deleted without replies left to show; replies unless deleted.
_SHOWN_THREAD = """t.idea = {} AND t.parent IS NULL AND (t.status <> 'deleted'
    OR EXISTS (SELECT 1 FROM "comment" r WHERE r.parent = t.id AND r.status <> 'deleted'))"""

_COMMENT_COLUMNS = """c.id, c.idea, c.author, c.parent, c.body, c.status, c.hidden_reason, c.created_at, c.edited_at,
    a.display_name AS author_display_name, a.kind AS author_kind, a.organisation_name AS author_organisation_name"""


# The page of threads and the first replies of each, with both counts, in one query (window functions:
# SQLite 3.25+ and PostgreSQL). `total` is the number of threads on a thread row, of replies on a reply row.
def _threads_sql(direction: str) -> str:
    return f"""
WITH threads AS (
    SELECT t.id, COUNT(*) OVER () AS total FROM "comment" t WHERE {_SHOWN_THREAD}
    ORDER BY t.id {direction} LIMIT {{}} OFFSET {{}}
), replies AS (
    SELECT r.id, COUNT(*) OVER (PARTITION BY r.parent) AS total,
        ROW_NUMBER() OVER (PARTITION BY r.parent ORDER BY r.id) AS position
    FROM "comment" r WHERE r.parent IN (SELECT id FROM threads) AND r.status <> 'deleted'
), shown AS (
    SELECT id, total FROM threads UNION ALL SELECT id, total FROM replies WHERE position <= {{}}
)
SELECT {_COMMENT_COLUMNS}, shown.total AS total
FROM shown JOIN "comment" c ON c.id = shown.id LEFT JOIN account a ON a.id = c.author
ORDER BY c.id"""


# One thread: the top-level comment and a page of its replies, with the number of replies.
_THREAD_SQL = f"""
WITH replies AS (
    SELECT r.id, COUNT(*) OVER () AS total FROM "comment" r
    WHERE r.parent = {{}} AND r.status <> 'deleted' ORDER BY r.id LIMIT {{}} OFFSET {{}}
), shown AS (
    SELECT id, total FROM replies
    UNION ALL SELECT id, NULL FROM "comment" WHERE id = {{}} AND idea = {{}} AND parent IS NULL
)
SELECT {_COMMENT_COLUMNS}, shown.total AS total
FROM shown JOIN "comment" c ON c.id = shown.id LEFT JOIN account a ON a.id = c.author
ORDER BY c.id"""


def _comment_view(row: dict) -> CommentView:
    comment = CommentRow(
        row["id"],
        row["idea"],
        row["author"],
        row["parent"],
        row["body"],
        row["status"],
        row["hidden_reason"],
        row["created_at"],
        row["edited_at"],
    )
    return CommentView(comment=comment, author_name=_comment_author(row))


def _page_number(page: int, per_page: int) -> tuple[int, int]:
    if page < 1 or not 1 <= per_page <= MAX_COMMENTS_PER_PAGE:
        raise DomainError(N_("There is no such page of comments."), 400)
    return page, (page - 1) * per_page


async def list_comments(
    idea_id: int,
    newest_first: bool = True,
    page: int = 1,
    per_page: int = THREADS_PER_PAGE,
    replies_shown: int = REPLIES_SHOWN,
) -> CommentPage:
    """A page of threads in one query: top-level comments in the chosen order, each with its first replies.

    A deleted comment shows as "comment deleted" only while it has visible replies; a
    hidden one always shows the moderator's public reason category in its place.
    """
    page, offset = _page_number(page, per_page)
    sql = _threads_sql("DESC" if newest_first else "ASC")
    rows = await Comment.raw(sql, idea_id, per_page, offset, replies_shown)
    threads: dict[int, CommentView] = {}
    total = 0
    for row in rows:  # by id: a parent comes before its replies
        view = _comment_view(row)
        if row["parent"] is None:
            threads[row["id"]] = view
            total = int(row["total"])
        elif parent := threads.get(row["parent"]):
            parent.replies.append(view)
            parent.reply_count = int(row["total"])
    items = sorted(threads.values(), key=lambda v: v.comment.id, reverse=newest_first)
    if not rows and page > 1:  # past the last page: the count has no row to ride on
        total = await _thread_count(idea_id)
    return CommentPage(items=items, page=page, per_page=per_page, total=total)


async def _thread_count(idea_id: int) -> int:
    rows = await Comment.raw(f'SELECT COUNT(*) AS n FROM "comment" t WHERE {_SHOWN_THREAD}', idea_id)
    return int(rows[0]["n"]) if rows else 0


async def list_replies(
    idea_id: int, comment_id: int, page: int = 1, per_page: int = REPLIES_PER_PAGE
) -> tuple[CommentView, CommentPage]:
    """One thread: the top-level comment and a page of its replies, oldest first (one query).

    404 when the comment is not a top-level comment of this idea, or is deleted with no replies left.
    """
    page, offset = _page_number(page, per_page)
    rows = await Comment.raw(_THREAD_SQL, comment_id, per_page, offset, comment_id, idea_id)
    top = next((_comment_view(row) for row in rows if row["id"] == comment_id), None)
    if top is None:
        raise DomainError(N_("This comment does not exist."), 404)
    replies = [_comment_view(row) for row in rows if row["id"] != comment_id]
    total = next((int(row["total"]) for row in rows if row["id"] != comment_id), 0)
    if not replies and page > 1:
        total = await Comment.count().where((Comment.parent == comment_id) & (Comment.status != "deleted"))
    if top.deleted and not top.hidden and total == 0:
        raise DomainError(N_("This comment does not exist."), 404)
    top.replies, top.reply_count = replies, total
    return top, CommentPage(items=replies, page=page, per_page=per_page, total=total)


@dataclass(frozen=True)
class CommentPlace:
    """Where a comment shows: the page of threads holding it, and for a reply beyond the first
    few, the page of its thread view."""

    idea_id: int
    comment_id: int
    thread_id: int
    comments_page: int
    replies_page: int | None


async def locate_comment(account: Account | None, idea_id: int, comment_id: int) -> CommentPlace:
    """The page a comment is on (newest threads first), counted in one query.

    404 as for a missing comment when its idea is not for this account to see, or for a deleted
    reply (never shown). A hidden comment is found: the page shows everyone the moderator's
    reason in its place, and moderators restore it there.
    """
    comment = await Comment.objects().get((Comment.id == comment_id) & (Comment.idea == idea_id))
    idea = await Idea.objects().get(Idea.id == idea_id) if comment is not None else None
    if (
        comment is None
        or idea is None
        or not permissions.can_view(account, idea)
        or (comment.status == CommentStatus.deleted.value and comment.parent is not None)
    ):
        raise DomainError(N_("This comment does not exist."), 404)
    thread_id = _id(comment.parent) or comment.id
    rows = await Comment.raw(
        f"""SELECT
            (SELECT COUNT(*) FROM "comment" t WHERE {_SHOWN_THREAD} AND t.id > {{}}) AS threads_before,
            (SELECT COUNT(*) FROM "comment" r
             WHERE r.parent = {{}} AND r.status <> 'deleted' AND r.id < {{}}) AS replies_before""",
        idea_id,
        thread_id,
        thread_id,
        comment.id,
    )
    threads_before, replies_before = int(rows[0]["threads_before"]), int(rows[0]["replies_before"])
    replies_page = None
    if comment.parent is not None and replies_before >= REPLIES_SHOWN:
        replies_page = replies_before // REPLIES_PER_PAGE + 1
    return CommentPlace(idea_id, comment.id, thread_id, threads_before // THREADS_PER_PAGE + 1, replies_page)


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


def author_is_verified_organisation(author: Account | dict | None) -> bool:
    """Shown next to an organisation's public name: its KvK number was verified (eHerkenning or staff)."""
    if author is None:
        return False
    get = author.get if isinstance(author, dict) else (lambda k, d=None: getattr(author, k, d))
    return get("kind") == AccountKind.organisation.value and bool(get("verified_organisation"))


def author_name(idea: Idea, author: Account | dict | None) -> str:
    """Public name: the organisation for pilots and organisation accounts, else the display name."""
    if author is None:
        return ""
    get = author.get if isinstance(author, dict) else (lambda k, d=None: getattr(author, k, d))
    if get("kind") == AccountKind.organisation.value and get("organisation_name"):
        return get("organisation_name")
    # A deleted account keeps its ideas and comments but no name (participation.accounts.deletion).
    return get("display_name") or gettext(FORMER_PARTICIPANT)


async def get_idea_with_author(idea_id: int) -> tuple[Idea, dict | None]:
    """The idea and its author's public name fields in one query (the idea page pays one, not two)."""
    row = (
        await Idea.select(
            *Idea.all_columns(),
            Idea.author.display_name.as_alias("author_display_name"),
            Idea.author.kind.as_alias("author_kind"),
            Idea.author.organisation_name.as_alias("author_organisation_name"),
            Idea.author.verified_organisation.as_alias("author_verified_organisation"),
        )
        .where(Idea.id == idea_id)
        .first()
    )
    if row is None:
        raise DomainError(NOT_FOUND, 404)
    fields = ("display_name", "kind", "organisation_name", "verified_organisation")
    author = {name: row.pop(f"author_{name}") for name in fields}
    return Idea(**row, _exists_in_db=True), author if author["kind"] is not None else None


async def load_author(idea: Idea) -> Account | None:
    return await Account.objects().get(Account.id == _id(idea.author))


async def my_ideas(account: Account) -> list[Idea]:
    return await Idea.objects().where(Idea.author == account.id).order_by(Idea.created_at, ascending=False).limit(200)
