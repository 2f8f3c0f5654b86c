"""Password policy and hashing (argon2id through argon2-cffi).

Hashing is CPU-bound (tens of milliseconds by design), so it runs in a worker
thread to keep the event loop serving other requests.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from participation.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 accepts more, but a megabyte "password" is an attack

_here = Path(__file__).parent
_default_hasher = PasswordHasher()
# Tests hash hundreds of passwords; the parameters differ, the code path does not.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(_here / "common-passwords.txt.gz", "rt", encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    for line in (_here / "common-passwords-nl.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.strip().lower())
    return frozenset(words)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return N_("Use at least 12 characters.")
    if len(password) > MAX_LENGTH:
        return N_("This password is too long.")
    lowered = password.strip().lower()
    if lowered in common_passwords() or _repeats_weak_unit(lowered):
        return N_("This password is too common; choose one that is harder to guess.")
    if lowered in {email.strip().lower(), name.strip().lower()}:
        return N_("Do not use your email address or name as your password.")
    return None


def _repeats_weak_unit(lowered: str) -> bool:
    """'passwordpassword', 'abcabcabcabc': a short or common unit repeated reaches 12 characters cheaply."""
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            unit = lowered[:size]
            return len(unit) <= 4 or unit in common_passwords()
    return False


def _hasher(fast: bool) -> PasswordHasher:
    return _fast_hasher if fast else _default_hasher


async def hash_password(password: str, *, fast: bool = False) -> str:
    return await anyio.to_thread.run_sync(_hasher(fast).hash, password)


async def verify_password(password_hash: str, password: str, *, fast: bool = False) -> bool:
    def verify() -> bool:
        try:
            return _hasher(fast).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)


# Verifying against this when the email is unknown keeps the response time the
# same, so sign-in does not reveal which emails have accounts.
DUMMY_HASH = _default_hasher.hash("not-a-real-password-but-a-timing-equaliser")
DUMMY_HASH_FAST = _fast_hasher.hash("not-a-real-password-but-a-timing-equaliser")
