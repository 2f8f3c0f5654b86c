"""Uploads count with the submissions: each costs a decode and three encodings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from participation.media.tables import Image
from participation.settings import RateLimits
from tests.forms import open_form
from tests.ideas.factories import make_idea
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings):
    """Overrides the shared fixture, so the app is built with this limit per account."""
    return replace(settings, account_rate_limits=RateLimits(submission=2))


async def test_a_third_upload_within_a_minute_is_refused(people, browser):
    idea = await make_idea(people["author"], status="submitted")
    author = await browser("author@example.org")
    statuses = []
    for n in range(3):
        form = await open_form(author, f"/ideas/{idea.id}/images", action=f"/ideas/{idea.id}/images")
        form.attach("file", f"foto{n}.png", samples.png(), "image/png").fill(alt_text=f"Foto {n}")
        statuses.append((await form.submit(author)).status_code)
    assert statuses == [303, 303, 429]
    assert await Image.count() == 2
