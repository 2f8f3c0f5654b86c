"""Images on register entries: editors add them through the page's form; a draft's images are staff-only."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from participation.media.tables import Image
from participation.register import services as register_services
from participation.register.tables import RegisterEntry
from tests.forms import follow, open_form
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
async def entry(settings, people):
    return await register_services.create_entry(
        settings,
        people["editor"],
        {"title": "Slimme lantaarnpalen", "summary": "Licht dat dimt als er niemand is.", "theme": "energy"}
        | {"scope": "narrow", "origin": "city"},
    )


async def test_an_editor_adds_an_image_that_the_entry_page_shows(people, browser, entry):
    editor = await browser("editor@example.org")
    page = await editor.get(f"/register/{entry.slug}")
    assert f'href="/register/{entry.slug}/images"' in page.text
    form = await open_form(editor, f"/register/{entry.slug}/images", action=f"/register/{entry.slug}/images")
    form.attach("file", "lantaarn.jpg", samples.jpeg_with_gps(1200, 900), "image/jpeg")
    form.fill(alt_text="Een lantaarnpaal met een sensor bovenin")
    await follow(editor, await form.submit(editor))

    anonymous = await browser()
    page = await anonymous.get(f"/register/{entry.slug}")
    (img,) = LexborHTMLParser(page.text).css(".media-gallery img")
    assert img.attributes["alt"] == "Een lantaarnpaal met een sensor bovenin"
    assert img.attributes["srcset"].endswith("/960 960w, " + img.attributes["src"] + " 1200w")
    assert (await anonymous.get(img.attributes["src"])).status_code == 200
    assert f'href="/register/{entry.slug}/images"' not in page.text


async def test_only_editors_manage_an_entrys_images(people, browser, entry):
    for who in ("member@example.org", "mod@example.org"):
        other = await browser(who)
        assert (await other.get(f"/register/{entry.slug}/images")).status_code == 403


async def test_a_draft_entrys_image_is_not_found_for_the_public(people, browser, entry):
    editor = await browser("editor@example.org")
    form = await open_form(editor, f"/register/{entry.slug}/images", action=f"/register/{entry.slug}/images")
    form.attach("file", "plan.png", samples.png(), "image/png").fill(alt_text="De plattegrond van de wijk")
    await follow(editor, await form.submit(editor))
    image = await Image.objects().first()
    await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == entry.id)
    url = f"/media/images/{image.id}/480"
    for who in (None, "member@example.org"):
        assert (await (await browser(who)).get(url)).status_code == 404
    for who in ("editor@example.org", "mod@example.org"):
        assert (await (await browser(who)).get(url)).status_code == 200
