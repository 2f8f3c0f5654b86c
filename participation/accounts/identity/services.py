"""Linking, signing in and signing up with an identity provider, and what it verifies.

A provider's ID token is reduced at once to an `Identity`: a keyed hash of the subject, the
assurance level, whether the postcode or municipality code lies in the municipality, and
whether the KvK number equals the account's. Nothing else is kept: no BSN, no address, no
claims. A link and the verification it gives (`set_verification`) commit together; the unique
index on the subject's hash decides which account a person verifies, also under a race.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from participation.accounts import security_log
from participation.accounts.identity.oidc import ProviderName
from participation.accounts.identity.tables import IdentityLink
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.services import normalise_kvk, send_verification
from participation.accounts.tables import Account, AccountKind
from participation.accounts.verification import set_verification
from participation.city_identity import IdentityProvider, SignInConfig
from participation.database import for_update, is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.settings import Settings
from participation.validation import (
    DomainError,
    Errors,
    FormErrors,
    Message,
    check_email,
    check_length,
    clean_email,
    clean_text,
)

# Not an argon2 hash: no password verifies against it until the person chooses one ("Forgot your password?").
NO_PASSWORD_YET = "!identity-only"
ASSURANCE_MAX = 100


class LinkRefused(DomainError):
    status_code = 409

    def __init__(self, message: Message, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """What is kept of one sign-in at a provider (and, for an organisation, the KvK number to compare)."""

    provider: str
    subject_hash: str
    assurance: str | None
    in_municipality: bool
    kvk: str | None
    email: str | None

    def as_session(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("provider", "subject_hash", "assurance", "in_municipality", "kvk")}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Identity:
        return cls(email=None, **data)


def subject_hash(settings: Settings, provider: IdentityProvider, subject: str) -> str:
    """Keyed per provider: equal for the same person at the same provider, meaningless without the key."""
    key = settings.city.sign_in.subject_key(settings.secret_key).encode()
    return hmac.new(key, f"{provider.slug}\x00{subject}".encode(), hashlib.sha256).hexdigest()


def identity_from_claims(settings: Settings, provider: IdentityProvider, claims: dict[str, Any]) -> Identity:
    def claim(key: str) -> Any:
        name = provider.claim(key)
        return claims.get(name) if name else None

    subject = claim("subject")
    if not isinstance(subject, str) or not subject:
        raise LinkRefused(
            Message(N_("%(provider)s did not say who signed in. Nothing was stored."), provider=ProviderName(provider)),
            "no subject",
        )
    assurance = claim("assurance")
    kvk = claim("kvk")
    email = claim("email")
    return Identity(
        provider=provider.slug,
        subject_hash=subject_hash(settings, provider, subject),
        assurance=str(assurance)[:ASSURANCE_MAX] if assurance is not None else None,
        in_municipality=provider.verifies == "resident"
        and provider.in_municipality(claim("postcode"), claim("municipality")),
        kvk=normalise_kvk(kvk) if kvk is not None else None,
        email=email if isinstance(email, str) and claims.get("email_verified", True) is not False else None,
    )


def _verifies_organisation(account: Account, identity: Identity) -> bool:
    return (
        account.kind == AccountKind.organisation.value
        and bool(account.kvk_number)
        and identity.kvk is not None
        and hmac.compare_digest(identity.kvk.encode(), (account.kvk_number or "").encode())
    )


def _check_fits(provider: IdentityProvider, account: Account, identity: Identity) -> None:
    """A DigiD-style provider verifies residents; an eHerkenning-style one only the organisation
    whose KvK number it confirms."""
    if provider.verifies == "resident":
        if account.kind != AccountKind.resident.value:
            raise LinkRefused(
                Message(
                    N_("%(provider)s verifies residents: use it from a resident's account."),
                    provider=ProviderName(provider),
                ),
                "not a resident account",
            )
        return
    if account.kind != AccountKind.organisation.value:
        raise LinkRefused(
            Message(
                N_("%(provider)s verifies organisations: use it from an organisation account."),
                provider=ProviderName(provider),
            ),
            "not an organisation account",
        )
    if not _verifies_organisation(account, identity):
        raise LinkRefused(
            Message(
                N_("%(provider)s confirmed another KvK number than your account's. Nothing was stored."),
                provider=ProviderName(provider),
            ),
            "kvk mismatch",
        )


async def _apply_verification(
    sign_in: SignInConfig, account: Account, provider: IdentityProvider, events: DomainEvents
) -> None:
    """The flag `provider` verifies, as the account's links now give it, inside the caller's transaction.

    Only that flag: a DigiD link says nothing about an organisation (which staff may have verified).
    """
    links = await IdentityLink.select(IdentityLink.provider, IdentityLink.in_municipality).where(
        IdentityLink.account == account.id
    )
    verified = False
    for link in links:
        other = sign_in.provider(link["provider"])
        if other is None or other.verifies != provider.verifies:
            continue  # a provider the city no longer configures verifies nothing
        # An organisation link exists only where the KvK number matched (checked at linking and at sign-in).
        verified = verified or other.verifies == "organisation" or bool(link["in_municipality"])
    if provider.verifies == "resident":
        await set_verification(account.id, resident=verified, events=events)
    else:
        await set_verification(account.id, organisation=verified, events=events)


def _already_linked(provider: IdentityProvider) -> LinkRefused:
    return LinkRefused(
        Message(
            N_(
                "This %(provider)s identity is already linked to another account. "
                "One person can verify one account: sign in with %(provider)s to use that account."
            ),
            provider=ProviderName(provider),
        ),
        "subject linked to another account",
    )


async def _insert_link(account_id: int, identity: Identity) -> int | None:
    rows = (
        await IdentityLink.insert(
            IdentityLink(
                account=account_id,
                provider=identity.provider,
                subject_hash=identity.subject_hash,
                assurance=identity.assurance,
                in_municipality=identity.in_municipality,
                verified_at=utcnow(),
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(IdentityLink.id)
    )
    return rows[0]["id"] if rows else None


async def link(
    settings: Settings, events: DomainEvents, account: Account, provider: IdentityProvider, identity: Identity
) -> None:
    """Link the identity to `account` and verify it, or refuse with nothing stored."""
    _check_fits(provider, account, identity)
    async with write_transaction():
        await for_update(Account.select(Account.id).where(Account.id == account.id)).first()
        if await _insert_link(account.id, identity) is None:
            existing = await IdentityLink.objects().get(IdentityLink.subject_hash == identity.subject_hash)
            if existing is not None and existing.account != account.id:
                raise _already_linked(provider)
            if existing is None:
                raise LinkRefused(
                    Message(
                        N_("Your account already has another %(provider)s identity. Unlink it first."),
                        provider=ProviderName(provider),
                    ),
                    "account has another identity at this provider",
                )
            await _refresh(existing, identity)
        await _apply_verification(settings.city.sign_in, account, provider, events)
        await security_log.record(
            SecurityEventKind.identity_linked, account=account, detail=_detail(provider, identity)
        )


async def _refresh(existing: IdentityLink, identity: Identity) -> None:
    """The same person again: what they are now (they may have moved) replaces what they were."""
    await IdentityLink.update(
        {
            IdentityLink.assurance: identity.assurance,
            IdentityLink.in_municipality: identity.in_municipality,
            IdentityLink.verified_at: utcnow(),
        }
    ).where(IdentityLink.id == existing.id)


def _detail(provider: IdentityProvider, identity: Identity) -> str:
    place = "in municipality" if identity.in_municipality else "outside municipality"
    what = place if provider.verifies == "resident" else "organisation"
    return f"{provider.slug}: {what}, assurance {identity.assurance or '-'}"


async def linked_account(settings: Settings, events: DomainEvents, provider: IdentityProvider, identity: Identity):
    """The account this identity signs in to (its verification refreshed), or None when not linked."""
    async with write_transaction():
        existing = await IdentityLink.objects().get(IdentityLink.subject_hash == identity.subject_hash)
        if existing is None:
            return None
        account = await Account.objects().get(Account.id == existing.account)
        if account is None or account.deleted_at is not None:
            return None
        if provider.verifies == "organisation" and not _verifies_organisation(account, identity):
            # The organisation's KvK number no longer matches: the link stops verifying it.
            await IdentityLink.delete().where(IdentityLink.id == existing.id)
            await _apply_verification(settings.city.sign_in, account, provider, events)
            await security_log.record(SecurityEventKind.identity_unlinked, account=account, detail="kvk mismatch")
            return account
        await _refresh(existing, identity)
        await _apply_verification(settings.city.sign_in, account, provider, events)
        await security_log.record(
            SecurityEventKind.identity_sign_in, account=account, detail=_detail(provider, identity)
        )
        return account


async def unlink(settings: Settings, events: DomainEvents, account: Account, provider: IdentityProvider) -> bool:
    """Remove the account's link to `provider`; the verification it gave is withdrawn in the same transaction."""
    async with write_transaction():
        await for_update(Account.select(Account.id).where(Account.id == account.id)).first()
        removed = (
            await IdentityLink.delete()
            .where((IdentityLink.account == account.id) & (IdentityLink.provider == provider.slug))
            .returning(IdentityLink.id)
        )
        if not removed:
            return False
        await _apply_verification(settings.city.sign_in, account, provider, events)
        await security_log.record(SecurityEventKind.identity_unlinked, account=account, detail=provider.slug)
    return True


