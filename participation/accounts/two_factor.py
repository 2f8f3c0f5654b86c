"""Two-step sign-in: a TOTP code from an authenticator app (RFC 6238, `pyotp`) or a recovery code.

Required for city staff (moderators, editors, admins), optional for members. Enrolment ends
only with a right code, so a secret that never reached the app cannot lock anyone out. Each
TOTP time step is accepted once per account (a code seen over someone's shoulder cannot be
replayed) and each recovery code once; both are claimed with one conditional UPDATE, so two
requests racing with the same code cannot both pass.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import timedelta

import pyotp
import segno

from participation.accounts import attempts, security_log
from participation.accounts.passwords import verify_password
from participation.accounts.permissions import is_staff
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Account, RecoveryCode, TwoFactor
from participation.database import is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.settings import Settings
from participation.validation import DomainError, FormErrors, clean_email

STEP_SECONDS = 30
# A code of the step before or after is accepted too: phones' clocks drift.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without the look-alikes (0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
_SEPARATORS = re.compile(r"[\s-]")
# Wrong codes per account, across sign-in attempts and the API: someone holding the password
# cannot start sign-in after sign-in to try the million codes.
MAX_WRONG_CODES = 10
WRONG_CODES_WINDOW = timedelta(minutes=15)

WRONG_CODE = N_("This code is not right. Enter the current code from your app, or an unused recovery code.")
STAFF_NEED_IT = N_("City staff need two-step sign-in; it cannot be turned off.")


class CodeRequired(DomainError):
    """The API's answer when a password alone does not sign in."""

    status_code = 401


class WrongCode(DomainError):
    status_code = 401


class TooManyWrongCodes(WrongCode):
    status_code = 429


