"""Fixtures for the accounts tests: an app with probe routes behind each guard."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar, get, post

from participation.accounts.guards import requires_editor, requires_moderator, requires_participant, requires_role
from participation.accounts.tables import Role
from participation.composition import build_parts
from participation.core import ApplicationCore
from tests.mail import DeliveringTransport


@get("/probe/participant", guards=[requires_participant], include_in_schema=False)
async def probe_participant() -> str:
    return "may take part"


@get("/probe/moderator", guards=[requires_moderator], include_in_schema=False)
async def probe_moderator() -> str:
    return "moderator area"


@get("/probe/editor", guards=[requires_editor], include_in_schema=False)
async def probe_editor() -> str:
    return "editor area"


@get("/probe/staff", guards=[requires_role(Role.moderator, Role.editor)], include_in_schema=False)
async def probe_staff() -> str:
    return "staff area"


@post("/api/v1/probe/participate", guards=[requires_participant], include_in_schema=False)
async def probe_api_participate() -> dict:
    return {"ok": True}


PROBES = [probe_participant, probe_moderator, probe_editor, probe_staff, probe_api_participate]


@pytest.fixture
async def probe_client(settings, outbox):
    """The real app plus routes guarded by each guard (no resident-facing route exists yet)."""
    app = Litestar(route_handlers=PROBES, plugins=[ApplicationCore(build_parts(settings))])
    async with app.lifespan():
        async with httpx.AsyncClient(
            transport=DeliveringTransport(app, outbox), base_url="http://testserver.local"
        ) as http:
            yield http
