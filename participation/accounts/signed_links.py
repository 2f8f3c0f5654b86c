"""Signed, expiring links for email verification and password reset.

A link carries (purpose, account id, expiry) and an HMAC over them plus a
fingerprint of the account state the link may change (verification state,
password hash). Once that state changes, the link no longer verifies: it works
once without storing anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


class InvalidLink(Exception):
    pass


class ExpiredLink(InvalidLink):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, message: str) -> str:
    return _b64(hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest())


def make_token(
    secret: str, purpose: str, account_id: int, fingerprint: str, valid_seconds: int, now: float | None = None
) -> str:
    expires = int((now if now is not None else time.time()) + valid_seconds)
    body = f"{account_id}.{expires}"
    return f"{body}.{_mac(secret, f'{purpose}|{body}|{fingerprint}')}"


def read_account_id(token: str) -> int:
    """The account a token claims to be for; check it with `check_token` before trusting it."""
    try:
        account_id, _expires, _mac_part = token.split(".")
        return int(account_id)
    except ValueError as exc:
        raise InvalidLink() from exc


def check_token(secret: str, purpose: str, token: str, fingerprint: str, now: float | None = None) -> None:
    try:
        account_id, expires, mac = token.split(".")
        int(account_id), int(expires)
    except ValueError as exc:
        raise InvalidLink() from exc
    expected = _mac(secret, f"{purpose}|{account_id}.{expires}|{fingerprint}")
    if not hmac.compare_digest(expected, mac):
        raise InvalidLink()
    if int(expires) < (now if now is not None else time.time()):
        raise ExpiredLink()


def fingerprint(*parts: object) -> str:
    return _b64(hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()[:12])
