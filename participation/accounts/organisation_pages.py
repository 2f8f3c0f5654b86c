"""The organisation's own details page (/account/organisation): its name and KvK number."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.controllers import form_data
from participation.accounts.guards import requires_account
from participation.accounts.organisation import change_organisation_details
from participation.accounts.tables import Account, AccountKind
from participation.i18n import N_, gettext
from participation.lib.events import DomainEvents
from participation.validation import FormErrors

PAGE = "/account/organisation"
NO_LONGER_VERIFIED = N_(
    "Your organisation is no longer shown as verified until the municipality checks the new details."
)


def _organisation(request: Request) -> Account:
    account = request.user
    if account.kind != AccountKind.organisation.value:
        raise NotFoundException()  # a resident has no organisation details
    return account


class OrganisationPages(Controller):
    include_in_schema = False

    @get(PAGE, name="organisation_details", guards=[requires_account])
    async def form(self, request: Request[Account, Any, Any]) -> Template:
        account = _organisation(request)
        values = {"organisation_name": account.organisation_name or "", "kvk_number": account.kvk_number or ""}
        return Template("accounts/organisation.html", context={"errors": {}, "values": values})

    @post(PAGE, name="organisation_details_submit", guards=[requires_account])
    async def save(
        self, request: Request[Account, Any, Any], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        account = _organisation(request)
        values = {k: str(v) for k, v in (await form_data(request)).items() if k in ("organisation_name", "kvk_number")}
        try:
            ended = await change_organisation_details(
                account, values.get("organisation_name", ""), values.get("kvk_number", ""), events=events
            )
        except FormErrors as exc:
            return Template(
                "accounts/organisation.html", context={"errors": exc.errors, "values": values}, status_code=422
            )
        flash(request, gettext("Your organisation details have been saved."), category="success")
        if ended:
            flash(request, gettext(NO_LONGER_VERIFIED), category="info")
        return Redirect("/account", status_code=303)
