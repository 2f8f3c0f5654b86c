"""Where to report a vulnerability: /.well-known/security.txt (RFC 9116) from SECURITY_CONTACT."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest

from participation.app import create_app
from participation.settings import Settings

pytestmark = pytest.mark.anyio


async def _get(settings: Settings, path: str) -> httpx.Response:
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
            return await http.get(path)


@pytest.mark.parametrize(
    ("configured", "published"),
    [
        ("security@zoetermeer.example", "mailto:security@zoetermeer.example"),
        ("https://x.example/cvd", "https://x.example/cvd"),
    ],
)
async def test_security_txt_publishes_the_configured_contact(settings, configured, published):
    response = await _get(replace(settings, security_contact=configured), "/.well-known/security.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.text.splitlines())
    assert fields["Contact"] == published
    assert fields["Canonical"] == f"{settings.base_url}/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 300 < (expires - datetime.now(UTC)).days <= 365, "RFC 9116: expires within a year"


async def test_without_a_contact_there_is_no_security_txt(settings):
    assert settings.security_contact is None
    assert (await _get(settings, "/.well-known/security.txt")).status_code == 404


def test_the_contact_is_read_from_the_environment():
    assert Settings.from_env({"SECURITY_CONTACT": "cvd@city.example"}).security_contact == "cvd@city.example"
