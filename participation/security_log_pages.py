"""The administrators' page of the security log: newest first, filtered by kind, account and period.

In the root layer, like the outbox page: it joins the accounts' log with the staff area's menu
(participation.moderation). Reading and filtering are in participation.accounts.security_log_admin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from participation.accounts import security_log_admin as admin_log
from participation.accounts.guards import requires_admin
from participation.accounts.security_log import KIND_LABELS
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.moderation.permissions import can_administer, can_change_roles
from participation.settings import Settings


class SecurityLogPages(Controller):
    path = "/admin/security-log"
    include_in_schema = False
    guards = [requires_admin]

    @get("/", name="security_log")
    async def log(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Template:
        filters = admin_log.LogFilters.from_params(dict(request.query_params))
        page = await admin_log.log_page(filters, settings.city.timezone)
        query = filters.query()
        # The form shows what was typed, a refused value too (with its message).
        typed = {name: str(request.query_params.get(name) or "") for name in ("kind", "account", "since", "until")}
        return Template(
            "security_log/log.html",
            context={
                "filters": filters,
                "values": typed,
                "errors": filters.errors,
                "log": page,
                "kinds": [(kind.value, gettext(label)) for kind, label in KIND_LABELS.items()],
                "kind_label": lambda kind: gettext(admin_log.kind_label(kind)),
                "short_digest": admin_log.short_digest,
                "page_url": lambda number: "?" + urlencode({**query, "page": number}),
                "can_change_roles": can_change_roles(request.user),
                "can_see_outbox": can_administer(request.user),
            },
        )
