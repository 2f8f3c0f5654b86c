"""The OpenID Connect client: the authorization-code flow with PKCE, state and nonce (Authlib), and
the ID token's checks (joserfc): signature against the provider's JWKS, issuer, audience, expiry, nonce.

The provider's metadata comes from `<issuer>/.well-known/openid-configuration` and is kept for an
hour per process; its keys too, fetched again once when a token names a key we do not have (the
provider rotated them). The flow's secrets (state, nonce, PKCE verifier) live in the server-side
session between the redirect and the callback, and are taken out at the callback: one use only.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import errors as jose_errors
from joserfc import jwt
from joserfc.jwk import KeySet

from participation.city_identity import IdentityProvider, MissingSecret
from participation.i18n import N_, get_locale
from participation.validation import DomainError, Message

METADATA_SECONDS = 3600
HTTP_TIMEOUT = httpx.Timeout(10.0)
CLOCK_LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class IdentityRefused(DomainError):
    """The provider's answer was not accepted; nothing was stored. `reason` goes to the security log."""

    status_code = 400

    def __init__(self, message: Message | str, reason: str, status_code: int | None = None):
        super().__init__(message, status_code)
        self.reason = reason


class ProviderName:
    """The provider's name in the language of the page that shows the message."""

    def __init__(self, provider: IdentityProvider) -> None:
        self.provider = provider

    def __str__(self) -> str:
        return self.provider.name(get_locale())


def unreachable(provider: IdentityProvider, reason: str) -> IdentityRefused:
    return IdentityRefused(
        Message(N_("%(provider)s cannot be reached at the moment. Try again later."), provider=ProviderName(provider)),
        reason,
        status_code=502,
    )


def untrusted(provider: IdentityProvider, reason: str) -> IdentityRefused:
    return IdentityRefused(
        Message(
            N_("The answer from %(provider)s could not be trusted (%(reason)s). Nothing was stored; start again."),
            provider=ProviderName(provider),
            reason=Message(REASONS.get(reason, N_("invalid answer"))),
        ),
        reason,
    )


# What a person is told about a refused ID token, per check that failed.
REASONS = {
    "issuer": N_("wrong issuer"),
    "signature": N_("invalid signature"),
    "expired": N_("expired"),
    "nonce": N_("it does not belong to this sign-in"),
    "audience": N_("meant for another service"),
    "subject": N_("no subject"),
}


@dataclass
class _Cached:
    value: dict[str, Any]
    until: float


_metadata: dict[str, _Cached] = {}
_keys: dict[str, _Cached] = {}


async def _get_json(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
        response = await http.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    if not isinstance(data, dict):
        raise ValueError(f"{url} did not answer with a JSON object")
    return data


async def metadata(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document; its issuer must be the configured one."""
    cached = _metadata.get(provider.issuer)
    if cached and cached.until > time.monotonic():
        return cached.value
    try:
        data = await _get_json(f"{provider.issuer}/.well-known/openid-configuration")
    except (httpx.HTTPError, ValueError) as exc:
        raise unreachable(provider, f"discovery: {type(exc).__name__}") from exc
    if str(data.get("issuer", "")).rstrip("/") != provider.issuer:
        raise untrusted(provider, "issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(data.get(key), str):
            raise unreachable(provider, f"discovery: no {key}")
    _metadata[provider.issuer] = _Cached(data, time.monotonic() + METADATA_SECONDS)
    return data


async def _key_set(provider: IdentityProvider, jwks_uri: str, *, fresh: bool = False) -> KeySet:
    cached = _keys.get(jwks_uri)
    if fresh or not cached or cached.until <= time.monotonic():
        try:
            data = await _get_json(jwks_uri)
            KeySet.import_key_set(data)  # type: ignore[arg-type]
        except (httpx.HTTPError, ValueError, jose_errors.JoseError) as exc:
            raise unreachable(provider, f"jwks: {type(exc).__name__}") from exc
        cached = _keys[jwks_uri] = _Cached(data, time.monotonic() + METADATA_SECONDS)
    return KeySet.import_key_set(cached.value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FlowStart:
    """Where to send the person, and what the session keeps until the callback."""

    url: str
    state: str
    nonce: str
    verifier: str


async def start(provider: IdentityProvider, redirect_uri: str) -> FlowStart:
    meta = await metadata(provider)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    url = prepare_grant_uri(
        meta["authorization_endpoint"],
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=" ".join(provider.scopes),
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return FlowStart(url=url, state=state, nonce=nonce, verifier=verifier)


async def finish(
    provider: IdentityProvider, *, code: str, redirect_uri: str, nonce: str, verifier: str
) -> dict[str, Any]:
    """Exchange the code (with the PKCE verifier) and return the checked ID token's claims."""
    meta = await metadata(provider)
    try:
        secret = provider.client_secret()
    except MissingSecret as exc:
        raise unreachable(provider, str(exc)) from exc
    auth_methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    params: dict[str, str] = {"code": code, "code_verifier": verifier}
    auth: tuple[str, str] | None = None
    if secret is None or "client_secret_basic" not in auth_methods:
        params["client_id"] = provider.client_id
        if secret is not None:
            params["client_secret"] = secret
    else:
        auth = (quote(provider.client_id, safe=""), quote(secret, safe=""))  # RFC 6749 2.3.1: form-encoded first
    body = prepare_token_request("authorization_code", redirect_uri=redirect_uri, **params)
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            response = await http.post(
                meta["token_endpoint"],
                content=body,
                auth=auth,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            )
        token = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise unreachable(provider, f"token: {type(exc).__name__}") from exc
    if response.status_code != 200 or not isinstance(token, dict):
        error = token.get("error", response.status_code) if isinstance(token, dict) else response.status_code
        raise untrusted(provider, f"token: {error}")
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise untrusted(provider, "no id_token")
    return await check_id_token(provider, meta, id_token, nonce)


async def check_id_token(provider: IdentityProvider, meta: dict[str, Any], id_token: str, nonce: str) -> dict:
    keys = await _key_set(provider, meta["jwks_uri"])
    try:
        try:
            decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        except jose_errors.InvalidKeyIdError:
            # A key we have not seen: the provider may have rotated its keys since we fetched them.
            fresh = await _key_set(provider, meta["jwks_uri"], fresh=True)
            decoded = jwt.decode(id_token, fresh, algorithms=ALGORITHMS)
    except (jose_errors.JoseError, ValueError) as exc:
        raise untrusted(provider, "signature") from exc
    claims = decoded.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": str(meta["issuer"])},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True},
    )
    try:
        registry.validate(claims)
    except jose_errors.ExpiredTokenError as exc:
        raise untrusted(provider, "expired") from exc
    except jose_errors.ClaimError as exc:
        claim = getattr(exc, "claim", "") or ""
        reason = {"iss": "issuer", "aud": "audience", "sub": "subject", "exp": "expired"}.get(claim, f"claim {claim}")
        raise untrusted(provider, reason) from exc
    # Compared here, in constant time, rather than by the registry: the nonce is a secret of this flow.
    if not secrets.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
        raise untrusted(provider, "nonce")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise untrusted(provider, "audience")
    return claims
