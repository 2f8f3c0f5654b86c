"""A moderator removes someone's image with a reason: logged, the author told, the files gone."""

from __future__ import annotations

import pytest

from participation.media.tables import Image
from participation.moderation.tables import AuthorNotice, ModerationDecision
from tests.accounts.tools import dutch
from tests.forms import follow, open_form, page_problems
from tests.ideas.factories import make_idea
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
async def image(people, browser):
    idea = await make_idea(people["author"], status="submitted", title="Een speeltuin bij het water")
    author = await browser("author@example.org")
    form = await open_form(author, f"/ideas/{idea.id}/images", action=f"/ideas/{idea.id}/images")
    form.attach("file", "kinderen.jpg", samples.jpeg_with_gps(), "image/jpeg").fill(alt_text="Kinderen op een schommel")
    await follow(author, await form.submit(author))
    return await Image.objects().first()


async def test_a_moderator_removes_an_image_with_a_reason(people, browser, image):
    moderator = await browser("mod@example.org")
    idea_page = await moderator.get(f"/ideas/{image.idea}")
    assert f'href="/moderation/images/{image.id}/remove"' in idea_page.text
    form = await open_form(
        moderator, f"/moderation/images/{image.id}/remove", action=f"/moderation/images/{image.id}/remove"
    )
    form.fill(reason="Herkenbare kinderen zonder toestemming van hun ouders.")
    page = await follow(moderator, await form.submit(moderator))
    assert page.url.path == f"/ideas/{image.idea}"

    assert await Image.count() == 0
    assert (await moderator.get(f"/media/images/{image.id}/480")).status_code == 404
    decision = await ModerationDecision.objects().get(ModerationDecision.action == "remove_image")
    assert (decision.actor, decision.target_type, decision.target_id) == (people["moderator"].id, "idea", image.idea)
    assert decision.reason.endswith("Herkenbare kinderen zonder toestemming van hun ouders.")
    notice = await AuthorNotice.objects().get(AuthorNotice.idea == image.idea)
    assert (notice.kind, notice.account) == ("image_removed", people["author"].id)

    author = await browser("author@example.org")
    account_page = await author.get("/account")
    assert dutch("A moderator removed an image from your idea.") in account_page.text
    assert "Herkenbare kinderen zonder toestemming van hun ouders." in account_page.text
    log = await moderator.get("/moderation/log")
    assert dutch("Image removed") in log.text


async def test_a_removal_needs_a_reason(people, browser, image):
    moderator = await browser("mod@example.org")
    form = await open_form(
        moderator, f"/moderation/images/{image.id}/remove", action=f"/moderation/images/{image.id}/remove"
    )
    response = await form.submit(moderator)
    assert response.status_code == 422
    assert page_problems(response).fields == {"reason": dutch("Give the reason: the author reads it.")}
    assert await Image.count() == 1


async def test_only_moderators_remove_images(people, browser, image):
    for who in ("member@example.org", "editor@example.org", "author@example.org"):
        other = await browser(who)
        assert (await other.get(f"/moderation/images/{image.id}/remove")).status_code == 403
    assert "/moderation/images/" not in (await (await browser("author@example.org")).get(f"/ideas/{image.idea}")).text
    assert await Image.count() == 1
