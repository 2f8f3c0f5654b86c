"""The city's identity providers and sign-in options, read from the city configuration.

    [sign_in]
    password_sign_in = true                  # email and password stay available (default)
    subject_key_env = "IDENTITY_SUBJECT_KEY" # the key of the subjects' hashes (default: SECRET_KEY)

    [[identity_providers]]
    slug = "digid"
    name = { nl = "DigiD", en = "DigiD" }
    issuer = "https://broker.example.nl"     # discovery: <issuer>/.well-known/openid-configuration
    client_id = "participatie-zoetermeer"
    client_secret_env = "OIDC_DIGID_CLIENT_SECRET"
    scopes = ["openid"]
    verifies = "resident"                    # or "organisation" (eHerkenning)
    municipality_codes = ["0637"]            # CBS codes that count as "in the municipality"
    postcode_ranges = ["2711-2729"]          # or postcode ranges (the four digits)
    [identity_providers.claims]
    subject = "sub"
    postcode = "postal_code"
    municipality = "municipality_code"
    kvk = "kvk_number"
    assurance = "acr"
    email = "email"

Secrets are never in the file: it names the environment variables that hold them, read
when needed so a missing one names itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

VERIFIES = ("resident", "organisation")
CLAIM_KEYS = ("subject", "postcode", "municipality", "kvk", "assurance", "email")
_POSTCODE_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$|^(\d{4})$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class MissingSecret(Exception):
    """An environment variable the city configuration names is not set."""


@dataclass(frozen=True)
class IdentityProvider:
    """One OpenID Connect provider (a DigiD or eHerkenning broker, or any other)."""

    slug: str
    names: dict[str, str]
    issuer: str
    client_id: str
    client_secret_env: str | None
    scopes: tuple[str, ...]
    verifies: str  # "resident" or "organisation"
    claims: dict[str, str]  # our name (CLAIM_KEYS) -> the claim's name in the ID token
    municipality_codes: frozenset[str] = frozenset()
    postcode_ranges: tuple[tuple[int, int], ...] = ()

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names.get("nl") or next(iter(self.names.values()))

    def claim(self, key: str) -> str | None:
        return self.claims.get(key)

    def client_secret(self) -> str | None:
        """None for a public client (PKCE only); a named but unset variable is an error."""
        if self.client_secret_env is None:
            return None
        value = os.environ.get(self.client_secret_env)
        if not value:
            raise MissingSecret(f"{self.client_secret_env} (client secret of identity provider {self.slug}) is not set")
        return value

    def in_municipality(self, postcode: object, municipality: object) -> bool:
        """Whether the claimed municipality code or postcode lies in the municipality."""
        if municipality is not None and self.municipality_codes:
            code = re.sub(r"^GM", "", str(municipality).strip().upper())
            if code.zfill(4) in self.municipality_codes:
                return True
        digits = re.sub(r"\s", "", str(postcode or ""))[:4]
        if len(digits) == 4 and digits.isdigit():
            number = int(digits)
            return any(low <= number <= high for low, high in self.postcode_ranges)
        return False


@dataclass(frozen=True)
class SignInConfig:
    password_sign_in: bool = True
    subject_key_env: str | None = None
    providers: tuple[IdentityProvider, ...] = field(default_factory=tuple)

    def provider(self, slug: str | None) -> IdentityProvider | None:
        return next((p for p in self.providers if p.slug == slug), None)

    def subject_key(self, fallback: str) -> str:
        """The key of the subjects' hashes: its own variable when named, else `fallback` (SECRET_KEY)."""
        if self.subject_key_env is None:
            return fallback
        value = os.environ.get(self.subject_key_env)
        if not value or len(value) < 32:
            raise MissingSecret(f"{self.subject_key_env} (key of identity hashes) must be set, at least 32 characters")
        return value


class _Reader(Protocol):
    data: dict[str, Any]

    def fail(self, key: str, message: str) -> Exception: ...

    def text(self, table: dict[str, Any], key: str, dotted: str, required: bool = True) -> str | None: ...


