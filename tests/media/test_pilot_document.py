"""A pilot proposal's one PDF: checked by content, served as a download to whoever may see the pilot."""

from __future__ import annotations

import pytest

from ideas.tables import Idea
from participation.media.tables import PilotDocument
from tests.accounts.tools import dutch
from tests.forms import follow, open_form, page_problems
from tests.helpers import make_account
from tests.ideas.factories import make_idea
from tests.media import samples

pytestmark = pytest.mark.anyio


@pytest.fixture
async def pilot(settings, people):
    company = await make_account(
        settings, email="info@lantaarn.example", name="Jan", organisation="Lantaarn BV", kvk="12345678"
    )
    return await make_idea(company, status="submitted", kind="pilot", title="Lantaarnpalen die meten")


async def upload(company, pilot_id: int, content: bytes, name: str = "Pilotplan v2 (definitief).pdf"):
    form = await open_form(company, f"/ideas/{pilot_id}/images", action=f"/ideas/{pilot_id}/document")
    form.attach("document", name, content, "application/pdf")
    return await form.submit(company)


async def test_a_pilot_plan_is_attached_and_downloaded_as_a_pdf(people, browser, pilot):
    company = await browser("info@lantaarn.example")
    plan = samples.pdf(pages=3)
    await follow(company, await upload(company, pilot.id, plan))
    document = await PilotDocument.objects().get(PilotDocument.idea == pilot.id)
    assert (document.pages, document.file_name) == (3, "Pilotplan-v2-definitief")

    page = await company.get(f"/ideas/{pilot.id}")
    assert f'href="/ideas/{pilot.id}/document"' in page.text
    response = await company.get(f"/ideas/{pilot.id}/document")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Pilotplan-v2-definitief.pdf"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == plan


async def test_a_new_document_replaces_the_old_one(people, browser, pilot):
    company = await browser("info@lantaarn.example")
    await follow(company, await upload(company, pilot.id, samples.pdf(pages=1), "eerste.pdf"))
    await follow(company, await upload(company, pilot.id, samples.pdf(pages=2), "tweede.pdf"))
    rows = await PilotDocument.select(PilotDocument.file_name, PilotDocument.pages)
    assert rows == [{"file_name": "tweede", "pages": 2}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.png(), "This file is not a PDF document that can be read."),
        (b"%PDF-1.7\n this is not really a pdf", "This file is not a PDF document that can be read."),
        (b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "The file is larger than 10 MB."),
    ],
    ids=["png-renamed-pdf", "broken-pdf", "11-mb"],
)
async def test_what_is_not_a_readable_pdf_is_refused(people, browser, pilot, content, message):
    company = await browser("info@lantaarn.example")
    response = await upload(company, pilot.id, content)
    assert response.status_code == 422
    assert page_problems(response).fields == {"document": dutch(message)}
    assert await PilotDocument.count() == 0


async def test_the_document_is_visible_like_the_pilot(people, browser, pilot):
    company = await browser("info@lantaarn.example")
    await follow(company, await upload(company, pilot.id, samples.pdf()))
    for who in (None, "member@example.org"):
        assert (await (await browser(who)).get(f"/ideas/{pilot.id}/document")).status_code == 404
    assert (await (await browser("mod@example.org")).get(f"/ideas/{pilot.id}/document")).status_code == 200
    await Idea.update({Idea.status: "published"}).where(Idea.id == pilot.id)
    assert (await (await browser()).get(f"/ideas/{pilot.id}/document")).status_code == 200


async def test_an_idea_that_is_not_a_pilot_takes_no_document(people, browser):
    idea = await make_idea(people["author"], status="submitted")
    author = await browser("author@example.org")
    page = await author.get(f"/ideas/{idea.id}/images")
    assert f'action="/ideas/{idea.id}/document"' not in page.text


async def test_a_body_beyond_the_upload_limit_returns_to_the_document_field(people, browser, pilot):
    company = await browser("info@lantaarn.example")
    response = await upload(company, pilot.id, b"%PDF-1.4\n" + b"0" * (40 * 1024 * 1024))
    assert response.status_code == 303
    page = await follow(company, response)
    assert page.url.path == f"/ideas/{pilot.id}/images"
    assert page_problems(page).fields == {"document": dutch("The file is larger than 10 MB.")}