async def links_of(account: Account) -> dict[str, IdentityLink]:
    rows = await IdentityLink.objects().where(IdentityLink.account == account.id)
    return {row.provider: row for row in rows}


async def record_refusal(account: Account | None, provider: IdentityProvider | None, reason: str, path: str) -> None:
    async with write_transaction():
        await security_log.record(
            SecurityEventKind.identity_refused,
            account=account,
            detail=f"{provider.slug if provider else '-'}: {reason}",
            path=path,
        )


async def sign_up(
    settings: Settings,
    events: DomainEvents,
    provider: IdentityProvider,
    identity: Identity,
    values: dict[str, Any],
    locale: str,
) -> Account:
    """A new resident's account, its link and its verification in one transaction.

    The address is confirmed by mail as at registration; until then the account can sign in
    (with the provider) but not take part. There is no password until the person chooses one.
    """
    if provider.verifies != "resident":
        raise LinkRefused(
            Message(
                N_("Create an organisation account first, then link %(provider)s from your account page."),
                provider=ProviderName(provider),
            ),
            "sign-up with an organisation provider",
        )
    email, name = clean_email(values.get("email")), clean_text(values.get("display_name"))
    neighbourhood = clean_text(values.get("neighbourhood")) or None
    errors = Errors()
    check_email(errors, "email", email)
    check_length(errors, "display_name", name, 2, 80)
    if neighbourhood and not settings.city.neighbourhood(neighbourhood):
        errors.add("neighbourhood", N_("Choose a neighbourhood from the list."))
    errors.raise_if_any()
    try:
        async with write_transaction():
            if await Account.exists().where(Account.email == email):
                raise FormErrors({"email": EMAIL_TAKEN})
            account = Account(
                email=email,
                password_hash=NO_PASSWORD_YET,
                display_name=name,
                kind=AccountKind.resident.value,
                neighbourhood=neighbourhood,
                locale=locale,
            )
            await account.save()
            if await _insert_link(account.id, identity) is None:
                raise _already_linked(provider)
            await _apply_verification(settings.city.sign_in, account, provider, events)
            await security_log.record(
                SecurityEventKind.identity_linked, account=account, detail=_detail(provider, identity)
            )
            await send_verification(settings, account)
    except Exception as exc:
        # A registration with the same address committed between the check and the insert.
        if is_unique_violation(exc):
            raise FormErrors({"email": EMAIL_TAKEN}) from exc
        raise
    return await Account.objects().get(Account.id == account.id)


EMAIL_TAKEN = N_(
    "An account with this email address already exists. Sign in to it with your password, "
    "then link your identity from the account page."
)
