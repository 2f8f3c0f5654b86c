"""The municipal look: the city's logo or name, its favicon and token theme, and layouts that fit a phone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from participation.city import CityConfigError, load_city_config
from participation.settings import DEFAULT_CITY_CONFIG, ROOT
from tests.helpers import make_account, post_form, sign_in
from tests.ui.page import Page

pytestmark = pytest.mark.anyio
ZOETERMEER = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")


def city_file(tmp_path, **lines: str):
    extra = "".join(f'{key} = "{value}"\n' for key, value in lines.items())
    path = tmp_path / "city.toml"
    path.write_text(ZOETERMEER.replace("[city]\n", "[city]\n" + extra, 1), encoding="utf-8")
    return path


async def test_favicon_is_served(client):
    response = await client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.content[:4] == b"\x00\x00\x01\x00", "an ICO file"
    page = Page((await client.get("/")).text)
    assert [e.attrs["href"] for e in page.find_all("link", rel="icon")] == ["/favicon.ico", "/static/favicon.svg"]


def test_logo_and_favicon_come_from_the_city_configuration(tmp_path):
    city = load_city_config(city_file(tmp_path, logo="static/favicon.svg", favicon="favicon.svg"))
    assert (city.logo, city.favicon) == ("favicon.svg", "favicon.svg")
    with pytest.raises(CityConfigError, match="city.logo"):
        load_city_config(city_file(tmp_path, logo="static/no-such-logo.svg"))
    with pytest.raises(CityConfigError, match="city.favicon"):
        load_city_config(city_file(tmp_path, favicon="../pyproject.toml"))


async def test_header_shows_the_city_name_without_a_logo(client, settings):
    page = Page((await client.get("/")).text)
    brand = page.one("a", class_="site-header__brand")
    assert "Zoetermeer" in brand.text
    assert not [e for e in page.find_all("img") if "site-header" in " ".join(e.ancestors)]


@pytest.fixture
def settings(settings, request):
    if "with_logo" in request.node.name:
        return replace(settings, city=replace(settings.city, logo="favicon.svg", favicon="favicon.svg"))
    return settings


async def test_header_shows_the_logo_when_configured_with_logo(client):
    page = Page((await client.get("/?lang=en")).text)
    logo = page.one("img", src="/static/favicon.svg")
    assert logo.attrs["alt"] == "Municipality of Zoetermeer"
    response = await client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")


async def test_the_shipped_city_uses_a_documented_token_theme(client):
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert city.theme_css and (ROOT / "static" / city.theme_css).is_file()
    page = Page((await client.get("/")).text)
    for theme_class in city.theme_class.split():
        assert page.one("html").has_class(theme_class)
    hrefs = [e.attrs["href"].split("?")[0] for e in page.find_all("link", rel="stylesheet")]
    # The city's tokens come after the example theme and the platform's tokens, so they win.
    assert hrefs.index(f"/static/{city.theme_css}") > hrefs.index("/static/tokens.css")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "theme_css" in readme and city.theme_css in readme


async def test_the_current_section_is_marked_in_the_menu(client):
    page = Page((await client.get("/ideas")).text)
    assert page.one("a", aria_current="page").attrs["href"] == "/ideas"


async def test_idea_filters_fold_away_but_the_search_field_stays(client):
    page = Page((await client.get("/ideas")).text)
    details = page.one("details", class_="idea-filters__more")
    assert "open" not in details.attrs, "closed: seven dropdowns filled a phone's first screen"
    assert "details" not in page.by_id("f-q").ancestors, "search stays in view"
    assert "details" in page.by_id("f-theme").ancestors
    filtered = Page((await client.get("/ideas?theme=mobility")).text)
    assert "open" in filtered.one("details", class_="idea-filters__more").attrs, "open when something is chosen"


async def test_error_summary_puts_its_heading_above_its_list(client, settings):
    await make_account(settings, email="writer@example.org")
    await sign_in(client, "writer@example.org")
    response = await post_form(client, "/account/password", {"current_password": "", "password": ""})
    page = Page(response.text)
    heading = page.by_id("error-summary-title")
    # The alert is a flex row; heading and list share one content column inside it.
    assert heading.ancestors[-1] == "div" and "ul" not in heading.ancestors
    content = page.elements[page.elements.index(heading) - 1]
    assert content.has_class("utrecht-alert__content")
    css = (await client.get("/static/site.css")).text
    assert ".error-summary .utrecht-alert__content { display: flex; flex-direction: column;" in css
