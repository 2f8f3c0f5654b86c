"""Register API: public reads (filtered, paged) and editor writes, with bearer tokens."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from participation.accounts.guards import requires_editor
from participation.accounts.tables import Account
from participation.lib.events import DomainEvents
from participation.register import services
from participation.register.schemas import (
    Entry,
    EntryCreate,
    EntryDetail,
    EntryPage,
    EntryPatch,
    TimelineItem,
    UpdateCreate,
    create_values,
    entry_out,
    patch_values,
)
from participation.settings import Settings
from participation.validation import PageNumber


class RegisterApi(Controller):
    path = "/api/v1/register"
    tags = ["register"]

    @get("/", summary="List register entries")
    async def list_entries(
        self,
        settings: NamedDependency[Settings],
        status: FromQuery[str | None] = None,
        programme_line: FromQuery[str | None] = None,
        theme: FromQuery[str | None] = None,
        scope_: Annotated[str | None, QueryParameter(name="scope")] = None,
        neighbourhood: FromQuery[str | None] = None,
        origin: FromQuery[str | None] = None,
        personal_data: FromQuery[str | None] = None,
        overdue: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
        page: PageNumber = 1,
        per_page: FromQuery[int] = 20,
    ) -> EntryPage:
        """Filters as in the register page: `status`, `programme_line` (a line's slug), `theme`, `scope`
        (narrow | broad), `neighbourhood`, `origin` (city | idea | pilot), `personal_data` (yes | no | unknown),
        `overdue=yes`, `q` (title and summary). Ordered by programme line, then title; at most 100 per page."""
        filters = services.parse_filters(
            settings,
            {
                "status": status,
                "programme_line": programme_line,
                "theme": theme,
                "scope": scope_,
                "neighbourhood": neighbourhood,
                "origin": origin,
                "personal_data": personal_data,
                "overdue": overdue,
                "q": q,
            },
        )
        page, per_page = max(page, 1), min(max(per_page, 1), services.MAX_PER_PAGE)
        entries, total = await services.list_entries(filters, page=page, per_page=per_page)
        return EntryPage(
            items=[entry_out(e, settings.base_url) for e in entries], total=total, page=page, per_page=per_page
        )

    @get("/{slug:str}", summary="One register entry with its timeline")
    async def get_entry(self, slug: FromPath[str], settings: NamedDependency[Settings]) -> EntryDetail:
        return entry_out(await services.get_entry(slug), settings.base_url, detail=True)  # type: ignore[return-value]

    @post("/", guards=[requires_editor], status_code=201, summary="Create a register entry (editors)")
    async def create_entry(
        self, request: Request[Account, Any, Any], data: JSONBody[EntryCreate], settings: NamedDependency[Settings]
    ) -> EntryDetail:
        entry = await services.create_entry(settings, request.user, create_values(data), draft=data.draft)
        view = await services.get_entry(entry.slug, drafts=True)
        return entry_out(view, settings.base_url, detail=True)  # type: ignore[return-value]

    @patch("/{slug:str}", guards=[requires_editor], summary="Change fields of a register entry (editors)")
    async def update_entry(
        self,
        request: Request[Account, Any, Any],
        slug: FromPath[str],
        data: JSONBody[EntryPatch],
        settings: NamedDependency[Settings],
    ) -> Entry:
        entry = await services.update_entry(settings, request.user, slug, patch_values(data))
        return entry_out(await services.get_entry(entry.slug, drafts=True), settings.base_url)

    @post(
        "/{slug:str}/updates",
        guards=[requires_editor],
        status_code=201,
        summary="Post a timeline update, optionally changing the status (editors)",
    )
    async def post_update(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        slug: FromPath[str],
        data: JSONBody[UpdateCreate],
        settings: NamedDependency[Settings],
    ) -> TimelineItem:
        update = await services.post_update(
            settings, request.user, slug, text=data.text, status=data.status, reason=data.reason, events=events
        )
        return TimelineItem(
            created_at=update.created_at,
            status=update.status,
            previous_status=update.previous_status,
            text=update.text,
            author_role=update.author_role,
        )
