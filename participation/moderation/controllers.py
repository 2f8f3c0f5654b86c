"""Moderation pages (staff only) and the report form (any verified account).

Thin: read the form or query, call a service, render or redirect. Each service checks its
action's permission once (`permissions`); the guards refuse early with the same functions, and
templates get the answers (`can_change_roles`, `decisions`, ...) instead of comparing roles.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from ideas import services as ideas_services
from ideas.tables import Comment, IdeaStatus, Scope
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account, Role
from participation.i18n import gettext
from participation.lib.events import DomainEvents
from participation.moderation import accounts, decisions, erasure, hiding, log, queue, reports, spam, verification
from participation.moderation.guards import requires_administration, requires_moderation, requires_role_management
from participation.moderation.permissions import (
    allowed_decisions,
    can_administer,
    can_change_role,
    can_change_roles,
    can_erase,
    can_set_threshold,
    report_refusal,
)
from participation.settings import Settings
from participation.validation import DomainError, FormErrors


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: str(form.get(key) or "") for key in form.keys()}


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _labels() -> dict[str, Any]:
    return {
        "reject_reasons": decisions.REJECT_REASONS,
        "report_reasons": reports.REPORT_REASONS,
        "hide_categories": hiding.HIDE_CATEGORIES,
        "spam_labels": spam.SPAM_SIGNAL_LABELS,
        "action_labels": log.ACTION_LABELS,
        "scopes": [s.value for s in Scope],
        "roles": [r.value for r in Role],
        # Options for a select: (value, translated label).
        "choices": lambda labels: [(k, gettext(v)) for k, v in labels.items()],
        "radio_choices": lambda labels: [(k, gettext(v), None) for k, v in labels.items()],
    }


def _staff(request: Request) -> dict[str, Any]:
    """What the staff area's menu may offer the signed-in account."""
    return {"can_change_roles": can_change_roles(request.user), "can_see_outbox": can_administer(request.user)}


