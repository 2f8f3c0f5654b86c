"""Two-step sign-in pages: the code after the password, staff enrolment at sign-in, and the
account's "Two-step sign-in" page (turn on, new recovery codes, turn off for members).

Recovery codes are shown once, in the answer to the form that made them: they are never
stored readable, not even in the session.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts import sign_in_steps, two_factor
from participation.accounts.controllers import form_data
from participation.accounts.guards import requires_account
from participation.accounts.permissions import is_staff
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.settings import Settings
from participation.validation import DomainError, FormErrors

SETUP_KEY = "two_factor_setup"
ACCOUNT_PAGE = "/account/two-step"
Response = Template | Redirect


def _enrolment(settings: Settings, account: Account, secret: str, action: str, errors: dict, status: int = 200):
    uri = two_factor.provisioning_uri(secret, account.email, settings.city.name)
    return Template(
        "accounts/two_factor_enrol.html",
        context={
            "action": action,
            "qr_code": two_factor.qr_code(uri),
            "secret": two_factor.grouped(secret),
            "staff": is_staff(account),
            "errors": errors,
        },
        status_code=status,
    )


def _recovery_codes(codes: list[str], continue_to: str) -> Template:
    return Template("accounts/recovery_codes.html", context={"codes": codes, "continue_to": continue_to})


async def two_factor_section(account: Account) -> tuple[str, dict[str, Any]]:
    """The "Two-step sign-in" section of the account page (wired in participation.composition)."""
    return "accounts/_two_factor_section.html", {"enabled": await two_factor.is_enabled(account)}


class TwoFactorPages(Controller):
    include_in_schema = False

    # -- the second step of signing in -----------------------------------------
    @get(sign_in_steps.CODE_PAGE, name="sign_in_code")
    async def code_form(self, request: Request) -> Template | Redirect:
        if await sign_in_steps.pending(request, enrol=False) is None:
            return sign_in_steps.back_to_login(request, gettext("Your sign-in has expired. Sign in again."))
        return Template("accounts/two_factor_code.html", context={"errors": {}})

    @post(sign_in_steps.CODE_PAGE, name="sign_in_code_submit", opt={"rate_limit": "login"})
    async def code(self, request: Request) -> Template | Redirect:
        found = await sign_in_steps.pending(request, enrol=False)
        if found is None:
            return sign_in_steps.back_to_login(request, gettext("Your sign-in has expired. Sign in again."))
        account, state = found
        values = await form_data(request)
        try:
            await two_factor.check_code(account, str(values.get("code") or ""), path=request.url.path)
        except two_factor.WrongCode as exc:
            if sign_in_steps.count_wrong_code(request, state):
                return sign_in_steps.back_to_login(request, gettext("Too many wrong codes. Sign in again."))
            return Template("accounts/two_factor_code.html", context={"errors": {"code": exc.message}}, status_code=422)
        sign_in_steps.abandon(request)
        return await sign_in_steps.complete(request, account, remember=state["remember"], next_path=state["next"])

    @get(sign_in_steps.ENROL_PAGE, name="sign_in_enrol")
    async def enrol_form(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        found = await sign_in_steps.pending(request, enrol=True)
        if found is None:
            return sign_in_steps.back_to_login(request, gettext("Your sign-in has expired. Sign in again."))
        account, state = found
        return _enrolment(settings, account, state["secret"], sign_in_steps.ENROL_PAGE, {})

    @post(sign_in_steps.ENROL_PAGE, name="sign_in_enrol_submit", opt={"rate_limit": "login"})
    async def enrol(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        found = await sign_in_steps.pending(request, enrol=True)
        if found is None:
            return sign_in_steps.back_to_login(request, gettext("Your sign-in has expired. Sign in again."))
        account, state = found
        values = await form_data(request)
        try:
            codes = await two_factor.enable(account, state["secret"], str(values.get("code") or ""))
        except FormErrors as exc:
            if sign_in_steps.count_wrong_code(request, state):
                return sign_in_steps.back_to_login(request, gettext("Too many wrong codes. Sign in again."))
            return _enrolment(settings, account, state["secret"], sign_in_steps.ENROL_PAGE, exc.errors, 422)
        sign_in_steps.abandon(request)
        await sign_in_steps.begin(request, account, remember=state["remember"])
        return _recovery_codes(codes, continue_to=state["next"])

    # -- the account's own page ------------------------------------------------
    @get(ACCOUNT_PAGE, name="two_step", guards=[requires_account])
    async def manage(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Template:
        account = request.user
        if not await two_factor.is_enabled(account):
            # One secret per session until it is confirmed: a reload keeps the QR code the app scanned.
            secret = request.session.setdefault(SETUP_KEY, two_factor.new_secret())
            return _enrolment(settings, account, secret, f"{ACCOUNT_PAGE}/enable", {})
        return await self._manage_page(account, {})

    async def _manage_page(self, account: Account, errors: dict, status: int = 200) -> Template:
        return Template(
            "accounts/two_step.html",
            context={
                "staff": is_staff(account),
                "unused": await two_factor.unused_recovery_codes(account),
                "errors": errors,
            },
            status_code=status,
        )

    @post(f"{ACCOUNT_PAGE}/enable", name="two_step_enable", guards=[requires_account], opt={"rate_limit": "login"})
    async def enable(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Response:
        secret = request.session.get(SETUP_KEY)
        if not secret:
            return Redirect(ACCOUNT_PAGE, status_code=303)
        values = await form_data(request)
        try:
            codes = await two_factor.enable(request.user, secret, str(values.get("code") or ""))
        except FormErrors as exc:
            return _enrolment(settings, request.user, secret, f"{ACCOUNT_PAGE}/enable", exc.errors, 422)
        except DomainError as exc:
            flash(request, str(exc.message), category="info")
            return Redirect(ACCOUNT_PAGE, status_code=303)
        request.session.pop(SETUP_KEY, None)
        return _recovery_codes(codes, continue_to="/account")

    @post(
        f"{ACCOUNT_PAGE}/recovery-codes", name="two_step_codes", guards=[requires_account], opt={"rate_limit": "login"}
    )
    async def recovery_codes(self, request: Request[Account, Any, Any]) -> Response:
        values = await form_data(request)
        try:
            codes = await two_factor.new_recovery_codes(request.user, str(values.get("code") or ""))
        except FormErrors as exc:
            return await self._manage_page(request.user, {"codes_" + k: v for k, v in exc.errors.items()}, 422)
        return _recovery_codes(codes, continue_to=ACCOUNT_PAGE)

    @post(f"{ACCOUNT_PAGE}/disable", name="two_step_disable", guards=[requires_account], opt={"rate_limit": "login"})
    async def disable(self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]) -> Response:
        values = await form_data(request)
        try:
            await two_factor.disable(
                settings, request.user, str(values.get("password") or ""), str(values.get("code") or "")
            )
        except FormErrors as exc:
            return await self._manage_page(request.user, {"off_" + k: v for k, v in exc.errors.items()}, 422)
        flash(request, gettext("Two-step sign-in is off."), category="success")
        return Redirect(ACCOUNT_PAGE, status_code=303)
