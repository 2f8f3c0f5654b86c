"""Your data and your account: confirm with your password, download your data, delete your account.

Thin like the other account pages: the rules are in `reauth`, `data_export` and `deletion`.
Downloading and deleting need a password confirmation from the last 10 minutes; without one
the person is sent to /account/confirm and comes back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from participation.accounts import data_export, reauth, security_log, two_factor
from participation.accounts.auth import end_session
from participation.accounts.controllers import form_data, safe_next
from participation.accounts.deletion import delete_account
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.i18n import N_, gettext
from participation.lib.events import DomainEvents
from participation.settings import Settings
from participation.validation import FormErrors, Message


async def _confirm_context(account: Account, target: str, errors: dict) -> dict[str, Any]:
    return {"next": target, "errors": errors, "asks_code": await two_factor.is_enabled(account)}


def _confirm_first(path: str) -> Redirect:
    return Redirect(f"/account/confirm?next={quote(path)}", status_code=303)


def export_response(body: bytes, account: Account) -> Response:
    """A file to save, never kept by a cache or a shared proxy."""
    return Response(
        content=body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{data_export.file_name(account)}"',
            "Cache-Control": "no-store",
        },
    )


async def export(account: Account, settings: Settings) -> bytes:
    body = data_export.to_json(await data_export.export_account(account, settings.city.name))
    await security_log.record(security_log.SecurityEventKind.data_exported, account=account)
    return body


class PrivacyPages(Controller):
    include_in_schema = False

    @get("/account/confirm", name="reauth", guards=[requires_account])
    async def confirm_form(self, request: Request[Account, Any, Any], next: FromQuery[str] = "") -> Template:  # noqa: A002
        return Template("accounts/confirm.html", context=await _confirm_context(request.user, safe_next(next), {}))

    @post("/account/confirm", name="reauth_submit", opt={"rate_limit": "login"}, guards=[requires_account])
    async def confirm(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        values = await form_data(request)
        target = safe_next(str(values.get("next") or ""))
        try:
            await reauth.confirm(settings, request.user, values)
        except FormErrors as exc:
            return Template(
                "accounts/confirm.html",
                context=await _confirm_context(request.user, target, exc.errors),
                status_code=422,
            )
        reauth.remember(request.session)
        return Redirect(target, status_code=303)

    @get("/account/data", name="my_data", guards=[requires_account])
    async def data_page(self, request: Request[Account, Any, Any]) -> Template | Redirect:
        if not reauth.is_recent(request.session):
            return _confirm_first("/account/data")
        return Template("accounts/data.html")

    @post("/account/data", name="my_data_download", guards=[requires_account], status_code=200)
    async def download(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Response:
        if not reauth.is_recent(request.session):
            return _confirm_first("/account/data")
        return export_response(await export(request.user, settings), request.user)

    @get("/account/delete", name="delete_account", guards=[requires_account])
    async def delete_page(self, request: Request[Account, Any, Any]) -> Template | Redirect:
        if not reauth.is_recent(request.session):
            return _confirm_first("/account/delete")
        return Template("accounts/delete.html", context={"errors": {}})

    @post("/account/delete", name="delete_account_submit", guards=[requires_account])
    async def delete(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        if not reauth.is_recent(request.session):
            return _confirm_first("/account/delete")
        values = await form_data(request)
        if values.get("understood") != "yes":
            errors = {"understood": Message(N_("Tick the box to confirm that you want to delete your account."))}
            return Template("accounts/delete.html", context={"errors": errors}, status_code=422)
        await delete_account(request.user.id, events=events)
        end_session(request)
        flash(request, gettext("Your account has been deleted."), category="success")
        return Redirect("/account/deleted", status_code=303)

    @get("/account/deleted", name="account_deleted")
    async def deleted(self) -> Template:
        return Template(
            "accounts/message.html",
            context={
                "title": gettext("Your account has been deleted"),
                "message": gettext(
                    "Your email address, name and password are gone. Your ideas and comments stay, "
                    "shown as written by a former participant; your supports still count."
                ),
                "link": ("/", gettext("To the home page")),
            },
        )
