"""What every answer to a signed-in request gets: `Cache-Control: no-store`, and a security log
entry when the account was refused (401 or 403).

A `before_send` hook, so it sees the final status whatever produced it: a guard, a service's
refusal, an error page or a form re-rendered with 403. Anonymous refusals are not logged: they
carry no account, the log stores no address, and every crawler or expired session would fill
it with entries that say nothing (rate limits and the access log cover them).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from participation.accounts.security_log import SecurityEventKind, record
from participation.accounts.tables import Account
from participation.database import write_transaction

REFUSED = frozenset({401, 403})


async def signed_in_answers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    account = scope.get("user")
    if not isinstance(account, Account):
        return
    # Personal pages and API answers must not stay in a shared or back-button cache.
    MutableScopeHeaders.from_message(message)["Cache-Control"] = "no-store"
    if message["status"] in REFUSED:
        async with write_transaction():
            await record(
                SecurityEventKind.access_denied,
                account=account,
                detail=f"{scope.get('method', '')} {message['status']}",
                path=scope["path"],
            )
