"""The register's staff pages: publish a draft, internal notes, the full change history, links.

Every route is for register editors (`requires_editor`); the services check the role again.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_editor
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.lib.events import DomainEvents
from participation.register import drafts, history, links, notes, services
from participation.validation import FormErrors


async def _links_page(request: Request, slug: str, values: dict[str, Any], errors: dict, status_code: int = 200):
    entry = await services.get_entry(slug, drafts=True)
    entry_id = await services.entry_id_for(slug, request.user)
    return Template(
        "register/links.html",
        status_code=status_code,
        context={
            "entry": entry,
            "links": await links.links_for(entry_id, request.user),
            "relations": links.RELATION_LABELS,
            "values": values,
            "errors": errors,
        },
    )


class RegisterStaffPages(Controller):
    include_in_schema = False
    path = "/register/{slug:str}"
    guards = [requires_editor]

    @post("/publish", name="register_publish")
    async def publish(
        self, request: Request[Account, Any, Any], slug: FromPath[str], events: NamedDependency[DomainEvents]
    ) -> Redirect:
        await drafts.publish_entry(request.user, slug, events=events)
        flash(request, gettext("The entry is published: everyone can see it now."), category="success")
        return Redirect(f"/register/{slug}", status_code=303)

    @post("/notes", name="register_add_note")
    async def add_note(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        values = {"text": form.get("text") or ""}
        try:
            await notes.add_note(request.user, slug, values["text"])
        except FormErrors as exc:
            entry = await services.get_entry(slug, drafts=True)
            context = {"entry": entry, "values": values, "errors": exc.errors}
            return Template("register/note.html", status_code=422, context=context)
        flash(request, gettext("The internal note has been added."), category="success")
        return Redirect(f"/register/{slug}#notes-title", status_code=303)

    @get("/history", name="register_history")
    async def history_page(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template:
        entry = await services.get_entry(slug, drafts=True)
        entry_id = await services.entry_id_for(slug, request.user)
        return Template(
            "register/history.html",
            context={"entry": entry, "changes": await history.full_history(entry_id)},
        )

    @get("/links", name="register_links")
    async def links_form(
        self, request: Request[Account, Any, Any], slug: FromPath[str], relation: FromQuery[str] = ""
    ) -> Template:
        return await _links_page(request, slug, {"relation": relation if relation in links.RELATIONS else ""}, {})

    @post("/links", name="register_add_link")
    async def add_link(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template | Redirect:
        form = await request.form()
        values = {"relation": form.get("relation") or "", "other": form.get("other") or ""}
        try:
            await links.add_link(request.user, slug, values["relation"], values["other"])
        except FormErrors as exc:
            return await _links_page(request, slug, values, exc.errors, status_code=422)
        flash(request, gettext("The link has been added."), category="success")
        return Redirect(f"/register/{slug}/links", status_code=303)

    @post("/links/{link_id:int}/delete", name="register_remove_link")
    async def remove_link(
        self, request: Request[Account, Any, Any], slug: FromPath[str], link_id: FromPath[int]
    ) -> Redirect:
        await links.remove_link(request.user, slug, link_id)
        flash(request, gettext("The link has been removed."), category="success")
        return Redirect(f"/register/{slug}/links", status_code=303)
