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

from participation.validation import whole_number


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


def _parts(token: str) -> tuple[int, int, str]:
    """Account id, expiry and MAC of a well-formed token. Strict: a link is copied from a mail, and an id
    beyond the database's range ("99999999999999999999.1.x") must not reach a query."""
    pieces = token.split(".")
    if len(pieces) != 3 or not pieces[2]:
        raise InvalidLink()
    account_id, expires = whole_number(pieces[0]), whole_number(pieces[1], maximum=9_999_999_999)
    if account_id is None or expires is None:
        raise InvalidLink()
    return account_id, expires, pieces[2]


def read_account_id(token: str) -> int:
    """The account a token claims to be for; check it with `check_token` before trusting it."""
    return _parts(token)[0]


def check_token(secret: str, purpose: str, token: str, fingerprint: str, now: float | None = None) -> None:
    _parts(token)
    account_id, expires, mac = token.split(".")  # as written: the MAC covers the text
    expected = _mac(secret, f"{purpose}|{account_id}.{expires}|{fingerprint}")
    if not hmac.compare_digest(expected.encode(), mac.encode()):  # bytes: a str with non-ASCII raises
        raise InvalidLink()
    if int(expires) < (now if now is not None else time.time()):
        raise ExpiredLink()


def fingerprint(*parts: object) -> str:
    return _b64(hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()[:12])
