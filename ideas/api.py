"""The ideas API (`/api/v1`): public reads, token-authenticated writes, the same rules as the pages."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from ideas import permissions, services
from ideas.extensions import IdeaExtensions
from ideas.schemas import (
    ChoiceItem,
    CommentCreate,
    CommentItem,
    CommentUpdate,
    FollowState,
    IdeaCreate,
    IdeaDetail,
    IdeaItem,
    IdeaList,
    IdeaUpdate,
    WithdrawRequest,
)
from ideas.search import LISTED_STATUSES, MAX_PER_PAGE, SEARCH_SORT, SORTS, IdeaFilters, list_ideas
from ideas.tables import Idea, IdeaKind, Scope
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.api_docs import problem_responses
from participation.i18n import N_, get_locale
from participation.idempotency.http import IdempotencyKeyHeader, respond
from participation.lib.events import DomainEvents
from participation.markdown import render_markdown
from participation.settings import Settings
from participation.validation import DomainError, Message, PageNumber


def idea_url(settings: Settings, idea: Idea) -> str:
    return f"{settings.base_url}/ideas/{idea.id}"


def idea_item(settings: Settings, idea: Idea) -> IdeaItem:
    return IdeaItem(
        id=idea.id,
        title=idea.title,
        summary=idea.summary,
        kind=idea.kind,
        theme=idea.theme,
        neighbourhood=idea.neighbourhood,
        scope=idea.scope,
        status=idea.status,
        support_count=idea.support_count,
        comment_count=idea.comment_count,
        verified_support_count=idea.verified_support_count,
        created_at=idea.created_at,
        published_at=idea.published_at,
        url=idea_url(settings, idea),
    )


async def idea_detail(settings: Settings, extensions: IdeaExtensions, idea: Idea, viewer: Account | None) -> IdeaDetail:
    author = await services.load_author(idea)
    extra = await extensions.for_api(settings, viewer, idea)
    item = {**msgspec.structs.asdict(idea_item(settings, idea)), **extra}
    pilot: dict[str, Any] = {}
    if idea.kind == IdeaKind.pilot.value:
        pilot = {
            "pilot_what": idea.pilot_what,
            "pilot_where": idea.pilot_where,
            "pilot_duration_weeks": idea.pilot_duration_weeks,
            "pilot_asks": [a for a in (idea.pilot_asks or "").split(",") if a],
            "pilot_ask_details": idea.pilot_ask_details,
            "pilot_personal_data": idea.pilot_personal_data,
            "pilot_personal_data_details": idea.pilot_personal_data_details,
            "pilot_partners": idea.pilot_partners,
        }
    private: dict[str, Any] = {}
    if permissions.is_author(viewer, idea) or permissions.is_moderator(viewer):
        private = {"moderator_message": idea.moderator_message, "rejection_reason": idea.rejection_reason}
    return IdeaDetail(
        **item,
        **pilot,
        **private,
        body_html=str(render_markdown(idea.body)),
        author=services.author_name(idea, author),
        author_verified_organisation=services.author_is_verified_organisation(author),
        support_closes_at=idea.support_closes_at,
        location=idea.location,
        latitude=idea.latitude,
        longitude=idea.longitude,
        withdraw_reason=idea.withdraw_reason,
        merged_into=getattr(idea.merged_into, "id", idea.merged_into),
    )


def comment_items(views: list[services.CommentView], idea_id: int) -> list[CommentItem]:
    def one(view: services.CommentView) -> CommentItem:
        c = view.comment
        return CommentItem(
            id=c.id,
            idea_id=idea_id,
            parent_id=getattr(c.parent, "id", c.parent),
            author=None if view.deleted else view.author_name,
            body=None if view.deleted else c.body,
            status=c.status,
            created_at=c.created_at,
            edited_at=c.edited_at,
            hidden_reason=c.hidden_reason if view.hidden else None,
            replies=[one(r) for r in view.replies],
            reply_count=max(view.reply_count, len(view.replies)),
        )

    return [one(v) for v in views]


TOTAL_COUNT = ResponseHeader(
    name="X-Total-Count",
    documentation_only=True,
    required=True,
    description="How many comments (threads, or replies with `parent_id`) there are on all pages.",
)


def _bad_filter(name: str) -> DomainError:
    return DomainError(Message(N_("Unknown value for %(name)s."), name=name), 400)


class IdeaApi(Controller):
    path = "/api/v1"
    tags = ["ideas"]

    @get("/ideas", summary="List public ideas")
    async def index(
        self,
        settings: NamedDependency[Settings],
        theme: FromQuery[str | None] = None,
        neighbourhood: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        scope_: Annotated[str | None, QueryParameter(name="scope")] = None,
        status: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
        page: PageNumber = 1,
        per_page: FromQuery[int] = 20,
    ) -> IdeaList:
        """Published, routed and expired ideas; `sort` is trending, supports, newest or closing (relevance with `q`).

        `total` is exact up to 1,000 (`total_exact`); beyond that it is 1,000 and `has_next` tells whether
        another page follows. A relevance search ranks the newest 1,000 matches (and any exact title match)."""
        city = settings.city
        checks = {
            "theme": (theme, {t.slug for t in city.themes}),
            "neighbourhood": (neighbourhood, {n.slug for n in city.neighbourhoods}),
            "kind": (kind, {k.value for k in IdeaKind}),
            "scope": (scope_, {s.value for s in Scope}),
            "status": (status, set(LISTED_STATUSES)),
            "sort": (sort, {*SORTS, SEARCH_SORT}),
        }
        for name, (value, allowed) in checks.items():
            if value is not None and value not in allowed:
                raise _bad_filter(name)
        if page < 1:
            raise _bad_filter("page")
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise DomainError(Message(N_("per_page must be from 1 to %(max)s."), max=MAX_PER_PAGE), 400)
        query = (q or "").strip()[:200]
        filters = IdeaFilters(
            theme=theme,
            neighbourhood=neighbourhood,
            kind=kind,
            scope=scope_,
            status=status,
            q=query,
            sort=sort or (SEARCH_SORT if query else "trending"),
            page=page,
            per_page=per_page,
        )
        result = await list_ideas(filters)
        return IdeaList(
            items=[idea_item(settings, i) for i in result.items],
            total=result.total,
            page=page,
            per_page=per_page,
            total_exact=result.total_exact,
            has_next=result.has_next,
        )

    @get("/ideas/{idea_id:int}", summary="One idea", responses=problem_responses(410))
    async def detail(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
    ) -> IdeaDetail:
        """404 for an idea that is not public, unless the token is the author's or a moderator's.

        410 for an idea a moderator has hidden: the problem's detail gives the public reason category.
        """
        idea = await services.get_idea(idea_id)
        if permissions.shows_hidden_notice(request.user, idea):
            raise DomainError(services.hidden_notice(idea.hidden_reason), 410)
        idea = await services.get_visible_idea(request.user, idea_id)
        return await idea_detail(settings, idea_extensions, idea, request.user)

    @post(
        "/ideas",
        status_code=201,
        guards=[requires_account],
        opt={"rate_limit": "submission"},
        summary="Submit an idea or pilot",
    )
    async def create(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_extensions: NamedDependency[IdeaExtensions],
        data: JSONBody[IdeaCreate],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[IdeaDetail]:
        async def submit() -> IdeaDetail:
            values = msgspec.structs.asdict(data)
            idea, _ = await services.submit_idea(settings, request.user, services.IdeaInput(**values), events=events)
            return await idea_detail(settings, idea_extensions, idea, request.user)

        return await respond(request, idempotency_key, data, submit, status_code=201)

    @patch(
        "/ideas/{idea_id:int}",
        guards=[requires_account],
        summary="Edit your idea while it is submitted or needs changes",
    )
    async def update(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
        data: JSONBody[IdeaUpdate],
    ) -> IdeaDetail:
        current = services.idea_input_from(await services.get_visible_idea(request.user, idea_id))
        for name, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(
                    current,
                    name,
                    value
                    if value is not None
                    or name in ("pilot_duration_weeks", "pilot_personal_data", "latitude", "longitude")
                    else "",
                )
        idea = await services.edit_idea(settings, request.user, idea_id, current, events=events)
        return await idea_detail(settings, idea_extensions, idea, request.user)

    @post("/ideas/{idea_id:int}/withdraw", status_code=200, guards=[requires_account], summary="Withdraw your idea")
    async def withdraw(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_extensions: NamedDependency[IdeaExtensions],
        idea_id: FromPath[int],
        data: JSONBody[WithdrawRequest],
    ) -> IdeaDetail:
        idea = await services.withdraw_idea(request.user, idea_id, data.reason, events=events)
        return await idea_detail(settings, idea_extensions, idea, request.user)

    @get(
        "/ideas/{idea_id:int}/comments",
        summary="Comments on an idea",
        responses=problem_responses(400),
        response_headers=[TOTAL_COUNT],
    )
    async def comments(
        self,
        request: Request,
        idea_id: FromPath[int],
        order: FromQuery[str] = "newest",
        page: PageNumber = 1,
        per_page: FromQuery[int] = services.THREADS_PER_PAGE,
        parent_id: FromQuery[int | None] = None,
    ) -> Response[list[CommentItem]]:
        """Top-level comments newest (or `order=oldest`) first, `per_page` (1-100, default 30) a page,
        each with its first 5 replies oldest first; `reply_count` says how many replies it has.

        With `parent_id`, the replies of that top-level comment, oldest first, a page at a time.
        The `X-Total-Count` header gives the number of comments (threads, or replies) on all pages.
        """
        await services.get_visible_idea(request.user, idea_id)
        if parent_id is not None:
            _, result = await services.list_replies(idea_id, parent_id, page, per_page)
        else:
            result = await services.list_comments(idea_id, newest_first=order != "oldest", page=page, per_page=per_page)
        return Response(comment_items(result.items, idea_id), headers={"X-Total-Count": str(result.total)})

    @post(
        "/ideas/{idea_id:int}/comments",
        status_code=201,
        guards=[requires_account],
        opt={"rate_limit": "comment"},
        summary="Comment",
    )
    async def add_comment(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
        data: JSONBody[CommentCreate],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[CommentItem]:
        async def comment() -> CommentItem:
            created = await services.add_comment(request.user, idea_id, data.body, data.parent_id, events=events)
            view = services.CommentView(comment=created, author_name=request.user.display_name)
            return comment_items([view], idea_id)[0]

        return await respond(request, idempotency_key, data, comment, status_code=201)

    @patch("/comments/{comment_id:int}", guards=[requires_account], summary="Edit your comment (within 15 minutes)")
    async def edit_comment(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        comment_id: FromPath[int],
        data: JSONBody[CommentUpdate],
    ) -> CommentItem:
        comment = await services.edit_comment(request.user, comment_id, data.body, events=events)
        view = services.CommentView(comment=comment, author_name=request.user.display_name)
        return comment_items([view], getattr(comment.idea, "id", comment.idea))[0]

    @delete("/comments/{comment_id:int}", status_code=204, guards=[requires_account], summary="Delete your comment")
    async def delete_comment(self, request: Request[Account, Any, Any], comment_id: FromPath[int]) -> None:
        await services.delete_comment(request.user, comment_id)

    @put("/ideas/{idea_id:int}/follow", guards=[requires_account], summary="Follow an idea (idempotent)")
    async def follow(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> FollowState:
        await services.follow(request.user, idea_id)
        return FollowState(idea_id=idea_id, following=True)

    @delete("/ideas/{idea_id:int}/follow", status_code=200, guards=[requires_account], summary="Stop following an idea")
    async def unfollow(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> FollowState:
        await services.unfollow(request.user, idea_id)
        return FollowState(idea_id=idea_id, following=False)

    @get("/themes", summary="Themes of the city")
    async def themes(self, settings: NamedDependency[Settings]) -> list[ChoiceItem]:
        return [ChoiceItem(slug=t.slug, name=t.name(get_locale())) for t in settings.city.themes]

    @get("/neighbourhoods", summary="Neighbourhoods of the city (and the whole city)")
    async def neighbourhoods(self, settings: NamedDependency[Settings]) -> list[ChoiceItem]:
        return [ChoiceItem(slug=n.slug, name=n.name(get_locale())) for n in settings.city.neighbourhoods]
