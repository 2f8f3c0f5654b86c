"""Account use cases: registration, verification, sign-in with lockout, passwords, roles.

Controllers (HTML and API) and the CLI call these; the rules live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from participation.accounts import lockout, security_log, signed_links, tokens, two_factor
from participation.accounts.attempts import count_attempt
from participation.accounts.kvk import KVK_TAKEN, kvk_problem, kvk_taken, normalise_kvk
from participation.accounts.passwords import (
    DUMMY_HASH,
    DUMMY_HASH_FAST,
    hash_password,
    password_problem,
    verify_password,
)
from participation.accounts.permissions import is_staff, password_refusal
from participation.accounts.security_log import SecurityEventKind, email_digest
from participation.accounts.tables import Account, AccountKind, Role
from participation.database import is_unique_violation, write_transaction
from participation.i18n import N_, gettext, in_locale
from participation.lib.clock import utcnow
from participation.outbox.services import enqueue
from participation.settings import Settings
from participation.validation import (
    DomainError,
    Errors,
    FormErrors,
    check_email,
    check_length,
    clean_email,
    clean_text,
)

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"
DUPLICATE_EMAIL = N_("An account with this email address already exists. Sign in or reset your password.")


class SignInRefused(DomainError):
    status_code = 401


class AlreadyVerified(DomainError):
    """A confirmation link opened again (a second click, a mail client's preview): nothing is wrong."""

    status_code = 200


@dataclass(frozen=True)
class Registration:
    kind: AccountKind
    email: str
    password: str
    display_name: str
    neighbourhood: str | None = None
    organisation_name: str | None = None
    kvk_number: str | None = None
    locale: str = "nl"


def registration_from_form(data: dict, kind: AccountKind, locale: str = "nl") -> Registration:
    org = kind is AccountKind.organisation
    return Registration(
        kind=kind,
        email=clean_email(data.get("email")),
        password=str(data.get("password") or ""),
        display_name=clean_text(data.get("contact_name" if org else "display_name")),
        neighbourhood=clean_text(data.get("neighbourhood")) or None,
        organisation_name=clean_text(data.get("organisation_name")) if org else None,
        kvk_number=normalise_kvk(data.get("kvk_number")) if org else None,
        locale=locale,
    )


def _validate_registration(settings: Settings, reg: Registration) -> None:
    errors = Errors()
    check_email(errors, "email", reg.email)
    if reg.kind is AccountKind.organisation:
        check_length(errors, "organisation_name", reg.organisation_name or "", 2, 120)
        if problem := kvk_problem(reg.kvk_number or ""):
            errors.add("kvk_number", problem)
        check_length(errors, "contact_name", reg.display_name, 2, 80)
    else:
        check_length(errors, "display_name", reg.display_name, 2, 80)
    if reg.neighbourhood and not settings.city.neighbourhood(reg.neighbourhood):
        errors.add("neighbourhood", N_("Choose a neighbourhood from the list."))
    if problem := password_problem(reg.password, email=reg.email, name=reg.display_name):
        errors.add("password", problem)
    errors.raise_if_any()


async def register(settings: Settings, reg: Registration) -> Account | None:
    """Create an unverified account and queue its verification link, in one transaction.

    For an address that already has an account nothing is created (None): its owner gets a
    mail saying someone tried to register, with sign-in and reset links. The person at the
    form gets the same answer either way, so the form tells no one which addresses have
    accounts. The password is hashed first, for both: the answer takes as long, and the
    slow hash does not hold the write lock. The unique index on email decides a race between
    two registrations (PostgreSQL); the loser looks again and finds the winner's account. So does
    the KvK number's: the loser looks again and is told the number is taken.
    Refused (403) where residents sign up through a login service instead (`password_refusal`).
    """
    if refusal := password_refusal(settings, reg.kind.value, staff=False):
        raise DomainError(refusal, 403)
    _validate_registration(settings, reg)
    password_hash = await hash_password(reg.password, fast=settings.password_hash_fast)
    for attempt in range(2):
        try:
            async with write_transaction():
                existing = await Account.objects().get(Account.email == reg.email)
                if existing is not None:
                    await _queue_already_registered(settings, existing)
                    return None
                # After the address: who holds an address stays unsaid; who holds a KvK number is public.
                if await kvk_taken(reg.kvk_number):
                    raise FormErrors({"kvk_number": KVK_TAKEN})
                account = Account(
                    email=reg.email,
                    password_hash=password_hash,
                    display_name=reg.display_name,
                    kind=reg.kind.value,
                    organisation_name=reg.organisation_name,
                    kvk_number=reg.kvk_number,
                    neighbourhood=reg.neighbourhood,
                    locale=reg.locale,
                )
                await account.save()
                await send_verification(settings, account)
                return account
        except Exception as exc:
            if attempt == 0 and is_unique_violation(exc):
                continue
            raise
    raise AssertionError("unreachable: the second attempt returns or raises")


async def _within_mail_cap(settings: Settings, key: str) -> bool:
    """Count one mail of this kind to this recipient; False once over the hourly cap, so a form
    sent in a loop cannot flood someone's mailbox. The person at the form gets the same answer."""
    attempt = await count_attempt(key, timedelta(hours=1))
    return not attempt.over(settings.account_mails_per_hour)


async def _queue_already_registered(settings: Settings, account: Account) -> None:
    if not await _within_mail_cap(settings, f"registered-mail:{account.id}"):
        return
    login, forgot = f"{settings.base_url}/login", f"{settings.base_url}/account/forgot"
    with in_locale(account.locale):
        await enqueue(
            to=account.email,
            subject=gettext("Someone tried to sign up for %(city)s with your address", city=settings.city.name),
            text=gettext(
                "Hello %(name)s,\n\nSomeone, perhaps you, tried to create an account for %(city)s with this "
                "email address. You already have one.\n\nSign in: %(login)s\n\n"
                "Forgot your password? Choose a new one: %(forgot)s\n\n"
                "If this was not you, you can ignore this message; nothing has changed.",
                name=account.display_name,
                city=settings.city.name,
                login=login,
                forgot=forgot,
            ),
            category="account",
            locale=account.locale,
        )


def _verify_fingerprint(account: Account) -> str:
    return signed_links.fingerprint(account.email, account.email_verified_at)


async def send_verification(settings: Settings, account: Account) -> bool:
    """Queue a confirmation link; False (nothing sent) once the account's hourly cap is reached."""
    if not await _within_mail_cap(settings, f"verify-mail:{account.id}"):
        return False
    token = signed_links.make_token(
        settings.secret_key, VERIFY_PURPOSE, account.id, _verify_fingerprint(account), settings.email_link_hours * 3600
    )
    # The token is a path segment, and the access log redacts it (participation.log_redaction).
    link = f"{settings.base_url}/account/verify/{token}"
    with in_locale(account.locale):
        await enqueue(
            to=account.email,
            subject=gettext("Confirm your email address for %(city)s", city=settings.city.name),
            text=gettext(
                "Hello %(name)s,\n\nConfirm your email address by opening this link within %(hours)s hours:"
                "\n\n%(link)s\n\n"
                "If you did not create an account, you can ignore this message.",
                name=account.display_name,
                hours=settings.email_link_hours,
                link=link,
            ),
            category="account",
            locale=account.locale,
        )
    return True


async def _account_for_link(settings: Settings, purpose: str, token: str, fingerprint_of) -> Account:
    try:
        account_id = signed_links.read_account_id(token)
    except signed_links.InvalidLink as exc:
        raise DomainError(N_("This link is invalid or has already been used.")) from exc
    account = await Account.objects().get(Account.id == account_id)
    if account is None or account.deleted_at:
        raise DomainError(N_("This link is invalid or has already been used."))
    try:
        signed_links.check_token(settings.secret_key, purpose, token, fingerprint_of(account))
    except signed_links.ExpiredLink as exc:
        raise DomainError(N_("This link has expired. Request a new one.")) from exc
    except signed_links.InvalidLink as exc:
        raise DomainError(N_("This link is invalid or has already been used.")) from exc
    return account


async def verify_email(settings: Settings, token: str) -> Account:
    try:
        account = await _account_for_link(settings, VERIFY_PURPOSE, token, _verify_fingerprint)
    except DomainError:
        if await _confirmed_by(settings, token):
            raise AlreadyVerified(N_("Your email address is already confirmed. You can sign in.")) from None
        raise
    account.email_verified_at = utcnow()
    await account.save([Account.email_verified_at])
    return account


async def _confirmed_by(settings: Settings, token: str) -> bool:
    """Was `token` a genuine confirmation link for an account that has since been confirmed?

    The link stops working once used (its fingerprint includes the confirmation time); the one it
    was made for is the account's address before confirmation."""
    try:
        account = await Account.objects().get(Account.id == signed_links.read_account_id(token))
    except signed_links.InvalidLink:
        return False
    if account is None or account.deleted_at or account.email_verified_at is None:
        return False
    try:
        signed_links.check_token(
            settings.secret_key, VERIFY_PURPOSE, token, signed_links.fingerprint(account.email, None)
        )
    except signed_links.ExpiredLink:
        return True
    except signed_links.InvalidLink:
        return False
    return True


async def sign_in(settings: Settings, email: str, password: str) -> Account:
    """Check credentials; after N failures for an email within the window, refuse even a right password
    (the attempt is counted before the check, so parallel guesses cannot slip past: see lockout)."""
    email = clean_email(email)
    attempt = await lockout.reserve(settings, email)
    account = await Account.objects().get(Account.email == email) if email else None
    dummy = DUMMY_HASH_FAST if settings.password_hash_fast else DUMMY_HASH
    valid = await verify_password(
        account.password_hash if account else dummy, password, fast=settings.password_hash_fast
    )
    if account is None or not valid or account.deleted_at:
        await lockout.failed(settings, attempt, email, account if account and not account.deleted_at else None)
        raise SignInRefused(N_("The email address or password is incorrect."))
    await lockout.forget(settings, email)
    # After the password check (a wrong password answers alike everywhere); the site and API tokens alike.
    if refusal := password_refusal(settings, account.kind, staff=is_staff(account)):
        raise DomainError(refusal, 403)
    return account


def _reset_fingerprint(account: Account) -> str:
    return signed_links.fingerprint(account.password_hash, account.auth_version)


async def request_password_reset(settings: Settings, email: str) -> None:
    """Queue a reset link if the account exists; the answer to the person is the same either way,
    and as quick: the mail waits in the outbox, so a slow or failing mail server shows nowhere.

    At most `reset_mails_per_hour` per address: the count is kept for every address asked for,
    with or without an account, so neither the answer nor its timing tells them apart."""
    email = clean_email(email)
    async with write_transaction():
        attempt = await count_attempt(f"reset-mail:{email_digest(settings.secret_key, email)}", timedelta(hours=1))
        capped = attempt.over(settings.reset_mails_per_hour)
        account = await Account.objects().get((Account.email == email) & Account.deleted_at.is_null())
        if account is None:
            return
        # Logged also when capped: a flood of requests on one account is what the log is for.
        await security_log.record(
            SecurityEventKind.password_reset_requested, account=account, detail="no mail: hourly cap" if capped else ""
        )
        if not capped:
            await _queue_reset_link(settings, account)


async def _queue_reset_link(settings: Settings, account: Account) -> None:
    token = signed_links.make_token(
        settings.secret_key, RESET_PURPOSE, account.id, _reset_fingerprint(account), settings.reset_link_hours * 3600
    )
    link = f"{settings.base_url}/account/reset/{token}"
    with in_locale(account.locale):
        await enqueue(
            to=account.email,
            subject=gettext("Reset your password for %(city)s", city=settings.city.name),
            text=gettext(
                "Hello %(name)s,\n\nChoose a new password by opening this link within %(hours)s hours:\n\n%(link)s\n\n"
                "If you did not ask for this, you can ignore this message; your password stays the same.",
                name=account.display_name,
                hours=settings.reset_link_hours,
                link=link,
            ),
            category="account",
            locale=account.locale,
        )


async def check_reset_token(settings: Settings, token: str) -> Account:
    return await _account_for_link(settings, RESET_PURPOSE, token, _reset_fingerprint)


async def _set_password(settings: Settings, account: Account, new_password: str, kind: SecurityEventKind) -> None:
    if problem := password_problem(new_password, email=account.email, name=account.display_name):
        raise FormErrors({"password": problem})
    account.password_hash = await hash_password(new_password, fast=settings.password_hash_fast)
    account.auth_version += 1  # ends every other session of this account
    async with write_transaction():
        await account.save([Account.password_hash, Account.auth_version])
        await lockout.forget(settings, account.email)
        await security_log.record(kind, account=account)
        # A token is a credential like the password: whoever had the old one may hold a token too.
        await tokens.end_all_tokens(account, kind.value)


async def reset_password(settings: Settings, token: str, new_password: str) -> Account:
    account = await check_reset_token(settings, token)
    await _set_password(settings, account, new_password, SecurityEventKind.password_reset)
    # The link proved control of the mailbox, so the address counts as verified.
    if account.email_verified_at is None:
        account.email_verified_at = utcnow()
        await account.save([Account.email_verified_at])
    return account


async def change_password(settings: Settings, account: Account, current: str, new_password: str) -> Account:
    if not await verify_password(account.password_hash, current, fast=settings.password_hash_fast):
        raise FormErrors({"current_password": N_("Your current password is incorrect.")})
    await _set_password(settings, account, new_password, SecurityEventKind.password_changed)
    return account


async def token_sign_in(
    settings: Settings,
    email: str,
    password: str,
    code: str | None = None,
    name: str = "api",
    expires_days: int | None = None,
) -> tokens.IssuedToken:
    """Credentials for a token (participation.accounts.tokens); failures count towards the lockout,
    and an account with two-step sign-in needs its code, as on the site."""
    account = await sign_in(settings, email, password)
    await two_factor.check_for_token(account, code)
    return await tokens.create_api_token(settings, account, name=name, expires_days=expires_days)


async def create_account(
    settings: Settings,
    *,
    email: str,
    name: str,
    password: str,
    role: Role = Role.member,
    organisation: str | None = None,
    kvk: str | None = None,
    neighbourhood: str | None = None,
) -> Account:
    """Create a verified account (staff and scripts); the same validation as registration."""
    kind = AccountKind.organisation if organisation else AccountKind.resident
    reg = Registration(
        kind=kind,
        email=clean_email(email),
        password=password,
        display_name=clean_text(name),
        neighbourhood=neighbourhood,
        organisation_name=clean_text(organisation) if organisation else None,
        kvk_number=normalise_kvk(kvk) if organisation else None,
    )
    _validate_registration(settings, reg)
    if await kvk_taken(reg.kvk_number):
        raise FormErrors({"kvk_number": KVK_TAKEN})
    account = Account(
        email=reg.email,
        password_hash=await hash_password(password, fast=settings.password_hash_fast),
        display_name=reg.display_name,
        kind=kind.value,
        organisation_name=reg.organisation_name,
        kvk_number=reg.kvk_number,
        neighbourhood=neighbourhood,
        role=role.value,
        email_verified_at=utcnow(),
    )
    try:
        await account.save()
    except Exception as exc:
        if is_unique_violation(exc):
            taken = reg.kvk_number and await kvk_taken(reg.kvk_number)
            raise FormErrors({"kvk_number": KVK_TAKEN} if taken else {"email": DUPLICATE_EMAIL}) from exc
        raise
    return account


async def set_role(email: str, role: Role, actor: Account | None = None) -> Account:
    """`actor`: the admin who changed it (None: the command line)."""
    account = await Account.objects().get(Account.email == clean_email(email))
    if account is None:
        raise DomainError(N_("No account with this email address."), status_code=404)
    old_role, account.role = account.role, role.value
    account.auth_version += 1  # a privilege change starts a fresh session
    async with write_transaction():
        await account.save([Account.role, Account.auth_version])
        await security_log.record(
            SecurityEventKind.role_changed, account=account, actor=actor, detail=f"{old_role} -> {role.value}"
        )
        # Tokens carry the account's rights: a changed role starts from fresh credentials too.
        await tokens.end_all_tokens(account, "role changed", actor=actor)
    return account
