"""The account page's credential actions: API tokens (create, revoke) and "sign out everywhere".

Thin: read the form, call participation.accounts.tokens, render. The account page itself
(controllers.AccountPages.account) lists the tokens with a form per action.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import PathParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts import tokens
from participation.accounts.auth import end_session
from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.i18n import gettext, ngettext
from participation.lib.clock import utcnow
from participation.settings import Settings
from participation.validation import DomainError, FormErrors

ID_MAX = 2**31 - 1
# The form's field names (unique ids on the account page) and the service's.
FIELDS = {"token_name": "name", "token_days": "expires_days"}
FORM_FIELD = {service: form for form, service in FIELDS.items()}
# Shown once: neither the browser's cache nor a shared proxy may keep the page.
NO_STORE = {"Cache-Control": "no-store"}


def _form_context(settings: Settings, values: dict[str, str], errors: dict[str, Any]) -> dict[str, Any]:
    # The expiry choices offered, the configured default among them.
    days = sorted({7, 30, 90, 365, settings.api_token_days})
    return {
        "values": values,
        "errors": errors,
        "lifetimes_choices": [(str(d), ngettext("%(num)s day", "%(num)s days", d)) for d in days],
    }


async def token_section(settings: Settings, account: Account) -> dict[str, Any]:
    """What the account page shows of the account's tokens, and the empty form for a new one."""
    return {
        "tokens": await tokens.tokens_of(account),
        "now": utcnow(),
        **_form_context(settings, {"token_days": str(settings.api_token_days)}, {}),
    }


class TokenPages(Controller):
    include_in_schema = False
    guards = [requires_account]

    @get("/account/tokens/new", name="token_new")
    async def new_token_form(self, settings: NamedDependency[Settings]) -> Template:
        values = {"token_days": str(settings.api_token_days)}
        return Template("accounts/token_new.html", context=_form_context(settings, values, {}))

    @post("/account/tokens", name="token_create", opt={"rate_limit": "login"})
    async def create_token(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Template:
        form = await request.form()
        values = {field: str(form.get(field) or "") for field in FIELDS}
        try:
            issued = await tokens.create_api_token(
                settings, request.user, name=values["token_name"], expires_days=values["token_days"]
            )
        except FormErrors as exc:
            by_field = {FORM_FIELD[name]: message for name, message in exc.errors.items()}
            return Template(
                "accounts/token_new.html", context=_form_context(settings, values, by_field), status_code=422
            )
        # Rendered, not redirected: the secret is never stored, so this page is the only time it is seen.
        return Template("accounts/token_created.html", context={"issued": issued}, headers=NO_STORE)

    @post("/account/tokens/{token_id:int}/revoke", name="token_revoke")
    async def revoke_token(
        self, request: Request[Account, Any, Any], token_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)]
    ) -> Redirect:
        try:
            await tokens.revoke_token(request.user, token_id)
        except DomainError as exc:
            flash(request, str(exc.message), category="info")
        else:
            revoked = gettext("The token is revoked: programs using it no longer have access.")
            flash(request, revoked, category="success")
        return Redirect("/account#api-tokens", status_code=303)

    @post("/account/sign-out-everywhere", name="sign_out_everywhere")
    async def sign_out_everywhere(self, request: Request[Account, Any, Any]) -> Redirect:
        await tokens.sign_out_everywhere(request.user)
        end_session(request)
        flash(
            request, gettext("You are signed out on every device, and your API tokens have ended."), category="success"
        )
        return Redirect("/login", status_code=303)
