"""Notification pages: the list with mark-read forms, the delivery settings, and one-click unsubscribe.

Unsubscribe needs no sign-in: the signed link is the permission. Its POST (the confirm form
and the RFC 8058 one-click POST a mail client sends) is exempt from CSRF in participation.core;
the token is checked instead.
"""

from __future__ import annotations

import math
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.notifications import services
from participation.notifications.page_parts import settings_context
from participation.settings import Settings
from participation.validation import FormErrors, PageNumber

LIST_PATH = "/account/notifications"


class NotificationPages(Controller):
    include_in_schema = False

    @get(LIST_PATH, name="notifications", guards=[requires_account])
    async def index(self, request: Request[Account, Any, Any], page: PageNumber = 1) -> Template:
        page = max(page, 1)
        items, total = await services.list_notifications(request.user, page)
        pages = max(1, math.ceil(total / services.PER_PAGE))
        return Template(
            "notifications/list.html",
            context={
                "items": items,
                "total": total,
                "page": page,
                "previous": f"{LIST_PATH}?page={page - 1}" if page > 1 else None,
                "next": f"{LIST_PATH}?page={page + 1}" if page < pages else None,
            },
        )

    @post(f"{LIST_PATH}/read", name="notifications_read_all", guards=[requires_account])
    async def read_all(self, request: Request[Account, Any, Any]) -> Redirect:
        await services.mark_all_read(request.user)
        flash(request, gettext("All notifications are marked as read."), category="success")
        return Redirect(LIST_PATH, status_code=303)

    @post(f"{LIST_PATH}/{{notification_id:int}}/read", name="notification_read", guards=[requires_account])
    async def read_one(self, request: Request[Account, Any, Any], notification_id: FromPath[int]) -> Redirect:
        await services.mark_read(request.user, notification_id)
        return Redirect(LIST_PATH, status_code=303)

    @get(f"{LIST_PATH}/settings", name="notification_settings", guards=[requires_account])
    async def settings_form(self, request: Request[Account, Any, Any]) -> Template:
        return Template("notifications/settings.html", context={"section": await settings_context(request.user)})

    @post(f"{LIST_PATH}/settings", name="notification_settings_submit", guards=[requires_account])
    async def save_settings(self, request: Request[Account, Any, Any]) -> Template | Redirect:
        form = await request.form()
        posted = {key: form.get(key) for key in form.keys()}
        try:
            await services.save_settings(request.user, posted)
        except FormErrors as exc:
            section = await settings_context(request.user)
            section["chosen"].update({k: v for k, v in posted.items() if k in section["chosen"]})
            return Template(
                "notifications/settings.html", status_code=422, context={"section": section, "errors": exc.errors}
            )
        flash(request, gettext("Your notification settings have been saved."), category="success")
        return Redirect("/account#notification-settings", status_code=303)

    # -- one-click unsubscribe (no sign-in) -------------------------------------------------
    @get("/unsubscribe/{what:str}", name="unsubscribe")
    async def unsubscribe_form(
        self, settings: NamedDependency[Settings], what: FromPath[str], token: FromQuery[str] = ""
    ) -> Template:
        await services.account_for_unsubscribe(settings, what, token)
        return Template("notifications/unsubscribe.html", context={"scope": what, "token": token, "done": False})

    @post("/unsubscribe/{what:str}", name="unsubscribe_submit", status_code=200)
    async def unsubscribe(
        self, settings: NamedDependency[Settings], what: FromPath[str], token: FromQuery[str] = ""
    ) -> Template:
        await services.unsubscribe(settings, what, token)
        return Template("notifications/unsubscribe.html", context={"scope": what, "token": token, "done": True})
