"""Staff pages of an entry managed as a project: its assessment and its goals and indicators.

Thin, like the register's other pages: read the form, call `assessment` or `goals`, render.
Every route is for register editors (`requires_editor`); the services check the role again.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_editor
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.lib.clock import utcnow
from participation.register import assessment, goals, services
from participation.settings import Settings
from participation.validation import DomainError, FormErrors


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {key: form.get(key) for key in form.keys()}


def _keyed(mapping: dict[str, Any], suffix: str) -> dict[str, Any]:
    """Field names of one of several forms on a page, made unique (ids, error links) by a suffix."""
    return {f"{name}-{suffix}": value for name, value in mapping.items()}


class ProjectPages(Controller):
    include_in_schema = False
    path = "/register/{slug:str}"
    guards = [requires_editor]

    # -- assessment -----------------------------------------------------------
    async def _assessment_page(
        self, slug: str, values: dict[str, Any] | None = None, errors: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        entry = await services.get_entry(slug)
        current = await assessment.assessment_of(await services.entry_id_for(slug))
        if values is None:
            values = {"decided": "on" if current["decided_at"] else ""}
            for criterion, item in current["items"].items():
                values[f"verdict_{criterion}"] = item["verdict"]
                values[f"explanation_{criterion}"] = item["explanation"]
        return {"entry": entry, "assessment": current, "values": values, "errors": errors or {}}

    @get("/assessment", name="register_assessment")
    async def assessment_form(self, slug: FromPath[str]) -> Template:
        return Template("register/assessment.html", context=await self._assessment_page(slug))

    @post("/assessment", name="register_assessment_submit")
    async def assessment_submit(
        self, request: Request[Account, Any, Any], slug: FromPath[str], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        values = await _form(request)
        try:
            decided_at = await assessment.record_assessment(settings, request.user, slug, values)
        except FormErrors as exc:
            return Template(
                "register/assessment.html",
                status_code=422,
                context=await self._assessment_page(slug, values, exc.errors),
            )
        message = (
            gettext("The assessment has been saved and is public.")
            if decided_at
            else gettext("The assessment has been saved. It stays visible to staff only until it is decided.")
        )
        flash(request, message, category="success")
        return Redirect(f"/register/{slug}/assessment", status_code=303)

    # -- goals and indicators -------------------------------------------------
    async def _goals_page(
        self, slug: str, form: str = "", values: dict[str, Any] | None = None, errors: Any = None, status: int = 422
    ) -> Template:
        entry = await services.get_entry(slug)
        return Template(
            "register/goals.html",
            status_code=status if errors else 200,
            context={
                "entry": entry,
                "values": _keyed(values or {}, form) if form else values or {},
                "errors": _keyed(errors or {}, form) if form else errors or {},
                "today": utcnow().date().isoformat(),
            },
        )

    async def _refused(self, slug: str, exc: DomainError) -> Template:
        """A delete the rules refuse (the last indicator of a planned entry): the page says why."""
        if exc.status_code != 409:
            raise exc
        return await self._goals_page(slug, errors={"form": exc.message}, status=409)

    def _done(self, request: Request, slug: str, message: str) -> Redirect:
        flash(request, message, category="success")
        return Redirect(f"/register/{slug}/goals", status_code=303)

    @get("/goals", name="register_goals")
    async def goals_page(self, slug: FromPath[str]) -> Template:
        return await self._goals_page(slug)

    @post("/goals", name="register_goal_add")
    async def add_goal(self, request: Request[Account, Any, Any], slug: FromPath[str]) -> Template | Redirect:
        values = await _form(request)
        try:
            await goals.add_goal(request.user, slug, values)
        except FormErrors as exc:
            return await self._goals_page(slug, "new", values, exc.errors)
        return self._done(request, slug, gettext("The goal has been added."))

    @post("/goals/{goal_id:int}/indicators", name="register_indicator_add")
    async def add_indicator(
        self, request: Request[Account, Any, Any], slug: FromPath[str], goal_id: FromPath[int]
    ) -> Template | Redirect:
        values = await _form(request)
        try:
            await goals.add_indicator(request.user, slug, goal_id, values)
        except FormErrors as exc:
            return await self._goals_page(slug, f"goal{goal_id}", values, exc.errors)
        return self._done(request, slug, gettext("The indicator has been added."))

    @post("/goals/{goal_id:int}/delete", name="register_goal_delete")
    async def delete_goal(
        self, request: Request[Account, Any, Any], slug: FromPath[str], goal_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await goals.delete_goal(request.user, slug, goal_id)
        except DomainError as exc:
            return await self._refused(slug, exc)
        return self._done(request, slug, gettext("The goal has been deleted."))

    @post("/indicators/{indicator_id:int}/measurements", name="register_measurement_add")
    async def add_measurement(
        self, request: Request[Account, Any, Any], slug: FromPath[str], indicator_id: FromPath[int]
    ) -> Template | Redirect:
        values = await _form(request)
        try:
            await goals.record_measurement(request.user, slug, indicator_id, values)
        except FormErrors as exc:
            return await self._goals_page(slug, f"indicator{indicator_id}", values, exc.errors)
        return self._done(request, slug, gettext("The measurement has been recorded."))

    @post("/indicators/{indicator_id:int}/delete", name="register_indicator_delete")
    async def delete_indicator(
        self, request: Request[Account, Any, Any], slug: FromPath[str], indicator_id: FromPath[int]
    ) -> Template | Redirect:
        try:
            await goals.delete_indicator(request.user, slug, indicator_id)
        except DomainError as exc:
            return await self._refused(slug, exc)
        return self._done(request, slug, gettext("The indicator has been deleted."))

    @post("/measurements/{measurement_id:int}/delete", name="register_measurement_delete")
    async def delete_measurement(
        self, request: Request[Account, Any, Any], slug: FromPath[str], measurement_id: FromPath[int]
    ) -> Redirect:
        await goals.delete_measurement(request.user, slug, measurement_id)
        return self._done(request, slug, gettext("The measurement has been deleted."))
