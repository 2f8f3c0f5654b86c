"""A real OpenID Connect provider for the tests, built with Authlib's server components.

It serves discovery, JWKS, an authorization endpoint that approves the configured test user
at once (no login page: the person "is" whoever `behaviour.subject` says), and a token
endpoint (authorization code with PKCE, client_secret_basic or _post) that issues RS256-signed
ID tokens. The keys are generated once per test session. A test changes `behaviour` to make
the provider misbehave: another issuer in the token, a key it does not publish, an expired
token, another nonce, or a refusal.

It runs in uvicorn on a free port (the OS chooses) in a thread of its own, so the app reaches
it over real HTTP as it would reach a broker.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

# Plain HTTP on 127.0.0.1 only: Authlib refuses non-TLS URIs unless told.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

import uvicorn  # noqa: E402
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Error, OAuth2Request  # noqa: E402
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant  # noqa: E402
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, JsonRequest  # noqa: E402
from authlib.oauth2.rfc6750 import BearerTokenGenerator  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oidc.core.grants import OpenIDCode  # noqa: E402
from joserfc.jwk import KeySet, RSAKey  # noqa: E402
from litestar import Litestar, Request, Response, get, post  # noqa: E402

CLIENT_ID = "participatie-test"
CLIENT_SECRET = "test-client-secret-of-the-broker"


@dataclass
class Behaviour:
    """What the provider does on the next flows; reset before every test."""

    subject: str = "person-1"
    claims: dict[str, Any] = field(default_factory=dict)
    issuer: str | None = None  # another issuer in the ID token than in discovery
    foreign_key: bool = False  # sign with a key that is not in the JWKS
    expires_in: int = 300  # negative: already expired when issued
    nonce: str | None = None  # another nonce than the client sent
    deny: bool = False  # answer the authorization request with error=access_denied
    seen: list[dict[str, str]] = field(default_factory=list)  # the authorization requests received


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    subject: str
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Client(ClientMixin):
    def __init__(self, redirect_uris: list[str]) -> None:
        self.redirect_uris = redirect_uris

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == CLIENT_SECRET

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class _Request(OAuth2Request):
    """A Litestar request as Authlib reads it (headers stay case-insensitive: `Authorization`)."""

    def __init__(self, request: Request, data: dict[str, str]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def form(self) -> dict[str, str]:
        return self._data if self.method == "POST" else {}

    @property
    def args(self) -> dict[str, str]:
        return self._data if self.method == "GET" else {}


class TestProvider:
    """The provider: `issuer` for the city configuration, `behaviour` to steer it."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-key", "use": "sig"}, private=True)
        # Same kid, other key: a token signed with it must fail the signature check, not just the lookup.
        self.foreign = RSAKey.generate_key(2048, parameters={"kid": "provider-key", "use": "sig"}, private=True)
        self.behaviour = Behaviour()
        self.redirect_uris: list[str] = []
        self.codes: dict[str, _Code] = {}
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.issuer = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.server = self._authorization_server()
        config = uvicorn.Config(self._app(), log_level="warning", lifespan="off")
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self) -> TestProvider:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._uvicorn.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test identity provider did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(timeout=5)

    def reset(self, redirect_uri: str) -> Behaviour:
        self.behaviour = Behaviour()
        self.redirect_uris = [redirect_uri]
        self.codes.clear()
        return self.behaviour

    # -- Authlib's server, wired to this provider's state ------------------------------
    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str):
                return _Client(provider.redirect_uris) if client_id == CLIENT_ID else None

            def save_token(self, token, request) -> None:
                pass  # the access token is not used: the app reads only the ID token

            def create_oauth2_request(self, request) -> OAuth2Request:
                return request

            def create_json_request(self, request) -> JsonRequest:
                return request

            def handle_response(self, status, body, headers):
                return Response(content=body or "", status_code=status, headers=dict(headers))

            def send_signal(self, name, *args, **kwargs) -> None:
                pass

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, request) -> None:
                payload = request.payload
                provider.codes[code] = _Code(
                    code=code,
                    client_id=CLIENT_ID,
                    redirect_uri=payload.redirect_uri,
                    scope=request.scope,
                    nonce=payload.data.get("nonce"),
                    code_challenge=payload.data.get("code_challenge"),
                    code_challenge_method=payload.data.get("code_challenge_method"),
                    subject=request.user,
                    auth_time=int(time.time()),
                )

            def query_authorization_code(self, code, client):
                return provider.codes.get(code)

            def delete_authorization_code(self, authorization_code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.subject

        class OpenID(OpenIDCode):
            def exists_nonce(self, nonce, request) -> bool:
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.foreign if provider.behaviour.foreign_key else provider.key

            def get_client_algorithm(self, client) -> str:
                return "RS256"

            def get_encode_header(self, client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "provider-key"}

            def get_client_claims(self, client) -> dict[str, Any]:
                now = int(time.time())
                return {
                    "iss": provider.behaviour.issuer or provider.issuer,
                    "aud": [CLIENT_ID],
                    "iat": now if provider.behaviour.expires_in > 0 else now - 600,
                    "exp": now + provider.behaviour.expires_in,
                }

            def get_authorization_code_claims(self, authorization_code) -> dict[str, Any]:
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.behaviour.nonce is not None:
                    claims["nonce"] = provider.behaviour.nonce
                return claims

            def generate_user_info(self, user, scope) -> dict[str, Any]:
                return {"sub": user, **provider.behaviour.claims}

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda client, grant_type, user, scope: secrets.token_urlsafe(32))
        )
        server.register_grant(CodeGrant, [OpenID(require_nonce=True), CodeChallenge(required=True)])
        return server

    def _app(self) -> Litestar:
        provider = self

        def oauth_request(request: Request, data: dict[str, str]) -> OAuth2Request:
            return _Request(request, data)

        @get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            return {
                "issuer": provider.issuer,
                "authorization_endpoint": f"{provider.issuer}/authorize",
                "token_endpoint": f"{provider.issuer}/token",
                "jwks_uri": f"{provider.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            }

        @get("/jwks")
        async def jwks() -> dict[str, Any]:
            return KeySet([provider.key]).as_dict(private=False)

        @get("/authorize")
        async def authorize(request: Request) -> Response:
            data = dict(request.query_params)
            provider.behaviour.seen.append(data)
            oauth = oauth_request(request, data)
            try:
                grant = provider.server.get_consent_grant(oauth)
            except OAuth2Error as error:
                return provider.server.handle_error_response(oauth, error)
            # No login page: the configured person approves at once (or refuses, when told to).
            user = None if provider.behaviour.deny else provider.behaviour.subject
            return provider.server.create_authorization_response(oauth, grant_user=user, grant=grant)

        @post("/token")
        async def token(request: Request) -> Response:
            form = await request.form()
            return provider.server.create_token_response(oauth_request(request, dict(form)))

        return Litestar([discovery, jwks, authorize, token], openapi_config=None)
