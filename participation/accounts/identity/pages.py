"""Sign-in, sign-up and linking with an identity provider (OpenID Connect).

    GET  /login/oidc/{provider}              start signing in (or signing up) with a provider
    GET  /account/identity/{provider}/link   start linking it to the signed-in account
    GET  /login/oidc/callback                the one redirect URI for every provider
    GET  /account/identity/sign-up           a new account for an identity not linked yet
    POST /account/identity/{provider}/unlink remove the link (and the verification it gave)

Starting is a link, not a form: the page's `form-action 'self'` (CSP) would stop a form's redirect
to the provider. Another site that makes a browser start a flow gains nothing: only the person
can finish it at the provider, with their own identity, in their own session.

The flow's state, nonce and PKCE verifier stay in the server-side session and are taken out at
the callback: a replayed or forged callback finds nothing. A sign-in goes on through the
password sign-in's next steps (participation.accounts.sign_in_steps): staff still need their
code, and the session starts under a new id.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts import sign_in_steps
from participation.accounts.controllers import form_data, safe_next
from participation.accounts.guards import requires_account
from participation.accounts.identity import oidc, services
from participation.accounts.identity.services import Identity, ProviderName
from participation.accounts.tables import Account
from participation.city_identity import IdentityProvider
from participation.i18n import N_, get_locale, gettext
from participation.lib.events import DomainEvents
from participation.settings import Settings
from participation.validation import DomainError, FormErrors, Message

CALLBACK_PATH = "/login/oidc/callback"
SIGN_UP_PATH = "/account/identity/sign-up"
FLOW_KEY = "identity_flow"
SIGN_UP_KEY = "identity_sign_up"
FLOW_SECONDS = 600
SIGN_UP_SECONDS = 900


def redirect_uri(settings: Settings) -> str:
    return f"{settings.base_url}{CALLBACK_PATH}"


def _provider(settings: Settings, slug: str) -> IdentityProvider | None:
    return settings.city.sign_in.provider(slug)


def _refused(title: str, message: object, status: int, link: tuple[str, str]) -> Template:
    return Template(
        "accounts/message.html",
        context={"title": title, "message": str(message), "link": link},
        status_code=status,
    )


def _not_found() -> Template:
    return _refused(
        gettext("Unknown sign-in service"),
        gettext("This sign-in service is not offered here."),
        404,
        ("/login", gettext("Back to sign in")),
    )


async def _start(request: Request, settings: Settings, provider: IdentityProvider, flow: dict[str, Any]):
    try:
        started = await oidc.start(provider, redirect_uri(settings))
    except oidc.IdentityRefused as exc:
        await services.record_refusal(_user(request), provider, exc.reason, request.url.path)
        back = ("/account", gettext("Back to your account")) if flow["purpose"] == "link" else None
        return _refused(
            gettext("Not available"), exc.message, exc.status_code, back or ("/login", gettext("Back to sign in"))
        )
    request.session[FLOW_KEY] = {
        **flow,
        "provider": provider.slug,
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.verifier,
        "until": int(time.time()) + FLOW_SECONDS,
    }
    return Redirect(started.url, status_code=303)


def _user(request: Request) -> Account | None:
    return request.user if isinstance(request.user, Account) else None


async def identity_section(settings: Settings, account: Account) -> tuple[str, dict[str, Any]]:
    """The "Verification" section of the account page: each provider that fits the account, linked or not."""
    links = await services.links_of(account)
    fitting = [p for p in settings.city.sign_in.providers if p.verifies == account.kind or p.slug in links]
    return "accounts/_identity_section.html", {"providers": fitting, "links": links}


class IdentityPages(Controller):
    include_in_schema = False

    @get("/login/oidc/{slug:str}", name="identity_sign_in", opt={"rate_limit": "login"})
    async def sign_in(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        slug: FromPath[str],
        next: FromQuery[str] = "",  # noqa: A002
    ) -> Template | Redirect:
        provider = _provider(settings, slug)
        if provider is None:
            return _not_found()
        return await _start(request, settings, provider, {"purpose": "sign_in", "next": safe_next(next)})

    @get("/account/identity/{slug:str}/link", name="identity_link", guards=[requires_account])
    async def link(
        self, request: Request[Account, Any, Any], settings: NamedDependency[Settings], slug: FromPath[str]
    ) -> Template | Redirect:
        provider = _provider(settings, slug)
        if provider is None:
            return _not_found()
        return await _start(request, settings, provider, {"purpose": "link", "account": request.user.id})

    @get(CALLBACK_PATH, name="identity_callback")
    async def callback(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
    ) -> Template | Redirect:
        # Read by hand: `state` is a reserved parameter name in Litestar.
        query = request.query_params
        state, code = str(query.get("state") or ""), str(query.get("code") or "")
        error, iss = str(query.get("error") or ""), str(query.get("iss") or "")
        # Taken out before anything else: whatever follows, this state cannot be used again.
        flow = request.session.pop(FLOW_KEY, None)
        provider = _provider(settings, flow["provider"]) if flow else None
        user = _user(request)
        back = ("/account", gettext("Back to your account")) if user else ("/login", gettext("Back to sign in"))
        title = (
            gettext("Signing in with %(provider)s did not succeed", provider=ProviderName(provider))
            if provider
            else gettext("Sign-in not completed")
        )
        if (
            flow is None
            or provider is None
            or not state
            or not secrets.compare_digest(state.encode(), str(flow["state"]).encode())
            or time.time() > flow["until"]
        ):
            await services.record_refusal(user, provider, "state unknown, used or expired", request.url.path)
            return _refused(
                gettext("Sign-in not completed"),
                gettext("This sign-in has expired or was already used. Nothing was stored; start again."),
                400,
                back,
            )
        if error or not code:
            await services.record_refusal(
                user, provider, f"provider answered {error[:60] or 'no code'}", request.url.path
            )
            return _refused(
                title,
                gettext(
                    "Signing in with %(provider)s was cancelled or refused. Nothing was stored.",
                    provider=ProviderName(provider),
                ),
                400,
                back,
            )
        try:
            if iss and iss.rstrip("/") != provider.issuer:  # RFC 9207: the answer comes from another provider
                raise oidc.untrusted(provider, "issuer")
            claims = await oidc.finish(
                provider, code=code, redirect_uri=redirect_uri(settings), nonce=flow["nonce"], verifier=flow["verifier"]
            )
            identity = services.identity_from_claims(settings, provider, claims)
            if flow["purpose"] == "link":
                return await self._link(request, settings, events, provider, identity, flow)
            return await self._sign_in(request, settings, events, provider, identity, flow)
        except (oidc.IdentityRefused, services.LinkRefused) as exc:
            await services.record_refusal(user, provider, exc.reason, request.url.path)
            return _refused(title, exc.message, exc.status_code, back)

    async def _link(self, request, settings, events, provider, identity: Identity, flow) -> Template | Redirect:
        user = _user(request)
        if user is None or user.id != flow.get("account"):
            raise services.LinkRefused(
                Message(N_("You are no longer signed in to the account you started from. Nothing was stored.")),
                "account changed during the flow",
            )
        await services.link(settings, events, user, provider, identity)
        flash(request, _linked_message(provider, identity), category="success")
        return Redirect("/account#identity", status_code=303)

    async def _sign_in(self, request, settings, events, provider, identity: Identity, flow) -> Template | Redirect:
        account = await services.linked_account(settings, events, provider, identity)
        if account is not None:
            return await sign_in_steps.after_password(request, account, remember=False, next_path=flow["next"])
        if provider.verifies != "resident":
            raise services.LinkRefused(
                Message(
                    N_(
                        "No account is linked to this %(provider)s identity. Create an organisation account first, "
                        "then link %(provider)s from your account page."
                    ),
                    provider=ProviderName(provider),
                ),
                "no linked account",
            )
        request.session[SIGN_UP_KEY] = {
            "identity": identity.as_session(),
            "email": identity.email,
            "next": flow["next"],
            "until": int(time.time()) + SIGN_UP_SECONDS,
        }
        return Redirect(SIGN_UP_PATH, status_code=303)

    @get(SIGN_UP_PATH, name="identity_sign_up")
    async def sign_up_form(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        pending = _pending_sign_up(request, settings)
        if pending is None:
            return _sign_up_expired(request)
        provider, data = pending
        return _sign_up_page(provider, {"email": data.get("email") or ""}, {})

    @post(SIGN_UP_PATH, name="identity_sign_up_submit", opt={"rate_limit": "registration"})
    async def sign_up(
        self, request: Request, settings: NamedDependency[Settings], events: NamedDependency[DomainEvents]
    ) -> Template | Redirect:
        pending = _pending_sign_up(request, settings)
        if pending is None:
            return _sign_up_expired(request)
        provider, data = pending
        values = await form_data(request)
        try:
            account = await services.sign_up(
                settings, events, provider, Identity.from_session(data["identity"]), values, get_locale()
            )
        except FormErrors as exc:
            return _sign_up_page(provider, values, exc.errors, status=422)
        except DomainError as exc:
            request.session.pop(SIGN_UP_KEY, None)
            reason = getattr(exc, "reason", "refused")
            await services.record_refusal(None, provider, reason, request.url.path)
            return _refused(
                gettext("Signing in with %(provider)s did not succeed", provider=ProviderName(provider)),
                exc.message,
                exc.status_code,
                ("/login", gettext("Back to sign in")),
            )
        request.session.pop(SIGN_UP_KEY, None)
        await sign_in_steps.begin(request, account, remember=False)
        flash(
            request,
            gettext("Your account is ready. Confirm your email address with the link we sent you to take part."),
            category="success",
        )
        return Redirect(data.get("next") or "/account", status_code=303)

    @post("/account/identity/{slug:str}/unlink", name="identity_unlink", guards=[requires_account])
    async def unlink(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        slug: FromPath[str],
    ) -> Template | Redirect:
        provider = _provider(settings, slug)
        if provider is None:
            return _not_found()
        if await services.unlink(settings, events, request.user, provider):
            flash(
                request,
                gettext(
                    "%(provider)s is no longer linked to your account; the verification it gave has been withdrawn.",
                    provider=ProviderName(provider),
                ),
                category="success",
            )
        return Redirect("/account#identity", status_code=303)


def _linked_message(provider: IdentityProvider, identity: Identity) -> str:
    name = ProviderName(provider)
    if provider.verifies == "organisation":
        return gettext("%(provider)s is linked: your organisation is verified.", provider=name)
    if identity.in_municipality:
        return gettext("%(provider)s is linked: you are a verified resident.", provider=name)
    return gettext(
        "%(provider)s is linked, but it does not place you in the municipality: your supports do not count as "
        "a verified resident's.",
        provider=name,
    )


def _pending_sign_up(request: Request, settings: Settings) -> tuple[IdentityProvider, dict[str, Any]] | None:
    data = request.session.get(SIGN_UP_KEY)
    if not data or time.time() > data["until"]:
        request.session.pop(SIGN_UP_KEY, None)
        return None
    provider = _provider(settings, data["identity"]["provider"])
    if provider is None:
        request.session.pop(SIGN_UP_KEY, None)
        return None
    return provider, data


def _sign_up_expired(request: Request) -> Redirect:
    flash(request, gettext("Your sign-in has expired. Sign in again."), category="info")
    return Redirect("/login", status_code=303)


def _sign_up_page(provider: IdentityProvider, values: dict[str, Any], errors: dict, status: int = 200) -> Template:
    return Template(
        "accounts/identity_sign_up.html",
        context={"provider": provider, "values": values, "errors": errors},
        status_code=status,
    )
