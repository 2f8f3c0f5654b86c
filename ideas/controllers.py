"""Idea pages: list, submit (with the similar-ideas step), detail, edit, withdraw, comments, follow.

Thin: read the form or query, call a service, render. Failed forms re-render
with the person's input and one message per field. Everything works without
JavaScript; htmx only adds the live similar-ideas suggestions.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from ideas import permissions, services
from ideas.extensions import IdeaExtensions
from ideas.search import filters_from_params, list_ideas, similar_ideas
from ideas.tables import IdeaKind
from ideas.text import render_comment
from participation.accounts.guards import requires_account, requires_participant
from participation.accounts.tables import Account, AccountKind
from participation.geo.picking import find_place, wants_address_search
from participation.i18n import N_, gettext
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.markdown import render_markdown
from participation.settings import Settings
from participation.validation import DomainError, FormErrors, PageNumber

MULTI_FIELDS = ("pilot_asks",)


def _id(value: object) -> int:
    return getattr(value, "id", value)  # type: ignore[return-value]


def comment_url(idea_id: int, comment_id: int) -> str:
    """The permalink of a comment: it finds the page that shows it (comments come a page at a time)."""
    return f"/ideas/{idea_id}/comments/{comment_id}"


def _comment_context(request: Request, idea: Any) -> dict[str, Any]:
    """What ideas/_comment.html asks of each comment."""
    user, now = request.user, utcnow()
    return {
        "comment_refusal": permissions.comment_refusal(user, idea),
        "can_edit_comment": lambda c: permissions.can_edit_comment(user, c, now),
        "can_delete_comment": lambda c: permissions.can_delete_comment(user, c),
        "render_comment": render_comment,
        "hidden_notice": services.hidden_notice,
    }


async def read_form(request: Request) -> tuple[dict[str, Any], list[str]]:
    form = await request.form()
    values = {key: form.get(key) for key in form.keys() if key not in MULTI_FIELDS}
    return values, [str(v) for v in form.getall("pilot_asks")] if "pilot_asks" in form else []


def _kind_for(account: Account | None, requested: object) -> str:
    if requested == IdeaKind.pilot.value and account is not None and account.kind == AccountKind.organisation.value:
        return IdeaKind.pilot.value
    return IdeaKind.idea.value


def _form_page(
    template: str, values: dict, asks: list[str], errors: dict, kind: str, status_code: int = 200, **extra: Any
) -> Template:
    return Template(
        template,
        context={"values": values, "asks": asks, "errors": errors, "kind": kind, **extra},
        status_code=status_code,
    )


class IdeaPages(Controller):
    include_in_schema = False

    # -- browsing -------------------------------------------------------------
    @get("/ideas", name="ideas")
    async def index(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        idea_extensions: NamedDependency[IdeaExtensions],
    ) -> Template:
        filters = filters_from_params(settings.city, dict(request.query_params))
        page = await list_ideas(filters)
        extra = await idea_extensions.for_list(request, page.items)
        return Template("ideas/list.html", context={**extra, "page": page, "filters": filters})

    @get("/ideas/similar", name="ideas_similar")
    async def similar(self, title: FromQuery[str] = "") -> Template:
        """The live suggestions under the title field (an htmx fragment)."""
        ideas = await similar_ideas(title) if len(title.strip()) >= 4 else []
        return Template("ideas/_similar.html", context={"similar": ideas, "live": True})

    # -- submitting -----------------------------------------------------------
    @get("/ideas/new", name="ideas_new", guards=[requires_participant])
    async def new_form(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings], kind: FromQuery[str] = "idea"
    ) -> Template:
        kind_asked = kind
        kind = _kind_for(request.user, kind)
        values = {"form_token": services.issue_form_token(settings)}
        return _form_page(
            "ideas/new.html", values, [], {}, kind, pilot_refused=kind_asked == "pilot" and kind != "pilot"
        )

    @post("/ideas/new", name="ideas_submit", guards=[requires_participant], opt={"rate_limit": "submission"})
    async def submit(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
    ) -> Template | Redirect:
        values, asks = await read_form(request)
        kind = str(values.get("kind") or IdeaKind.idea.value)
        kind = kind if kind in (IdeaKind.idea.value, IdeaKind.pilot.value) else IdeaKind.idea.value
        if wants_address_search(values):
            place = await find_place(settings, values)
            return _form_page(
                "ideas/new.html", place.values, asks, place.errors, kind, place.status_code, place_notice=place.notice
            )
        honeypot = str(values.pop("website", None) or "")
        data = services.IdeaInput.from_form(values, asks, kind)
        try:
            nonce = services.check_form(settings, str(values.get("form_token") or ""), honeypot)
            if refusal := permissions.submit_refusal(request.user, kind):
                raise DomainError(refusal, 403)
            services.validate_idea(settings, data)
        except FormErrors as exc:
            return _form_page("ideas/new.html", values, asks, exc.errors, kind, status_code=422)
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            values["form_token"] = services.issue_form_token(settings)
            return _form_page("ideas/new.html", values, asks, {"form": exc.message}, kind, status_code=400)
        if values.get("action") == "edit":
            return _form_page("ideas/new.html", values, asks, {}, kind)
        if not values.get("confirmed") and not values.get("similar_seen"):
            similar = await similar_ideas(data.title)
            if similar:
                return _form_page("ideas/confirm.html", values, asks, {}, kind, similar=similar)
        idea, created = await services.submit_idea(settings, request.user, data, events=events, form_nonce=nonce)
        if created:
            flash(
                request,
                gettext("Thank you. Your idea has been submitted; a moderator will review it before it is published."),
                category="success",
            )
        return Redirect(f"/ideas/{idea.id}")

    # -- one idea -------------------------------------------------------------
    @get("/ideas/{idea_id:int}", name="idea")
    async def detail(
        self,
        request: Request,
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
        order: FromQuery[str] = "newest",
        comments_page: PageNumber = 1,
    ) -> Template:
        return await self._detail(request, idea_extensions, idea_id, order, comments_page)

    async def _detail(
        self,
        request: Request,
        extensions: IdeaExtensions,
        idea_id: int,
        order: str = "newest",
        comments_page: int = 1,
        errors: dict | None = None,
        values: dict | None = None,
        status_code: int = 200,
    ) -> Template:
        user = request.user
        idea, author = await services.get_idea_with_author(idea_id)
        if permissions.shows_hidden_notice(user, idea):
            return Template(
                "ideas/hidden.html", context={"idea_id": idea.id, "notice": services.hidden_notice(idea.hidden_reason)}
            )
        if not permissions.can_view(user, idea):
            raise DomainError(services.NOT_FOUND, 404)
        order = "oldest" if order == "oldest" else "newest"
        comments = await services.list_comments(idea_id, newest_first=order != "oldest", page=comments_page)
        extra = await extensions.for_detail(request, idea)
        return Template(
            "ideas/detail.html",
            context={
                **extra,
                **_comment_context(request, idea),
                "idea": idea,
                "author_name": services.author_name(idea, author),
                "author_verified_organisation": services.author_is_verified_organisation(author),
                "body_html": render_markdown(idea.body),
                "comments": comments.items,
                "comment_page": comments,
                "order": order,
                "following": await services.is_following(user, idea_id),
                "is_author": permissions.is_author(user, idea),
                "can_edit": permissions.can_edit(user, idea),
                "can_withdraw": permissions.can_withdraw(user, idea),
                "comments_open": permissions.comments_open(idea),
                "can_follow": permissions.follow_refusal(user, idea) is None,
                "pilot_asks": [a for a in (idea.pilot_asks or "").split(",") if a],
                "errors": errors or {},
                "values": values or {},
            },
            status_code=status_code,
        )

    @get("/ideas/{idea_id:int}/comments/{comment_id:int}", name="comment_permalink")
    async def comment_permalink(self, request: Request, idea_id: FromPath[int], comment_id: FromPath[int]) -> Redirect:
        """A lasting link to one comment: to the page of the idea (or of its thread) that shows it."""
        place = await services.locate_comment(request.user, idea_id, comment_id)
        if place.replies_page is not None:
            page = f"?page={place.replies_page}" if place.replies_page > 1 else ""
            return Redirect(f"/ideas/{idea_id}/comments/{place.thread_id}/replies{page}#comment-{comment_id}")
        page = f"?comments_page={place.comments_page}" if place.comments_page > 1 else ""
        return Redirect(f"/ideas/{idea_id}{page}#comment-{comment_id}")

    @get("/ideas/{idea_id:int}/comments/{comment_id:int}/replies", name="comment_thread")
    async def thread(
        self,
        request: Request,
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
        comment_id: FromPath[int],
        page: PageNumber = 1,
    ) -> Template:
        return await self._thread(request, idea_extensions, idea_id, comment_id, page)

    async def _thread(
        self,
        request: Request,
        extensions: IdeaExtensions,
        idea_id: int,
        comment_id: int,
        page: int = 1,
        errors: dict | None = None,
        values: dict | None = None,
        status_code: int = 200,
    ) -> Template:
        """One comment with all its replies, a page at a time (the idea page shows the first few)."""
        idea = await services.get_visible_idea(request.user, idea_id)
        top, replies = await services.list_replies(idea_id, comment_id, page)
        extra = await extensions.for_detail(request, idea)
        return Template(
            "ideas/thread.html",
            context={
                **extra,
                **_comment_context(request, idea),
                "idea": idea,
                "thread": top,
                "reply_page": replies,
                "errors": errors or {},
                "values": values or {},
            },
            status_code=status_code,
        )

    @get("/ideas/{idea_id:int}/edit", name="idea_edit", guards=[requires_account])
    async def edit_form(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Template:
        idea = await services.get_visible_idea(request.user, idea_id)
        if not permissions.can_edit(request.user, idea):
            raise DomainError(N_("This idea can no longer be edited. Add a comment instead."), 403)
        current = services.idea_input_from(idea)
        values = {k: v for k, v in vars(current).items() if k != "pilot_asks"}
        values["pilot_personal_data"] = {True: "yes", False: "no"}.get(current.pilot_personal_data)  # type: ignore[arg-type]
        return _form_page("ideas/edit.html", values, current.pilot_asks, {}, idea.kind, idea=idea)

    @post("/ideas/{idea_id:int}/edit", name="idea_edit_submit", guards=[requires_account])
    async def edit(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        idea = await services.get_visible_idea(request.user, idea_id)
        values, asks = await read_form(request)
        if wants_address_search(values):
            place = await find_place(settings, values)
            return _form_page(
                "ideas/edit.html",
                place.values,
                asks,
                place.errors,
                idea.kind,
                place.status_code,
                idea=idea,
                place_notice=place.notice,
            )
        try:
            data = services.IdeaInput.from_form(values, asks, idea.kind)
            await services.edit_idea(settings, request.user, idea_id, data, events=events)
        except FormErrors as exc:
            return _form_page("ideas/edit.html", values, asks, exc.errors, idea.kind, status_code=422, idea=idea)
        flash(
            request,
            gettext("Your changes have been saved. A moderator will review the idea again."),
            category="success",
        )
        return Redirect(f"/ideas/{idea_id}")

    @get("/ideas/{idea_id:int}/withdraw", name="idea_withdraw", guards=[requires_account])
    async def withdraw_form(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Template:
        idea = await services.get_visible_idea(request.user, idea_id)
        if not permissions.can_withdraw(request.user, idea):
            raise DomainError(N_("This idea can no longer be withdrawn."), 403)
        return Template("ideas/withdraw.html", context={"idea": idea, "errors": {}, "values": {}})

    @post("/ideas/{idea_id:int}/withdraw", name="idea_withdraw_submit", guards=[requires_account])
    async def withdraw(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], idea_id: FromPath[int]
    ) -> Template | Redirect:
        values, _ = await read_form(request)
        try:
            await services.withdraw_idea(request.user, idea_id, str(values.get("reason") or ""), events=events)
        except FormErrors as exc:
            idea = await services.get_visible_idea(request.user, idea_id)
            return Template(
                "ideas/withdraw.html", context={"idea": idea, "errors": exc.errors, "values": values}, status_code=422
            )
        flash(request, gettext("Your idea has been withdrawn."), category="success")
        return Redirect(f"/ideas/{idea_id}")

    # -- comments -------------------------------------------------------------
    @post(
        "/ideas/{idea_id:int}/comments", name="idea_comment", guards=[requires_account], opt={"rate_limit": "comment"}
    )
    async def comment(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values, _ = await read_form(request)
        parent = str(values.get("parent_id") or "")
        try:
            comment = await services.add_comment(
                request.user,
                idea_id,
                str(values.get("body") or ""),
                int(parent) if parent.isdigit() else None,
                events=events,
            )
        except FormErrors as exc:
            if parent:  # the thread view holds the reply form of every thread, whatever page it is on
                field = f"reply-{parent}"
                return await self._thread(
                    request,
                    idea_extensions,
                    idea_id,
                    int(parent),
                    errors={field: exc.errors["body"]},
                    values={field: values.get("body")},
                    status_code=422,
                )
            return await self._detail(
                request,
                idea_extensions,
                idea_id,
                errors={"body": exc.errors["body"]},
                values={"body": values.get("body")},
                status_code=422,
            )
        return Redirect(comment_url(idea_id, comment.id))

    @get("/comments/{comment_id:int}/edit", name="comment_edit", guards=[requires_account])
    async def comment_edit_form(self, request: Request[Account, Any, Any], comment_id: FromPath[int]) -> Template:
        comment = await services.get_visible_comment(request.user, comment_id)
        if not permissions.can_edit_comment(request.user, comment, utcnow()):
            raise DomainError(N_("A comment can be edited for 15 minutes after posting."), 403)
        return Template(
            "ideas/comment_edit.html", context={"comment": comment, "values": {"body": comment.body}, "errors": {}}
        )

    @post("/comments/{comment_id:int}/edit", name="comment_edit_submit", guards=[requires_account])
    async def comment_edit(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], comment_id: FromPath[int]
    ) -> Template | Redirect:
        values, _ = await read_form(request)
        try:
            body = str(values.get("body") or "")
            comment = await services.edit_comment(request.user, comment_id, body, events=events)
        except FormErrors as exc:
            comment = await services.get_visible_comment(request.user, comment_id)
            return Template(
                "ideas/comment_edit.html",
                context={"comment": comment, "values": values, "errors": exc.errors},
                status_code=422,
            )
        return Redirect(comment_url(_id(comment.idea), comment.id))

    @post("/comments/{comment_id:int}/delete", name="comment_delete", guards=[requires_account])
    async def comment_delete(self, request: Request[Account, Any, Any], comment_id: FromPath[int]) -> Redirect:
        comment = await services.get_visible_comment(request.user, comment_id)
        await services.delete_comment(request.user, comment_id)
        flash(request, gettext("Your comment has been deleted."), category="success")
        return Redirect(f"/ideas/{comment.idea}#comments")

    # -- follow ---------------------------------------------------------------
    @post("/ideas/{idea_id:int}/follow", name="idea_follow", guards=[requires_account])
    async def follow(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Redirect:
        await services.follow(request.user, idea_id)
        flash(request, gettext("You follow this idea."), category="success")
        return Redirect(f"/ideas/{idea_id}")

    @post("/ideas/{idea_id:int}/unfollow", name="idea_unfollow", guards=[requires_account])
    async def unfollow(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Redirect:
        await services.unfollow(request.user, idea_id)
        flash(request, gettext("You no longer follow this idea."), category="success")
        return Redirect(f"/ideas/{idea_id}")

    # -- my ideas -------------------------------------------------------------
    @get("/account/ideas", name="my_ideas", guards=[requires_account])
    async def mine(self, request: Request[Account, Any, Any]) -> Template:
        """All of the account's ideas on a page of their own (the account page shows them too)."""
        return Template("ideas/mine.html", context={"my_ideas": await services.my_ideas(request.user)})
