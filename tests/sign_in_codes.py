"""Codes from an authenticator app, as a staff member's phone would show them.

Each time step's code signs in once (no replay), so a test that signs the same account in
twice within 30 seconds takes the next step's code (accepted for clock drift), and waits for
a later step only when that one is used too.
"""

from __future__ import annotations

import time

import pyotp

from participation.accounts.tables import Account, TwoFactor
from participation.accounts.two_factor import DRIFT_STEPS, STEP_SECONDS, current_step

# The key the test factories enrol staff with (tests/helpers.make_account).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_after(secret: str, last_used_step: int) -> str:
    """The code of the earliest step the server accepts after `last_used_step`."""
    # The earliest step the server still accepts (one back, for clock drift), so three sign-ins of
    # one account within a step need no wait; not in a step's last seconds, when "one back" may be
    # two back by the time the server checks.
    ending = time.time() % STEP_SECONDS > STEP_SECONDS - 3
    earliest = current_step() if ending else current_step() - DRIFT_STEPS
    step = max(earliest, last_used_step + 1)
    while step > current_step() + DRIFT_STEPS:
        time.sleep(max(0.05, (step - DRIFT_STEPS) * STEP_SECONDS - time.time()))
    return pyotp.TOTP(secret).generate_otp(step)


async def sign_in_code(email: str) -> str | None:
    """The code to enter for `email` now, or None when the account has no second factor."""
    account = await Account.objects().get(Account.email == email.lower())
    factor = await TwoFactor.objects().get(TwoFactor.account == account.id) if account else None
    return code_after(factor.secret, factor.last_used_step) if factor else None