class ModerationPages(Controller):
    path = "/moderation"
    include_in_schema = False
    guards = [requires_moderation]

    # -- the queue ----------------------------------------------------------------
    @get("/", name="moderation_queue")
    async def queue(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Template:
        filters = queue.QueueFilters.from_params(settings, dict(request.query_params))
        result = await queue.queue(settings, request.user, filters)
        return Template(
            "moderation/queue.html",
            context={
                **_labels(),
                **_staff(request),
                "queue": result,
                "filters": filters,
                "oldest_age": queue.age_text(result.oldest_age),
            },
        )

    # -- one idea -----------------------------------------------------------------
    async def _idea_page(
        self,
        request: Request,
        idea_id: int,
        errors: dict | None = None,
        values: dict | None = None,
        q: str = "",
        status_code: int = 200,
    ) -> Template:
        triage = await queue.idea_triage(request.user, idea_id)
        candidates = await queue.duplicate_candidates(q, idea_id) if q else []
        hidden = triage.idea.status == IdeaStatus.hidden.value
        return Template(
            "moderation/idea.html",
            context={
                **_labels(),
                **_staff(request),
                "t": triage,
                "idea": triage.idea,
                "errors": errors or {},
                "values": values or {},
                "q": q,
                "candidates": candidates,
                "moderators": await accounts.moderators(),
                "hidden_notice_text": ideas_services.hidden_notice(triage.idea.hidden_reason) if hidden else None,
                "decisions": allowed_decisions(triage.idea),
                "can_set_threshold": can_set_threshold(request.user, triage.idea),
            },
            status_code=status_code,
        )

    @get("/ideas/{idea_id:int}", name="moderation_idea")
    async def idea(
        self, request: Request[Account, Any, Any], idea_id: FromPath[int], q: FromQuery[str] = ""
    ) -> Template:
        return await self._idea_page(request, idea_id, q=q)

    async def _act(self, request: Request, idea_id: int, values: dict, call, done: str) -> Template | Redirect:
        try:
            await call()
        except FormErrors as exc:
            return await self._idea_page(request, idea_id, errors=exc.errors, values=values, status_code=422)
        except DomainError as exc:
            if exc.status_code in (401, 403, 404):
                raise
            return await self._idea_page(
                request, idea_id, errors={"form": exc.message}, values=values, status_code=exc.status_code
            )
        flash(request, done, category="success")
        return Redirect(f"/moderation/ideas/{idea_id}")

    @post("/ideas/{idea_id:int}/publish", name="moderation_publish")
    async def publish(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._act(
            request,
            idea_id,
            {},
            lambda: decisions.publish(settings, request.user, idea_id, events=events),
            gettext("The idea has been published."),
        )

    @post("/ideas/{idea_id:int}/request-changes", name="moderation_request_changes")
    async def request_changes(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.request_changes(
                settings, request.user, idea_id, values.get("message", ""), events=events
            ),
            gettext("The author has been asked for changes."),
        )

    @post("/ideas/{idea_id:int}/reject", name="moderation_reject")
    async def reject(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        values = {"reject_category": values.get("category", ""), "reject_message": values.get("message", "")}
        try:
            await decisions.reject(
                settings, request.user, idea_id, values["reject_category"], values["reject_message"], events=events
            )
        except FormErrors as exc:
            errors = {
                {"category": "reject_category", "message": "reject_message"}.get(k, k): v for k, v in exc.errors.items()
            }
            return await self._idea_page(request, idea_id, errors=errors, values=values, status_code=422)
        except DomainError as exc:
            if exc.status_code in (401, 403, 404):
                raise
            return await self._idea_page(
                request, idea_id, errors={"form": exc.message}, values=values, status_code=exc.status_code
            )
        flash(request, gettext("The idea has been rejected."), category="success")
        return Redirect(f"/moderation/ideas/{idea_id}")

    @post("/ideas/{idea_id:int}/duplicate", name="moderation_duplicate")
    async def duplicate(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.mark_duplicate(
                settings, request.user, idea_id, _int(values.get("duplicate_of")), events=events
            ),
            gettext("The idea has been merged into the original."),
        )

    @post("/ideas/{idea_id:int}/route", name="moderation_route")
    async def route(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.route(settings, request.user, idea_id, values.get("reason", ""), events=events),
            gettext("The idea has been routed to the project register."),
        )

    @post("/ideas/{idea_id:int}/threshold", name="moderation_threshold", guards=[requires_administration])
    async def threshold(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.set_threshold(settings, request.user, idea_id, values.get("threshold"), events=events),
            gettext("The threshold has been changed."),
        )

    @post("/ideas/{idea_id:int}/assign", name="moderation_assign")
    async def assign(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.assign(request.user, idea_id, _int(values.get("moderator"))),
            gettext("The assignment has been saved."),
        )

    @post("/ideas/{idea_id:int}/notes", name="moderation_note")
    async def note(self, request: Request[Account, Any, Any], idea_id: FromPath[int]) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.add_note(request.user, idea_id, values.get("note", "")),
            gettext("The internal note has been added."),
        )

    @post("/ideas/{idea_id:int}/classification", name="moderation_reclassify")
    async def reclassify(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings], idea_id: FromPath[int]
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: decisions.reclassify(
                settings,
                request.user,
                idea_id,
                values.get("theme", ""),
                values.get("neighbourhood", ""),
                values.get("scope", ""),
                values.get("message", ""),
            ),
            gettext("The classification has been changed; the author has been told."),
        )

    @post("/ideas/{idea_id:int}/hide", name="moderation_hide_idea")
    async def hide_idea(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], idea_id: FromPath[int]
    ) -> Template | Redirect:
        values = await form_data(request)
        return await self._act(
            request,
            idea_id,
            values,
            lambda: hiding.hide(
                request.user, "idea", idea_id, values.get("category", ""), values.get("reason", ""), events=events
            ),
            gettext("The idea has been hidden."),
        )

    @post("/ideas/{idea_id:int}/restore", name="moderation_restore_idea")
    async def restore_idea(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], idea_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._act(
            request,
            idea_id,
            {},
            lambda: hiding.restore(request.user, "idea", idea_id, events=events),
            gettext("The idea is visible again."),
        )

    # -- comments -----------------------------------------------------------------
    async def _comment_idea(self, comment_id: int) -> int:
        row = await Comment.select(Comment.idea).where(Comment.id == comment_id).first()
        if row is None:
            raise DomainError(gettext("This comment does not exist."), 404)
        return row["idea"]

    @post("/comments/{comment_id:int}/hide", name="moderation_hide_comment")
    async def hide_comment(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], comment_id: FromPath[int]
    ) -> Redirect:
        values = await form_data(request)
        idea_id = await self._comment_idea(comment_id)
        try:
            await hiding.hide(
                request.user, "comment", comment_id, values.get("category", ""), values.get("reason", ""), events=events
            )
        except FormErrors:
            flash(request, gettext("Choose a reason category."), category="error")
            return Redirect(f"/ideas/{idea_id}/comments/{comment_id}")
        flash(request, gettext("The comment has been hidden."), category="success")
        return Redirect(f"/ideas/{idea_id}/comments/{comment_id}")

    @post("/comments/{comment_id:int}/restore", name="moderation_restore_comment")
    async def restore_comment(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents], comment_id: FromPath[int]
    ) -> Redirect:
        idea_id = await self._comment_idea(comment_id)
        await hiding.restore(request.user, "comment", comment_id, events=events)
        flash(request, gettext("The comment is visible again."), category="success")
        return Redirect(f"/ideas/{idea_id}/comments/{comment_id}")

    # -- reports --------------------------------------------------------------------
    @get("/reports", name="moderation_reports")
    async def reports(self, request: Request[Account, Any, Any]) -> Template:
        return Template(
            "moderation/reports.html",
            context={**_labels(), **_staff(request), "groups": await reports.open_report_groups(), "errors": {}},
        )

    @post("/reports/{target_type:str}/{target_id:int}/uphold", name="moderation_uphold")
    async def uphold(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        target_type: FromPath[str],
        target_id: FromPath[int],
    ) -> Template | Redirect:
        values = await form_data(request)
        try:
            await reports.uphold(request.user, target_type, target_id, values.get("category", ""), events=events)
        except FormErrors as exc:
            return Template(
                "moderation/reports.html",
                context={
                    **_labels(),
                    **_staff(request),
                    "groups": await reports.open_report_groups(),
                    "errors": {"form": exc.errors.get("category")},
                },
                status_code=422,
            )
        flash(request, gettext("The reports have been upheld; the item is hidden."), category="success")
        return Redirect("/moderation/reports")

    @post("/reports/{target_type:str}/{target_id:int}/dismiss", name="moderation_dismiss")
    async def dismiss(
        self,
        request: Request[Account, Any, Any],
        events: NamedDependency[DomainEvents],
        target_type: FromPath[str],
        target_id: FromPath[int],
    ) -> Redirect:
        await reports.dismiss(request.user, target_type, target_id, events=events)
        flash(request, gettext("The reports have been dismissed; the item is visible."), category="success")
        return Redirect("/moderation/reports")

    # -- accounts -------------------------------------------------------------------
    @get("/accounts", name="moderation_accounts")
    async def accounts(self, request: Request[Account, Any, Any], q: FromQuery[str] = "") -> Template:
        return Template(
            "moderation/accounts.html",
            context={**_staff(request), "q": q, "found": await accounts.find_accounts(q)},
        )

    async def _account_page(
        self,
        request: Request,
        account_id: int,
        errors: dict | None = None,
        values: dict | None = None,
        status_code: int = 200,
    ) -> Template:
        account = await accounts.get_account(account_id)
        account_log = await log.decision_log(log.LogFilters(target_type="account", target_id=account_id))
        return Template(
            "moderation/account.html",
            context={
                **_labels(),
                **_staff(request),
                "account": account,
                "log": account_log,
                "can_erase": can_erase(request.user, account),
                "can_verify_organisation": verification.can_verify_organisation(request.user, account),
                "errors": errors or {},
                "values": values or {},
            },
            status_code=status_code,
        )

    @get("/accounts/{account_id:int}", name="moderation_account")
    async def account(self, request: Request[Account, Any, Any], account_id: FromPath[int]) -> Template:
        return await self._account_page(request, account_id)

    @post("/accounts/{account_id:int}/suspend", name="moderation_suspend")
    async def suspend(self, request: Request[Account, Any, Any], account_id: FromPath[int]) -> Template | Redirect:
        values = await form_data(request)
        try:
            await accounts.suspend(request.user, account_id, values.get("reason", ""))
        except FormErrors as exc:
            return await self._account_page(request, account_id, errors=exc.errors, values=values, status_code=422)
        flash(request, gettext("The account has been suspended."), category="success")
        return Redirect(f"/moderation/accounts/{account_id}")

    @post("/accounts/{account_id:int}/lift", name="moderation_lift")
    async def lift(self, request: Request[Account, Any, Any], account_id: FromPath[int]) -> Redirect:
        await accounts.lift_suspension(request.user, account_id)
        flash(request, gettext("The suspension has been lifted."), category="success")
        return Redirect(f"/moderation/accounts/{account_id}")

    @post("/accounts/{account_id:int}/erase", name="moderation_erase")
    async def erase(
        self, request: Request[Account, Any, Any], account_id: FromPath[int], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        """Delete an account for a person who asked but cannot sign in (administrators)."""
        values = await form_data(request)
        try:
            await erasure.erase_on_request(request.user, account_id, values.get("erase_reason", ""), events=events)
        except FormErrors as exc:
            return await self._account_page(request, account_id, errors=exc.errors, values=values, status_code=422)
        flash(request, gettext("The account has been deleted."), category="success")
        return Redirect(f"/moderation/log?target_type=account&target_id={account_id}", status_code=303)

    @post("/accounts/{account_id:int}/verify-organisation", name="moderation_verify_organisation")
    async def verify_organisation(
        self, request: Request[Account, Any, Any], account_id: FromPath[int], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        """Verify an organisation's KvK number after checking it in the Handelsregister (decision log)."""
        values = await form_data(request)
        try:
            await verification.verify_organisation(
                request.user,
                account_id,
                values.get("kvk_checked", ""),
                values.get("verification_note", ""),
                events=events,
            )
        except FormErrors as exc:
            return await self._account_page(request, account_id, errors=exc.errors, values=values, status_code=422)
        flash(request, gettext("The organisation is now shown as verified."), category="success")
        return Redirect(f"/moderation/accounts/{account_id}", status_code=303)

    @post("/accounts/{account_id:int}/revoke-organisation", name="moderation_revoke_organisation")
    async def revoke_organisation(
        self, request: Request[Account, Any, Any], account_id: FromPath[int], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        values = await form_data(request)
        try:
            await verification.revoke_organisation(
                request.user, account_id, values.get("revoke_reason", ""), events=events
            )
        except FormErrors as exc:
            return await self._account_page(request, account_id, errors=exc.errors, values=values, status_code=422)
        flash(request, gettext("The organisation's verification has been revoked."), category="success")
        return Redirect(f"/moderation/accounts/{account_id}", status_code=303)

    # -- roles (admins only) ----------------------------------------------------------
    @get("/roles", name="moderation_roles", guards=[requires_role_management])
    async def roles(self, request: Request[Account, Any, Any], q: FromQuery[str] = "") -> Template:
        return Template(
            "moderation/roles.html",
            context={
                **_labels(),
                **_staff(request),
                "q": q,
                "found": await accounts.find_accounts(q) if q else [],
                "staff": await accounts.staff_accounts(),
                "can_change_role": lambda target: can_change_role(request.user, target),
            },
        )

    @post("/roles/{account_id:int}", name="moderation_set_role", guards=[requires_role_management])
    async def set_role(self, request: Request[Account, Any, Any], account_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        await accounts.change_role(request.user, account_id, values.get("role", ""))
        flash(request, gettext("The role has been changed."), category="success")
        return Redirect("/moderation/roles")

    # -- the decision log ---------------------------------------------------------------
    @get("/log", name="moderation_log")
    async def log(self, request: Request[Account, Any, Any]) -> Template:
        filters = log.LogFilters.from_params(dict(request.query_params))
        return Template(
            "moderation/log.html",
            context={**_labels(), **_staff(request), "filters": filters, "log": await log.decision_log(filters)},
        )


class ReportPages(Controller):
    """Any verified account reports an idea or a comment."""

    include_in_schema = False
    guards = [requires_account]

    async def _target(self, viewer: Account, target_type: str, target_id: int) -> tuple[str, int, str]:
        """(a short description, the idea id, where to go back to); 404 for what the reporter may not see."""
        if target_type == "idea":
            idea = await ideas_services.get_visible_idea(viewer, target_id)
            return idea.title, idea.id, f"/ideas/{idea.id}"
        if target_type == "comment":
            comment = await ideas_services.get_visible_comment(viewer, target_id)
            body = comment.body if len(comment.body) <= 200 else comment.body[:199] + "…"
            return body, comment.idea, f"/ideas/{comment.idea}/comments/{comment.id}"
        raise DomainError(gettext("Only ideas and comments can be reported."), 404)

    def _page(
        self,
        target_type: str,
        target_id: int,
        title: str,
        back: str,
        errors: dict,
        values: dict,
        status_code: int = 200,
    ) -> Template:
        return Template(
            "moderation/report.html",
            context={
                **_labels(),
                "target_type": target_type,
                "target_id": target_id,
                "target_title": title,
                "back": back,
                "errors": errors,
                "values": values,
            },
            status_code=status_code,
        )

    @get("/report/{target_type:str}/{target_id:int}", name="report_form")
    async def form(
        self, request: Request[Account, Any, Any], target_type: FromPath[str], target_id: FromPath[int]
    ) -> Template:
        title, _, back = await self._target(request.user, target_type, target_id)
        refusal = report_refusal(request.user, None)
        errors = {"form": refusal[0]} if refusal else {}
        return self._page(target_type, target_id, title, back, errors, {})

    @post("/report/{target_type:str}/{target_id:int}", name="report_submit", opt={"rate_limit": "report"})
    async def submit(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        target_type: FromPath[str],
        target_id: FromPath[int],
    ) -> Template | Redirect:
        title, _, back = await self._target(request.user, target_type, target_id)
        values = await form_data(request)
        try:
            await reports.create_report(
                settings,
                request.user,
                target_type,
                target_id,
                values.get("reason", ""),
                values.get("note", ""),
                events=events,
            )
        except FormErrors as exc:
            return self._page(target_type, target_id, title, back, exc.errors, values, status_code=422)
        except DomainError as exc:
            if exc.status_code in (401, 404):
                raise
            return self._page(
                target_type, target_id, title, back, {"form": exc.message}, values, status_code=exc.status_code
            )
        flash(request, gettext("Thank you for your report. A moderator will look at it."), category="success")
        return Redirect(back)
