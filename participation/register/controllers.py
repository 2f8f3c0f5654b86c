"""Register pages: the overview, an entry, lessons learned, and the editors' forms.

Thin: read the query or form, call a service, render. Editor routes are guarded
with `requires_editor` (anonymous: sign in first; members: 403).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_account, requires_editor
from participation.accounts.tables import Account
from participation.geo.picking import find_place, wants_address_search
from participation.i18n import gettext, local_time
from participation.lib.events import DomainEvents
from participation.markdown import render_markdown
from participation.register import links, programme, project, services
from participation.register.entry_parts import entry_parts
from participation.register.extensions import RegisterExtensions
from participation.register.permissions import INITIAL_STATUSES, allowed_next, can_edit_register
from participation.register.sensors import FIELDS as SENSOR_FIELDS
from participation.register.sensors import MAX_SENSORS
from participation.register.tables import Status
from participation.register.visibility import sees_internal
from participation.settings import Settings
from participation.validation import FormErrors, PageNumber

PER_PAGE = 50
BLANK_PARTNER_ROWS = 3
BLANK_SENSOR_ROWS = 2


def _page_links(path: str, params: list[tuple[str, str]], page: int, total: int, per_page: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))

    def link(n: int) -> str:
        return path + "?" + urlencode([*params, ("page", str(n))])

    return {
        "page": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


async def _form_values(request: Request) -> dict[str, Any]:
    """The entry form as the service's field names (partners from numbered rows, neighbourhoods as a list)."""
    form = await request.form()
    values: dict[str, Any] = {key: form.get(key) for key in form.keys() if not key.startswith(("partner_", "sensor_"))}
    values["neighbourhoods"] = form.getall("neighbourhoods") if "neighbourhoods" in form else []
    partners = []
    for i in range(services.MAX_PARTNERS + BLANK_PARTNER_ROWS):
        if f"partner_name_{i}" in form:
            partners.append({"name": form.get(f"partner_name_{i}") or "", "kind": form.get(f"partner_kind_{i}") or ""})
    values["partners"] = partners
    values["sensors"] = [
        {name: form.get(f"sensor_{name}_{i}") or "" for name in SENSOR_FIELDS}
        for i in range(MAX_SENSORS + BLANK_SENSOR_ROWS)
        if f"sensor_kind_{i}" in form
    ]
    return values


def _display_values(values: dict[str, Any]) -> dict[str, Any]:
    """Stored values as the form shows them (yes/no/unknown, ISO dates)."""
    shown = dict(values)
    for name in ("personal_data", "algorithm_used"):
        value = values.get(name)
        shown[name] = "yes" if value is True else "no" if value is False else "unknown" if value is None else value
    for name in ("start_date", "end_date"):
        value = values.get(name)
        shown[name] = value.isoformat() if hasattr(value, "isoformat") else value or ""
    due = values.get("response_due_at")
    if hasattr(due, "astimezone"):
        shown["response_due_at"] = local_time(due).date().isoformat()
    for name in ("budget_eur", "idea_id", "owner"):
        shown[name] = "" if values.get(name) is None else str(values[name])
    for name, value in list(shown.items()):
        if value is None:
            shown[name] = ""
    return shown


# What a follow-on project takes over from the entry it continues (the editor changes what differs).
FOLLOW_ON_FIELDS = (
    "summary", "description", "programme_line", "theme", "scope", "department", "contact_email", "partners",
    "neighbourhoods", "personal_data", "data_description", "data_purpose", "legal_basis", "retention_period",
    "open_data_url", "algorithm_used", "algorithm_register_url",
)  # fmt: skip


def follow_on_values(previous: dict[str, Any]) -> dict[str, Any]:
    values = {name: previous[name] for name in FOLLOW_ON_FIELDS}
    title = gettext("%(title)s: follow-on", title=previous["title"])
    values.update(
        title=title if len(title) <= 120 else previous["title"],
        origin="city",
        status=Status.received.value,
        follow_on=previous["slug"],
        follow_on_title=previous["title"],
    )
    return values


