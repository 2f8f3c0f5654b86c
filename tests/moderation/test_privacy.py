"""Internal staff notes never reach a public page or the public API."""

from __future__ import annotations

import pytest

from participation.moderation import decisions
from tests.moderation.conftest import browser_as, token_for

pytestmark = pytest.mark.anyio
NOTE = "INTERN-NOTITIE-7f3a: indiener is een bekende klager"


async def test_notes_absent_from_public_pages_and_api(client, settings, people, published, comment):
    await decisions.add_note(people["moderator"], published.id, NOTE)
    pages = [f"/ideas/{published.id}", "/ideas", f"/ideas?q={published.title.split()[0]}", "/account", "/"]
    for who in (None, people["member"].email, people["author"].email):
        browser = await browser_as(client, who)
        for url in pages:
            response = await browser.get(url)
            assert NOTE not in response.text, (who, url)
    for headers in ({}, await token_for(client, people["member"]), await token_for(client, people["author"])):
        for url in (f"/api/v1/ideas/{published.id}", "/api/v1/ideas", f"/api/v1/ideas/{published.id}/comments"):
            response = await client.get(url, headers=headers)
            assert response.status_code == 200 and NOTE not in response.text, url
    # Staff see it.
    moderator = await browser_as(client, people["moderator"].email)
    assert NOTE in (await moderator.get(f"/moderation/ideas/{published.id}")).text
