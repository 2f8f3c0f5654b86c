"""Images on ideas and pilots, as their author adds them through the page's form and others see them."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image as Picture
from selectolax.lexbor import LexborHTMLParser

from ideas.tables import Idea
from participation.media.tables import Image
from tests.accounts.tools import dutch
from tests.forms import follow, open_form, page_problems
from tests.ideas.factories import make_idea
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
async def submitted(people) -> Idea:
    return await make_idea(people["author"], status="submitted", title="Bankjes met een plantenbak")


async def upload(author, idea_id: int, content: bytes, file_name: str = "IMG_2041.jpg", alt: str = "Een bankje"):
    form = await open_form(author, f"/ideas/{idea_id}/images", action=f"/ideas/{idea_id}/images")
    form.attach("file", file_name, content, "image/jpeg")
    form.fill(alt_text=alt)
    return await form.submit(author)


def gallery(page) -> list[dict[str, str]]:
    return [dict(img.attributes) for img in LexborHTMLParser(page.text).css(".media-gallery img")]


async def test_a_photo_comes_back_without_its_exif_location_at_every_width(people, browser, submitted):
    author = await browser("author@example.org")
    original = samples.jpeg_with_gps()
    assert Picture.open(io.BytesIO(original)).getexif().get_ifd(samples.GPS_IFD)  # the sample does hold a location
    page = await follow(author, await upload(author, submitted.id, original, file_name="Mijn tuin, Zoetermeer!.JPG"))
    assert page.url.path == f"/ideas/{submitted.id}/images"

    idea_page = await author.get(f"/ideas/{submitted.id}")
    (img,) = gallery(idea_page)
    assert img["alt"] == "Een bankje"
    assert img["srcset"] == ", ".join(f"{img['src'].rsplit('/', 1)[0]}/{w} {w}w" for w in (480, 960, 1600))
    assert img["sizes"] and img["width"] == "1600" and img["height"] == "960"
    for candidate in img["srcset"].split(", "):
        url, width = candidate.split(" ")
        response = await author.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"] == f'inline; filename="Mijn-tuin-Zoetermeer-{width[:-1]}.jpg"'
        served = Picture.open(io.BytesIO(response.content))
        assert served.format == "JPEG" and served.width == int(width[:-1])
        assert dict(served.getexif()) == {} and "exif" not in served.info
        assert b"PhoneMaker" not in response.content and b"Exif" not in response.content


async def test_png_and_webp_are_accepted_and_keep_their_format(people, browser, submitted):
    author = await browser("author@example.org")
    await follow(author, await upload(author, submitted.id, samples.png(alpha=True), "plan.png", "Een plattegrond"))
    await follow(author, await upload(author, submitted.id, samples.webp(), "foto.webp", "Het plein"))
    rows = await Image.select(Image.media_type, Image.widths).where(Image.idea == submitted.id).order_by(Image.id)
    assert rows == [{"media_type": "image/png", "widths": "480,800"}, {"media_type": "image/webp", "widths": "480,640"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.PHP_AS_JPEG, "This file is not a JPEG, PNG or WebP image."),
        (samples.decompression_bomb(), "This image has too many pixels (at most 40 megapixels)."),
        (samples.twenty_megabytes(), "The file is larger than 10 MB. Choose a smaller photo."),
        (b"", "Choose a file."),
    ],
    ids=["php-renamed-jpg", "decompression-bomb", "20-mb", "no-file"],
)
async def test_what_is_not_a_usable_image_is_refused_with_a_clear_error(people, browser, submitted, content, message):
    author = await browser("author@example.org")
    response = await upload(author, submitted.id, content, file_name="foto.jpg")
    assert response.status_code == 422
    assert page_problems(response).fields == {"file": dutch(message)}
    assert await Image.count() == 0
    assert not list((author._transport.app.state["parts"].media_storage.root).rglob("*.*"))  # type: ignore[attr-defined]


async def test_an_image_needs_a_description(people, browser, submitted):
    author = await browser("author@example.org")
    response = await upload(author, submitted.id, samples.png(), alt="   ")
    assert response.status_code == 422
    assert page_problems(response).fields == {
        "alt_text": dutch("Describe what the image shows, for people who cannot see it.")
    }
    assert await Image.count() == 0


async def test_an_image_of_a_submitted_idea_exists_only_for_its_author_and_moderators(people, browser, submitted):
    author = await browser("author@example.org")
    await follow(author, await upload(author, submitted.id, samples.jpeg_with_gps()))
    (img,) = gallery(await author.get(f"/ideas/{submitted.id}"))
    mine = await author.get(img["src"])
    assert mine.status_code == 200 and "no-store" in mine.headers["cache-control"]

    for who in (None, "member@example.org", "editor@example.org"):
        other = await browser(who)
        assert (await other.get(img["src"])).status_code == 404
        assert (await other.get(f"/ideas/{submitted.id}")).status_code == 404
    moderator = await browser("mod@example.org")
    assert (await moderator.get(img["src"])).status_code == 200

    await Idea.update({Idea.status: "published"}).where(Idea.id == submitted.id)
    anonymous = await browser()
    public = await anonymous.get(img["src"])
    assert public.status_code == 200 and public.headers["cache-control"] == "public, max-age=86400"


async def test_only_the_author_manages_images_and_only_while_the_idea_may_be_edited(people, browser, submitted):
    member = await browser("member@example.org")
    assert (await member.get(f"/ideas/{submitted.id}/images")).status_code == 404  # not visible to them at all
    published = await make_idea(people["author"], status="published")
    author = await browser("author@example.org")
    assert (await author.get(f"/ideas/{published.id}/images")).status_code == 403
    assert (await member.get(f"/ideas/{published.id}/images")).status_code == 403
    assert "/images" not in (await author.get(f"/ideas/{published.id}")).text


async def test_the_author_removes_an_image_and_its_files_go(people, browser, submitted):
    author = await browser("author@example.org")
    await follow(author, await upload(author, submitted.id, samples.jpeg_with_gps()))
    (img,) = gallery(await author.get(f"/ideas/{submitted.id}"))
    image = await Image.objects().first()
    form = await open_form(
        author, f"/ideas/{submitted.id}/images", action=f"/ideas/{submitted.id}/images/{image.id}/delete"
    )
    await follow(author, await form.submit(author))
    assert await Image.count() == 0
    assert (await author.get(img["src"])).status_code == 404


async def test_an_idea_has_at_most_five_images_even_when_uploads_race(people, browser, submitted):
    author = await browser("author@example.org")
    forms = []
    for n in range(7):
        form = await open_form(author, f"/ideas/{submitted.id}/images", action=f"/ideas/{submitted.id}/images")
        forms.append(form.attach("file", f"foto{n}.png", samples.png(520, 400), "image/png").fill(alt_text=f"Foto {n}"))
    responses = await asyncio.gather(*(form.submit(author) for form in forms))
    assert sorted(r.status_code for r in responses) == [303] * 5 + [422] * 2
    refused = [r for r in responses if r.status_code == 422]
    too_many = dutch("An item has at most %(max)s images. Remove one first.", max=5)
    assert all(page_problems(r).summary == [too_many] for r in refused)
    assert await Image.count().where(Image.idea == submitted.id) == 5
    page = await author.get(f"/ideas/{submitted.id}/images")
    assert f'action="/ideas/{submitted.id}/images"' not in page.text  # the upload form is gone at five


async def test_a_body_beyond_the_upload_limit_returns_to_the_page_with_the_reason(people, browser, submitted):
    author = await browser("author@example.org")
    response = await upload(author, submitted.id, b"\xff\xd8" + b"\0" * (40 * 1024 * 1024))
    assert response.status_code == 303
    page = await follow(author, response)
    assert page.url.path == f"/ideas/{submitted.id}/images"
    assert page_problems(page).fields == {"file": dutch("The file is larger than 10 MB. Choose a smaller photo.")}
    assert await Image.count() == 0


async def test_the_api_lists_a_visible_ideas_images(people, browser, submitted, settings):
    author = await browser("author@example.org")
    await follow(author, await upload(author, submitted.id, samples.jpeg_with_gps(), alt="Een bankje bij de vijver"))
    await Idea.update({Idea.status: "published"}).where(Idea.id == submitted.id)
    anonymous = await browser()
    detail = (await anonymous.get(f"/api/v1/ideas/{submitted.id}")).json()
    (image,) = detail["images"]
    assert image["alt"] == "Een bankje bij de vijver" and (image["width"], image["height"]) == (1600, 960)
    assert image["url"].startswith(f"{settings.base_url}/media/images/") and image["url"].endswith("/1600")
    assert image["srcset"].count(settings.base_url) == 3
    assert "document_url" not in detail


async def test_an_upload_without_the_forms_csrf_token_is_refused(people, browser, submitted):
    author = await browser("author@example.org")
    files = {"file": ("foto.jpg", samples.jpeg_with_gps(), "image/jpeg")}
    response = await author.post(f"/ideas/{submitted.id}/images", data={"alt_text": "Een bankje"}, files=files)
    assert response.status_code == 403
    assert await Image.count() == 0


async def test_a_browser_with_a_current_copy_gets_304(people, browser, submitted):
    author = await browser("author@example.org")
    await follow(author, await upload(author, submitted.id, samples.png()))
    await Idea.update({Idea.status: "published"}).where(Idea.id == submitted.id)
    image = await Image.objects().first()
    anonymous = await browser()
    first = await anonymous.get(f"/media/images/{image.id}/480")
    assert first.status_code == 200 and first.headers["etag"]
    again = await anonymous.get(f"/media/images/{image.id}/480", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other_width = await anonymous.get(f"/media/images/{image.id}/800", headers={"If-None-Match": first.headers["etag"]})
    assert other_width.status_code == 200
    # Permission first: who may not see the image learns nothing from its tag.
    await Idea.update({Idea.status: "hidden"}).where(Idea.id == submitted.id)
    gone = await anonymous.get(f"/media/images/{image.id}/480", headers={"If-None-Match": first.headers["etag"]})
    assert gone.status_code == 404
