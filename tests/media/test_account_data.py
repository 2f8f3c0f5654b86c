"""A person's images in their data export and after their account is deleted."""

from __future__ import annotations

import json

import pytest

from participation.accounts.deletion import delete_account
from participation.media.tables import Image
from tests.forms import follow, open_form
from tests.ideas.factories import make_idea
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
async def image(people, browser):
    idea = await make_idea(people["author"], status="submitted")
    author = await browser("author@example.org")
    form = await open_form(author, f"/ideas/{idea.id}/images", action=f"/ideas/{idea.id}/images")
    form.attach("file", "Jansen-familie-tuin.jpg", samples.jpeg_with_gps(), "image/jpeg").fill(alt_text="Onze tuin")
    await follow(author, await form.submit(author))
    return await Image.objects().first()


async def test_the_data_export_lists_the_persons_images(people, browser, image):
    from participation.accounts.data_export import export_account

    export = await export_account(people["author"], "Zoetermeer")
    (row,) = export["tables"]["media_image"]
    assert (row["alt_text"], row["file_name"], row["idea"]) == ("Onze tuin", "Jansen-familie-tuin", image.idea)
    other = await export_account(people["member"], "Zoetermeer")
    assert "media_image" not in other["tables"]
    assert json.dumps(export, default=str)


async def test_a_deleted_accounts_images_stay_with_the_idea_without_their_file_name(people, events, browser, image):
    await delete_account(people["author"].id, events=events)
    row = await Image.objects().get(Image.id == image.id)
    assert row.file_name == "image" and row.alt_text == "Onze tuin"
    moderator = await browser("mod@example.org")
    response = await moderator.get(f"/media/images/{image.id}/480")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'inline; filename="image-480.jpg"'
