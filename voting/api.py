"""Support API: PUT to support (idempotent), DELETE to withdraw."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, put
from litestar.di import NamedDependency
from litestar.params import FromPath

from participation.accounts.guards import requires_account
from participation.accounts.tables import Account
from participation.lib.events import DomainEvents
from participation.settings import Settings
from voting import services


class SupportState(msgspec.Struct):
    supported: bool
    support_count: int
    register_entry: str | None = None
    # Of support_count, the supports of verified residents and organisations (what counts where the city says so).
    verified_support_count: int = 0


class SupportApi(Controller):
    path = "/api/v1/ideas"
    tags = ["supports"]
    guards = [requires_account]

    @put("/{idea_id:int}/support", opt={"rate_limit": "support"}, summary="Support an idea (idempotent)")
    async def support(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> SupportState:
        """403 with a reason for your own idea, an unverified or suspended account.

        409 when the idea is not open for support; 404 for an idea you may not see, as for a missing one."""
        outcome = await services.support_idea(settings, request.user, idea_id, events=events)
        return SupportState(
            supported=True,
            support_count=outcome.support_count,
            register_entry=outcome.routed_entry_slug,
            verified_support_count=outcome.verified_support_count,
        )

    @delete("/{idea_id:int}/support", status_code=200, opt={"rate_limit": "support"}, summary="Withdraw a support")
    async def withdraw(
        self,
        request: Request[Account, Any, Any],
        settings: NamedDependency[Settings],
        events: NamedDependency[DomainEvents],
        idea_id: FromPath[int],
    ) -> SupportState:
        outcome = await services.withdraw_support(settings, request.user, idea_id, events=events)
        return SupportState(
            supported=False,
            support_count=outcome.support_count,
            verified_support_count=outcome.verified_support_count,
        )
