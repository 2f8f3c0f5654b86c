"""Full-page screenshots of the main pages at desktop and mobile width, for people to look at.

They are test artifacts (test-artifacts/screenshots/, git-ignored), not compared with anything;
the test fails only when a page does not load.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, MODERATOR

WIDTHS = {"desktop": 1280, "mobile": 390}
SHOTS = [
    ("home", None, "/"),
    ("ideas", None, "/ideas"),
    ("idea", None, "/ideas/{commented_idea}"),
    ("register", None, "/register"),
    ("register-entry", None, "/register/{completed_entry}"),
    ("stats", None, "/stats"),
    ("moderation", MODERATOR, "/moderation"),
    ("moderation-idea", MODERATOR, "/moderation/ideas/{submitted_idea}"),
]


@pytest.mark.parametrize("device", WIDTHS)
def test_screenshots(device: str, demo, pages_of) -> None:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, who, path in SHOTS:
        page = pages_of(who)
        page.set_viewport_size({"width": WIDTHS[device], "height": 900})
        try:
            response = page.goto(path.format(**demo) + "?lang=nl")
            assert response is not None and response.status == 200, f"{name}: HTTP {response and response.status}"
            page.screenshot(path=folder / f"{name}-{device}.png", full_page=True)
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})
