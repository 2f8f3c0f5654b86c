"""Account pages: register, verify, sign in/out, password reset and change, the account page.

Thin: read the form, call a service, render. Failed forms re-render with the
person's input and one message per field.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts import services
from participation.accounts.auth import end_session, start_session
from participation.accounts.extensions import AccountSections
from participation.accounts.guards import requires_account
from participation.accounts.sign_in_steps import after_password
from participation.accounts.tables import Account, AccountKind
from participation.accounts.token_pages import token_section
from participation.i18n import get_locale, gettext
from participation.settings import Settings
from participation.validation import DomainError, FormErrors


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/account"


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {key: form.get(key) for key in form.keys()}


def _without_secrets(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if "password" not in k}


async def _verify_page(settings: Settings, token: str) -> Template:
    try:
        await services.verify_email(settings, token)
    except services.AlreadyVerified as exc:
        return Template(
            "accounts/message.html",
            context={
                "title": gettext("Email address already confirmed"),
                "message": str(exc.message),
                "link": ("/login", gettext("Sign in")),
            },
        )
    except DomainError as exc:
        return Template(
            "accounts/message.html",
            context={"title": gettext("Link not valid"), "message": str(exc.message)},
            status_code=400,
        )
    return Template(
        "accounts/message.html",
        context={
            "title": gettext("Email address confirmed"),
            "message": gettext("Thank you. Your account is ready: you can now submit ideas, comment and support."),
            "link": ("/login", gettext("Sign in")),
        },
    )


async def _reset_page(settings: Settings, token: str) -> Template:
    try:
        await services.check_reset_token(settings, token)
    except DomainError as exc:
        return Template(
            "accounts/message.html",
            context={
                "title": gettext("Link not valid"),
                "message": str(exc.message),
                "link": ("/account/forgot", gettext("Request a new link")),
            },
            status_code=400,
        )
    return Template("accounts/reset.html", context={"token": token, "errors": {}})


class AccountPages(Controller):
    include_in_schema = False

    # -- registration -------------------------------------------------------
    @get("/account/register", name="register")
    async def register_form(self, kind: FromQuery[str] = "resident") -> Template:
        kind = "organisation" if kind == "organisation" else "resident"
        return Template("accounts/register.html", context={"kind": kind, "values": {}, "errors": {}})

    @post("/account/register", name="register_submit", opt={"rate_limit": "registration"})
    async def register(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        values = await form_data(request)
        kind = AccountKind.organisation if values.get("kind") == "organisation" else AccountKind.resident
        try:
            registration = services.registration_from_form(values, kind, locale=get_locale())
            await services.register(settings, registration)
        except FormErrors as exc:
            return Template(
                "accounts/register.html",
                context={"kind": kind.value, "values": _without_secrets(values), "errors": exc.errors},
                status_code=422,
            )
        except DomainError as exc:  # residents sign up through a login service here (password_refusal)
            return Template(
                "accounts/register.html",
                context={"kind": kind.value, "values": {}, "errors": {"form": exc.message}},
                status_code=exc.status_code,
            )
        # Post/Redirect/Get: a reload or Back must not post the registration again. The address
        # travels in the (server-side) session, never in the URL.
        request.session["registered_email"] = registration.email
        return Redirect("/account/register/sent", status_code=303)

    @get("/account/register/sent", name="register_sent")
    async def register_sent(self, request: Request) -> Template:
        email = request.session.get("registered_email")
        return Template(
            "accounts/message.html",
            context={
                "title": gettext("Check your email"),
                "message": gettext(
                    "We sent a link to %(email)s. Open it to confirm your address; "
                    "then you can submit ideas, comment and support.",
                    email=email,
                )
                if email
                else gettext("We sent you a link. Open it to confirm your address."),
            },
        )

    # Mailed links carry the token as a path segment (the access log redacts it, see
    # participation.log_redaction); `?token=` links already in mailboxes keep working.
    @get("/account/verify/{token:str}", name="verify_email_link")
    async def verify_link(self, settings: NamedDependency[Settings], token: FromPath[str]) -> Template:
        return await _verify_page(settings, token)

    @get("/account/verify", name="verify_email")
    async def verify(self, settings: NamedDependency[Settings], token: FromQuery[str] = "") -> Template:
        return await _verify_page(settings, token)

    @post(
        "/account/verify/resend", name="verify_resend", guards=[requires_account], opt={"rate_limit": "password_reset"}
    )
    async def resend_verification(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]
    ) -> Redirect:
        if request.user.email_verified_at is None:
            if await services.send_verification(settings, request.user):
                flash(request, gettext("We sent a new confirmation link to your email address."), category="info")
            else:
                flash(
                    request,
                    gettext(
                        "We already sent you several confirmation links in the last hour. "
                        "Look for them in your mailbox (and the spam folder), or try again later."
                    ),
                    category="info",
                )
        return Redirect("/account")

    # -- sign in / out ------------------------------------------------------
    @get("/login", name="login")
    async def login_form(self, request: Request, next: FromQuery[str] = "") -> Template | Redirect:  # noqa: A002
        if request.user is not None:
            return Redirect(safe_next(next))
        return Template("accounts/login.html", context={"values": {"next": next}, "errors": {}})

    @post("/login", name="login_submit", opt={"rate_limit": "login"})
    async def login(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        values = await form_data(request)
        try:
            account = await services.sign_in(
                settings, str(values.get("email") or ""), str(values.get("password") or "")
            )
        except DomainError as exc:
            return Template(
                "accounts/login.html",
                context={"values": _without_secrets(values), "errors": {"form": exc.message}},
                status_code=exc.status_code,
            )
        # A second factor, or enrolment for staff, may come first (participation.accounts.sign_in_steps).
        return await after_password(
            request,
            account,
            remember=values.get("remember") == "on",
            next_path=safe_next(str(values.get("next") or "")),
        )

    @post("/logout", name="logout")
    async def logout(self, request: Request) -> Redirect:
        end_session(request)
        return Redirect("/")

    # -- passwords ----------------------------------------------------------
    @get("/account/forgot", name="forgot_password")
    async def forgot_form(self) -> Template:
        return Template("accounts/forgot.html", context={"values": {}, "errors": {}})

    @post("/account/forgot", name="forgot_password_submit", opt={"rate_limit": "password_reset"})
    async def forgot(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        values = await form_data(request)
        await services.request_password_reset(settings, str(values.get("email") or ""))
        # The same answer whether or not the account exists: no account discovery.
        return Template(
            "accounts/message.html",
            context={
                "title": gettext("Check your email"),
                "message": gettext(
                    "If an account exists for this address, we sent it a link to choose a new password."
                ),
            },
        )

    @get("/account/reset/{token:str}", name="reset_password_link")
    async def reset_link(self, settings: NamedDependency[Settings], token: FromPath[str]) -> Template:
        # The form posts the token in its body to /account/reset, so it is not in that request's URL either.
        return await _reset_page(settings, token)

    @get("/account/reset", name="reset_password")
    async def reset_form(self, settings: NamedDependency[Settings], token: FromQuery[str] = "") -> Template:
        return await _reset_page(settings, token)

    @post("/account/reset", name="reset_password_submit", opt={"rate_limit": "password_reset"})
    async def reset(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        values = await form_data(request)
        token = str(values.get("token") or "")
        try:
            await services.reset_password(settings, token, str(values.get("password") or ""))
        except FormErrors as exc:
            return Template("accounts/reset.html", context={"token": token, "errors": exc.errors}, status_code=422)
        except DomainError as exc:
            return Template(
                "accounts/message.html",
                context={"title": gettext("Link not valid"), "message": str(exc.message)},
                status_code=400,
            )
        end_session(request)
        flash(request, gettext("Your password has been changed. Sign in with your new password."), category="success")
        return Redirect("/login")

    @get("/account/password", name="change_password", guards=[requires_account])
    async def change_password_form(self) -> Template:
        return Template("accounts/password.html", context={"errors": {}})

    @post("/account/password", name="change_password_submit", guards=[requires_account], opt={"rate_limit": "login"})
    async def change_password(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        values = await form_data(request)
        try:
            account = await services.change_password(
                settings, request.user, str(values.get("current_password") or ""), str(values.get("password") or "")
            )
        except FormErrors as exc:
            return Template("accounts/password.html", context={"errors": exc.errors}, status_code=422)
        # Other sessions ended with the old auth version; this one continues under a new id.
        start_session(request, account, remember=bool(request.session.get("remember")))
        flash(request, gettext("Your password has been changed."), category="success")
        return Redirect("/account")

    # -- the account page ---------------------------------------------------
    @get("/account", name="account")
    async def account(
        self,
        request: Request,
        account_sections: NamedDependency[AccountSections],
        settings: NamedDependency[Settings],
    ) -> Template:
        if request.user is None:
            raise NotAuthorizedException()
        sections = await account_sections.render_for(request.user)
        tokens = await token_section(settings, request.user)
        return Template("accounts/account.html", context={"sections": sections, **tokens})