class SecondFactorMissing(DomainError):
    """Staff without a second factor may not get a token."""

    status_code = 403


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code(uri: str) -> str:
    """The QR code as a data: URI of an SVG image (the CSP allows data: images, no inline style)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def current_step() -> int:
    return int(time.time()) // STEP_SECONDS


def matching_step(secret: str, code: str) -> int | None:
    """The time step near now whose code is `code`, or None."""
    code = normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def normalise(code: object) -> str:
    return _SEPARATORS.sub("", str(code or "")).lower()


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


async def factor_of(account: Account | int) -> TwoFactor | None:
    account_id = account.id if isinstance(account, Account) else account
    return await TwoFactor.objects().get(TwoFactor.account == account_id)


async def is_enabled(account: Account | int) -> bool:
    account_id = account.id if isinstance(account, Account) else account
    return await TwoFactor.exists().where(TwoFactor.account == account_id)


async def unused_recovery_codes(account: Account) -> int:
    return await RecoveryCode.count().where((RecoveryCode.account == account.id) & RecoveryCode.used_at.is_null())


async def _replace_recovery_codes(account: Account) -> list[str]:
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    await RecoveryCode.delete().where(RecoveryCode.account == account.id)
    await RecoveryCode.insert(*(RecoveryCode(account=account.id, code_hash=_hash(code)) for code in codes))
    return codes


async def enable(account: Account, secret: str, code: str) -> list[str]:
    """Finish enrolment: the code proves the app holds `secret`. Returns the recovery codes (shown once)."""
    step = matching_step(secret, code)
    if step is None:
        raise FormErrors({"code": N_("This code is not right. Enter the 6 digits your app shows now.")})
    try:
        return await _enable(account, secret, last_used_step=step)
    except Exception as exc:
        if is_unique_violation(exc):  # a second tab finished enrolment first
            raise DomainError(N_("Two-step sign-in is already on for your account.")) from exc
        raise


async def set_up(account: Account, secret: str) -> list[str]:
    """Enable with a secret the caller already holds, without a code: the demo's staff and test factories.
    People enrol through `enable`."""
    return await _enable(account, secret, last_used_step=0)


async def _enable(account: Account, secret: str, last_used_step: int) -> list[str]:
    async with write_transaction():
        await TwoFactor.insert(TwoFactor(account=account.id, secret=secret, last_used_step=last_used_step))
        codes = await _replace_recovery_codes(account)
        await security_log.record(SecurityEventKind.two_factor_enabled, account=account)
    return codes


async def check_code(account: Account, code: str, *, path: str | None = None) -> None:
    """Accept a TOTP code (each time step once) or an unused recovery code (once); else record and refuse."""
    # Counted before the check, atomically (as the password lockout): concurrent guesses cannot
    # slip past the limit; a right code clears the count.
    key = f"two-factor:{account.id}"
    if (await attempts.count_attempt(key, WRONG_CODES_WINDOW)).over(MAX_WRONG_CODES):
        raise TooManyWrongCodes(N_("Too many wrong codes for this account. Try again in 15 minutes."))
    factor = await factor_of(account)
    if factor is not None and await _claim(account, factor, normalise(code), path):
        await attempts.forget(key)
        return
    await security_log.record(SecurityEventKind.two_factor_failed, account=account, path=path)
    raise WrongCode(WRONG_CODE)


async def _claim(account: Account, factor: TwoFactor, code: str, path: str | None) -> bool:
    step = matching_step(factor.secret, code)
    if step is not None:
        claimed = (
            await TwoFactor.update({TwoFactor.last_used_step: step})
            .where((TwoFactor.id == factor.id) & (TwoFactor.last_used_step < step))
            .returning(TwoFactor.id)
        )
        return bool(claimed)
    if len(code) != RECOVERY_CODE_LENGTH:
        return False
    async with write_transaction():
        claimed = (
            await RecoveryCode.update({RecoveryCode.used_at: utcnow()})
            .where(
                (RecoveryCode.account == account.id)
                & (RecoveryCode.code_hash == _hash(code))
                & RecoveryCode.used_at.is_null()
            )
            .returning(RecoveryCode.id)
        )
        if claimed:
            left = await unused_recovery_codes(account)
            await security_log.record(
                SecurityEventKind.recovery_code_used, account=account, detail=f"{left} left", path=path
            )
    return bool(claimed)


async def new_recovery_codes(account: Account, code: str) -> list[str]:
    """Replace every recovery code, after a right code (someone at an unlocked screen has no code)."""
    try:
        await check_code(account, code)
    except WrongCode as exc:
        raise FormErrors({"code": exc.message}) from exc
    async with write_transaction():
        return await _replace_recovery_codes(account)


async def disable(settings: Settings, account: Account, password: str, code: str) -> None:
    """Members only; with the password and a code, so a borrowed session cannot weaken the account."""
    if is_staff(account):
        raise DomainError(STAFF_NEED_IT, status_code=403)
    if not await verify_password(account.password_hash, password, fast=settings.password_hash_fast):
        raise FormErrors({"password": N_("Your current password is incorrect.")})
    try:
        await check_code(account, code)
    except WrongCode as exc:
        raise FormErrors({"code": exc.message}) from exc
    async with write_transaction():
        await RecoveryCode.delete().where(RecoveryCode.account == account.id)
        await TwoFactor.delete().where(TwoFactor.account == account.id)
        await security_log.record(SecurityEventKind.two_factor_disabled, account=account)


async def reset(email: str) -> Account:
    """For someone who lost both the app and the recovery codes (the command line, once an admin has
    checked who asks): the factor goes and every session ends; staff enrol again at the next sign-in."""
    account = await Account.objects().get(Account.email == clean_email(email))
    if account is None:
        raise DomainError(N_("No account with this email address."), status_code=404)
    async with write_transaction():
        await RecoveryCode.delete().where(RecoveryCode.account == account.id)
        await TwoFactor.delete().where(TwoFactor.account == account.id)
        await Account.update({Account.auth_version: Account.auth_version + 1}).where(Account.id == account.id)
        await security_log.record(SecurityEventKind.two_factor_disabled, account=account, detail="reset by an admin")
    return account


async def check_for_token(account: Account, code: str | None) -> None:
    """A token is a session without a browser: the same factors as signing in."""
    if await is_enabled(account):
        if not normalise(code):
            raise CodeRequired(
                N_("This account uses two-step sign-in: send the code from the app (or a recovery code) as `code`.")
            )
        await check_code(account, str(code), path="/api/v1/auth/token")
    elif is_staff(account):
        raise SecondFactorMissing(
            N_("City staff need two-step sign-in: turn it on at /account/two-step before creating a token.")
        )