def read_sign_in(reader: _Reader) -> SignInConfig:
    """[sign_in] and [[identity_providers]], checked with the city file's reader (file, line, key)."""
    table = reader.data.get("sign_in", {})
    if not isinstance(table, dict):
        raise reader.fail("sign_in", "must be a table")
    password = table.get("password_sign_in", True)
    if not isinstance(password, bool):
        raise reader.fail("sign_in.password_sign_in", "must be true or false")
    key_env = _env_name(reader, table, "subject_key_env", "sign_in.subject_key_env")
    items = reader.data.get("identity_providers", [])
    if not isinstance(items, list):
        raise reader.fail("identity_providers", "must be a list of [[identity_providers]] tables")
    providers: list[IdentityProvider] = []
    for i, item in enumerate(items):
        provider = _provider(reader, item, f"identity_providers[{i}]")
        if any(p.slug == provider.slug for p in providers):
            raise reader.fail(f"identity_providers[{i}].slug", f"duplicate slug '{provider.slug}'")
        providers.append(provider)
    if not password and not providers:
        raise reader.fail("sign_in.password_sign_in", "false needs at least one [[identity_providers]] entry")
    return SignInConfig(password_sign_in=password, subject_key_env=key_env, providers=tuple(providers))


def _env_name(reader: _Reader, table: dict[str, Any], key: str, dotted: str) -> str | None:
    name = reader.text(table, key, dotted, required=False)
    if name is not None and not _ENV_NAME.match(name):
        raise reader.fail(dotted, "must be the name of an environment variable (capitals, digits, _)")
    return name


def _provider(reader: _Reader, item: object, where: str) -> IdentityProvider:
    if not isinstance(item, dict):
        raise reader.fail(where, "must be a table")
    slug = item.get("slug")
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise reader.fail(f"{where}.slug", "must be lower-case letters, digits and hyphens")
    names = item.get("name")
    if isinstance(names, str):
        names = {"nl": names}
    if not isinstance(names, dict) or not names or not all(isinstance(v, str) and v.strip() for v in names.values()):
        raise reader.fail(f"{where}.name", "must be a string or a table of names per language")
    issuer = reader.text(item, "issuer", f"{where}.issuer") or ""
    if not re.match(r"^https?://[^\s/]+", issuer):
        raise reader.fail(f"{where}.issuer", "must be an http(s) URL (https in production)")
    scopes = item.get("scopes", ["openid"])
    if not isinstance(scopes, list) or not all(isinstance(s, str) and s and " " not in s for s in scopes):
        raise reader.fail(f"{where}.scopes", "must be a list of scope names")
    if "openid" not in scopes:
        scopes = ["openid", *scopes]
    verifies = item.get("verifies", "resident")
    if verifies not in VERIFIES:
        raise reader.fail(f"{where}.verifies", f"must be one of {', '.join(VERIFIES)}")
    claims = item.get("claims", {})
    if not isinstance(claims, dict) or not all(k in CLAIM_KEYS and isinstance(v, str) and v for k, v in claims.items()):
        raise reader.fail(f"{where}.claims", f"keys from {', '.join(CLAIM_KEYS)}, each naming a claim")
    claims = {"subject": "sub", **claims}
    if verifies == "organisation" and "kvk" not in claims:
        raise reader.fail(f"{where}.claims", "an organisation provider needs a 'kvk' claim")
    codes = item.get("municipality_codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and re.fullmatch(r"(GM)?\d{1,4}", c) for c in codes):
        raise reader.fail(f"{where}.municipality_codes", 'must be a list of CBS codes such as "0637"')
    ranges = []
    for text in item.get("postcode_ranges", []):
        match = _POSTCODE_RANGE.match(text) if isinstance(text, str) else None
        if not match:
            raise reader.fail(f"{where}.postcode_ranges", 'must be a list like ["2711-2729", "2730"]')
        low, high = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(3))
        ranges.append((int(low), int(high)))
    if verifies == "resident" and not (codes or ranges):
        raise reader.fail(where, "a resident provider needs municipality_codes or postcode_ranges")
    return IdentityProvider(
        slug=slug,
        names=dict(names),
        issuer=issuer.rstrip("/"),
        client_id=reader.text(item, "client_id", f"{where}.client_id") or "",
        client_secret_env=_env_name(reader, item, "client_secret_env", f"{where}.client_secret_env"),
        scopes=tuple(scopes),
        verifies=verifies,
        claims=claims,
        municipality_codes=frozenset(re.sub(r"^GM", "", c).zfill(4) for c in codes),
        postcode_ranges=tuple(ranges),
    )
