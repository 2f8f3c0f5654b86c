"""The map in a real browser: /map, an idea's own map and the place picker pass axe (WCAG 2.0/2.1
A and AA) in Dutch and English; the map works by keyboard (Tab to a marker, Enter opens its
summary and moves focus to its link, Escape returns to the marker); without JavaScript and
without tiles the list carries everything. The tile server is unreachable here on purpose
(every request to it is aborted), as it would be when it is down."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import page_problems
from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, RESIDENT

MARKERS = ".map-overview .map-marker, .map-overview .map-cluster"
MAX_TABS = 300


@pytest.fixture
def page_for(new_context):
    def open_page(javascript: bool = True, width: int = 1280) -> Page:
        # Reduced motion: map.js then draws without fades, so axe sees the colours as they settle.
        context = new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}, reduced_motion="reduce"
        )
        # No tiles: the map must do without them (and the suite never reaches out to the internet).
        context.route("https://service.pdok.nl/**", lambda route: route.abort())
        return context.new_page()

    return open_page


def wait_for_markers(page: Page) -> None:
    expect(page.locator(MARKERS).first).to_be_visible()


def open_a_summary(page: Page) -> None:
    """Click clusters (each zooms in) until a single marker shows; click it."""
    for _ in range(8):
        single = page.locator(".map-overview .map-marker")
        if single.count():
            single.first.click()
            expect(page.locator(".leaflet-popup .map-popup__title")).to_be_visible()
            return
        page.locator(".map-overview .map-cluster").first.click()
    pytest.fail("no single marker after zooming in")


def tab_until(page: Page, selector: str) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector!r}")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_map_page_passes_axe(page_for, server, lang):
    page = page_for()
    page.goto(f"{server.base_url}/map?lang={lang}")
    wait_for_markers(page)
    assert page_problems(page) == []
    # A marker's summary, open, is checked too.
    open_a_summary(page)
    assert page_problems(page) == []
    page.screenshot(path=str(ARTIFACTS / f"map-{lang}.png"), full_page=True)
    page.locator("#map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"map-{lang}-map.png"))


def test_an_idea_with_a_place_and_the_place_picker_pass_axe(page_for, server):
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        (idea_id,) = db.execute(
            "SELECT id FROM idea WHERE status = 'published' AND latitude IS NOT NULL ORDER BY id"
        ).fetchone()
    page = page_for()
    page.goto(f"{server.base_url}/ideas/{idea_id}")
    expect(page.locator(".map-point .leaflet-marker-icon")).to_be_attached()
    assert page_problems(page) == []

    page.goto(f"{server.base_url}/login")
    page.get_by_label("E-mailadres").fill(RESIDENT)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{server.base_url}/ideas/new")
    picker = page.locator(".place-picker")
    expect(picker).to_be_visible()
    assert page_problems(page) == []
    # A click on the map sets the point, fills the fields and suggests the neighbourhood.
    picker.click(position={"x": 200, "y": 150})
    expect(page.locator("#f-latitude")).not_to_have_value("")
    expect(page.locator("#f-neighbourhood")).not_to_have_value("")
    # The marker moves with the arrow keys once it has focus.
    before = page.locator("#f-latitude").input_value()
    page.locator(".place-picker .map-marker--choice").focus()
    page.keyboard.press("ArrowUp")
    assert float(page.locator("#f-latitude").input_value()) > float(before)


def test_the_map_works_by_keyboard(page_for, server):
    page = page_for()
    page.goto(f"{server.base_url}/map")
    wait_for_markers(page)
    # Before the map: a way past it, to the list.
    tab_until(page, ".map-only a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "map-list-title"

    page.goto(f"{server.base_url}/map")
    wait_for_markers(page)
    for _ in range(5):  # a cluster zooms in on Enter; then Tab on to a single marker
        tab_until(page, ".map-overview .map-marker, .map-overview .map-cluster")
        if page.evaluate("document.activeElement.classList.contains('map-marker')"):
            break
        page.keyboard.press("Enter")
        page.locator("#map").focus()
    else:
        pytest.fail("no single marker reached by keyboard")
    name = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup .map-popup__title")
    expect(popup_link).to_be_focused()
    href = popup_link.get_attribute("href")
    assert href.startswith(("/ideas/", "/register/"))
    # Escape closes the summary and focus returns to the marker it came from.
    page.keyboard.press("Escape")
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent") == name
    # The summary's link opens the item.
    page.keyboard.press("Enter")
    expect(popup_link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def test_without_javascript_the_list_is_the_map(page_for, server):
    page = page_for(javascript=False, width=390)
    page.goto(f"{server.base_url}/map")
    assert page.locator("#map").is_hidden()
    # Every item the map would show is a link in the list, and the tile source is stated in text.
    features = page.request.get(f"{server.base_url}/map/features.geojson").json()["features"]
    links = page.locator(".map-list li a")
    assert len(features) > 0 and links.count() >= len(features)
    assert links.first.is_visible()
    assert page.get_by_text("Kaartachtergrond: Kaartgegevens © Kadaster").is_visible()
    page.screenshot(path=str(ARTIFACTS / "map-no-js-390.png"), full_page=True)


def test_the_map_at_phone_width(page_for, server):
    page = page_for(width=390)
    page.goto(f"{server.base_url}/map")
    wait_for_markers(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "map-390.png"), full_page=True)
    page.locator("#map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "map-390-map.png"))