def _sensor_row(sensor: dict[str, Any]) -> dict[str, str]:
    """A sensor as its form row shows it (fixed/mobile/unknown, coordinates as text)."""
    mobile = sensor.get("mobile")
    shown = {name: "" if sensor.get(name) is None else str(sensor[name]) for name in SENSOR_FIELDS}
    shown["mobile"] = {True: "mobile", False: "fixed", None: "unknown"}.get(mobile, str(mobile))  # type: ignore[arg-type]
    return shown


async def _form_context(values: dict[str, Any], errors: dict[str, Any], **extra: Any) -> dict[str, Any]:
    partners = list(values.get("partners") or [])
    partners += [{"name": "", "kind": ""}] * BLANK_PARTNER_ROWS
    sensors = [_sensor_row(s) for s in values.get("sensors") or []]
    sensors += [dict.fromkeys(SENSOR_FIELDS, "")] * BLANK_SENSOR_ROWS
    return {
        "values": values,
        "errors": errors,
        "partners": partners[: services.MAX_PARTNERS + BLANK_PARTNER_ROWS],
        "owners": await project.owner_candidates(),
        "sensors": sensors[: MAX_SENSORS + BLANK_SENSOR_ROWS],
        **extra,
    }


class RegisterPages(Controller):
    include_in_schema = False
    path = "/register"

    @get("/", name="register_index")
    async def index(self, request: Request, settings: NamedDependency[Settings], page: PageNumber = 1) -> Template:
        filters = services.parse_filters(settings, request.query_params)
        entries, total = await services.list_entries(
            filters, page=max(page, 1), per_page=PER_PAGE, drafts=sees_internal(request.user)
        )
        lines = await programme.line_choices()
        return Template(
            "register/index.html",
            context={
                "filters": filters,
                "summary": await services.portfolio_summary(),
                "groups": services.group_by_programme_line(settings, entries, lines),
                "lines": lines,
                "total": total,
                "paging": _page_links("/register", filters.query_items(), max(page, 1), total, PER_PAGE),
                "can_edit": can_edit_register(request.user),
            },
        )

    @get("/lessons", name="register_lessons")
    async def lessons(
        self, settings: NamedDependency[Settings], theme: FromQuery[str] = "", page: PageNumber = 1
    ) -> Template:
        theme_slug = theme if settings.city.theme(theme) else None
        entries, total = await services.list_lessons(theme_slug, page=max(page, 1), per_page=PER_PAGE)
        params = [("theme", theme_slug)] if theme_slug else []
        return Template(
            "register/lessons.html",
            context={
                "entries": entries,
                "total": total,
                "theme": theme_slug,
                "paging": _page_links("/register/lessons", params, max(page, 1), total, PER_PAGE),
            },
        )

    # -- editors: create ----------------------------------------------------
    @get("/new", name="register_new", guards=[requires_editor])
    async def new_form(self, follow_on: FromQuery[str] = "") -> Template:
        values: dict[str, Any] = {
            "origin": "city",
            "status": Status.received.value,
            "personal_data": "unknown",
            "algorithm_used": "unknown",
        }
        if follow_on:  # the "scale up" lesson's follow-on project, prefilled from the entry it continues
            values = _display_values(follow_on_values(await services.get_entry(follow_on, drafts=True)))
        return Template(
            "register/form.html",
            context=await _form_context(
                values, {}, mode="create", initial_statuses=[s.value for s in INITIAL_STATUSES]
            ),
        )

    @post("/new", name="register_create", guards=[requires_editor])
    async def create(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        values = await _form_values(request)
        previous = values.get("follow_on") or ""

        async def link_follow_on(entry: Any) -> None:
            await links.create_follow_on_link(entry.id, previous, request.user)

        if wants_address_search(values):
            place = await find_place(settings, values)
            return Template(
                "register/form.html",
                status_code=place.status_code,
                context=await _form_context(
                    place.values,
                    place.errors,
                    mode="create",
                    initial_statuses=[s.value for s in INITIAL_STATUSES],
                    place_notice=place.notice,
                ),
            )
        try:
            entry = await services.create_entry(
                settings,
                request.user,
                values,
                draft=values.get("draft") == "on",
                then=link_follow_on if previous else None,
            )
        except FormErrors as exc:
            return Template(
                "register/form.html",
                status_code=422,
                context=await _form_context(
                    values, exc.errors, mode="create", initial_statuses=[s.value for s in INITIAL_STATUSES]
                ),
            )
        if entry.draft:
            flash(request, gettext("The draft has been saved: only register editors can see it."), category="success")
        else:
            flash(request, gettext("The entry has been added to the register."), category="success")
        return Redirect(f"/register/{entry.slug}")

    # -- public: one entry --------------------------------------------------
    @get("/{slug:str}", name="register_entry")
    async def entry(
        self, request: Request, slug: FromPath[str], register_extensions: NamedDependency[RegisterExtensions]
    ) -> Template:
        # A draft is 404 for whoever may not see drafts (get_entry leaves it out for them).
        entry_id, entry = await services.get_entry_and_id(slug, drafts=sees_internal(request.user))
        parts = await entry_parts(request.user, entry_id, entry)
        extra = await register_extensions.for_entry(request, entry, entry_id)
        return Template(
            "register/entry.html",
            context={
                **extra,
                **parts,
                "entry": entry,
                "description_html": render_markdown(entry["description"]),
                "can_edit": can_edit_register(request.user),
                "following": await services.is_following_entry(request.user, slug),
            },
        )

    # -- residents: follow an entry's timeline --------------------------------
    @post("/{slug:str}/follow", name="register_follow", guards=[requires_account])
    async def follow(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Redirect:
        await services.follow_entry(request.user, slug)
        flash(
            request, gettext("You follow this project: its updates appear in your notifications."), category="success"
        )
        return Redirect(f"/register/{slug}", status_code=303)

    @post("/{slug:str}/unfollow", name="register_unfollow", guards=[requires_account])
    async def unfollow(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Redirect:
        await services.unfollow_entry(request.user, slug)
        flash(request, gettext("You no longer follow this project."), category="success")
        return Redirect(f"/register/{slug}", status_code=303)

    # -- editors: edit ------------------------------------------------------
    @get("/{slug:str}/edit", name="register_edit", guards=[requires_editor])
    async def edit_form(self, slug: FromPath[str]) -> Template:
        values = await services.editable_values(slug)
        return Template(
            "register/form.html",
            context=await _form_context(_display_values(values), {}, mode="edit", slug=slug, status=values["status"]),
        )

    @post("/{slug:str}/edit", name="register_edit_submit", guards=[requires_editor])
    async def edit(
        self, request: Request[Account, Any, Any], slug: FromPath[str], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        values = await _form_values(request)
        if wants_address_search(values):
            place = await find_place(settings, values)
            current = await services.editable_values(slug)
            return Template(
                "register/form.html",
                status_code=place.status_code,
                context=await _form_context(
                    place.values,
                    place.errors,
                    mode="edit",
                    slug=slug,
                    status=current["status"],
                    place_notice=place.notice,
                ),
            )
        try:
            await services.update_entry(settings, request.user, slug, values)
        except FormErrors as exc:
            current = await services.editable_values(slug)
            return Template(
                "register/form.html",
                status_code=422,
                context=await _form_context(values, exc.errors, mode="edit", slug=slug, status=current["status"]),
            )
        flash(request, gettext("The entry has been saved."), category="success")
        return Redirect(f"/register/{slug}")

    # -- editors: timeline update -------------------------------------------
    @get("/{slug:str}/update", name="register_update", guards=[requires_editor])
    async def update_form(self, slug: FromPath[str]) -> Template:
        entry = await services.get_entry(slug, drafts=True)
        return Template(
            "register/update.html",
            context={"entry": entry, "values": {}, "errors": {}, "next_statuses": allowed_next(entry["status"])},
        )

    @post("/{slug:str}/update", name="register_update_submit", guards=[requires_editor])
    async def update(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        slug: FromPath[str],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        form = await request.form()
        values = {key: form.get(key) for key in ("text", "status", "reason")}
        try:
            await services.post_update(
                settings,
                request.user,
                slug,
                text=values["text"],
                status=values["status"],
                reason=values["reason"],
                events=events,
            )
        except FormErrors as exc:
            entry = await services.get_entry(slug, drafts=True)
            return Template(
                "register/update.html",
                status_code=422,
                context={
                    "entry": entry,
                    "values": values,
                    "errors": exc.errors,
                    "next_statuses": allowed_next(entry["status"]),
                },
            )
        flash(request, gettext("The update has been published."), category="success")
        return Redirect(f"/register/{slug}")
