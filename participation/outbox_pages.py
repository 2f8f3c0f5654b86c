"""The administrators' page of the outbox: messages that failed for good, and a retry button.

In the root layer because it joins shared infrastructure (the outbox) with the accounts'
guards and the moderation area's menu; the outbox itself knows no accounts.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_admin
from participation.accounts.tables import Account
from participation.i18n import ngettext
from participation.moderation.permissions import can_administer, can_change_roles
from participation.outbox import services


class OutboxPages(Controller):
    path = "/admin/outbox"
    include_in_schema = False
    guards = [requires_admin]

    @get("/", name="outbox_failed")
    async def failed(self, request: Request[Account, Any, Any]) -> Template:
        return Template(
            "outbox/failed.html",
            context={
                "failed": await services.failed_messages(),
                "masked": services.masked,
                "can_change_roles": can_change_roles(request.user),
                "can_see_outbox": can_administer(request.user),
            },
        )

    @post("/retry", name="outbox_retry")
    async def retry(self, request: Request[Account, Any, Any]) -> Redirect:
        form = await request.form()
        if form.get("all") == "1":
            count = await services.retry(all_failed=True)
        else:
            raw = str(form.get("id") or "")
            count = await services.retry(ids=[int(raw)]) if raw.isdigit() and len(raw) < 10 else 0
        flash(
            request,
            ngettext("%(num)s message queued again.", "%(num)s messages queued again.", count),
            category="success" if count else "info",
        )
        return Redirect("/admin/outbox", status_code=303)
