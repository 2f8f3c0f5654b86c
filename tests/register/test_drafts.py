"""Drafts: an editor creates one through the form, only staff see it (with a badge) until it is
published, and no public surface of the register shows it meanwhile."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from participation.register import drafts, services
from participation.register.tables import RegisterEntry, RegisterFieldChange, RegisterUpdate
from participation.validation import DomainError
from tests.accounts.tools import another_browser
from tests.forms import follow, form_on, open_form, text_of
from tests.helpers import api_token, csrf_from, sign_in
from tests.register.conftest import LESSONS, entry_fields

pytestmark = pytest.mark.anyio

MARK = "Geheimeconcept"  # in the draft's title, summary, lessons and timeline: must appear on no public surface


@pytest.fixture
async def register_with_a_draft(settings, editor, events, new_entry):
    """One published entry with lessons and one draft that would match every list, filter and figure."""
    public = await new_entry(title="Openbare lantaarnpalen", **LESSONS)
    draft = await services.create_entry(
        settings,
        editor,
        entry_fields(
            title=f"{MARK} lantaarnpalen",
            summary=f"{MARK}: nog niet openbaar.",
            personal_data=True,
            **{**LESSONS, "lessons_tried": f"{MARK} geprobeerd."},
        ),
        draft=True,
    )
    await services.post_update(settings, editor, draft.slug, text=f"{MARK} voortgang.", events=events)
    return public, draft


async def public_surfaces(client, draft_slug: str) -> dict[str, str]:
    """Every public read of the register, as the given browser sees it."""
    pages = {
        "/register": None,
        "/register?q=lantaarnpalen": None,
        "/register?personal_data=yes": None,
        "/register?theme=energy&neighbourhood=dorp": None,
        "/register/lessons": None,
        "/register/lessons?theme=energy": None,
        "/register.csv": None,
        "/register.json": None,
        "/api/v1/register": None,
        "/api/v1/register?q=lantaarnpalen": None,
        "/": None,
        "/stats": None,
        "/stats.csv": None,
        "/api/v1/stats": None,
    }
    seen = {}
    for path in pages:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = response.text
    for path in (f"/register/{draft_slug}", f"/api/v1/register/{draft_slug}"):
        response = await client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        seen[path] = response.text
    return seen


async def test_no_public_surface_shows_a_draft(client, settings, member, register_with_a_draft):
    public, draft = register_with_a_draft
    anonymous = client
    async with another_browser(client) as resident:
        await sign_in(resident, member.email)
        for browser in (anonymous, resident):
            for path, body in (await public_surfaces(browser, draft.slug)).items():
                assert MARK not in body, f"{path} shows the draft"
                if draft.slug not in path:  # a 404 page's language links repeat its own address
                    assert draft.slug not in body, f"{path} names the draft"

    # The figures count the published entry only.
    assert (await services.portfolio_summary())["total"] == 1
    assert len((await client.get("/register.json")).json()["entries"]) == 1
    assert list(csv.DictReader(io.StringIO((await client.get("/register.csv")).text)))[0]["slug"] == public.slug
    assert (await client.get("/api/v1/register")).json()["total"] == 1
    stats = (await client.get("/api/v1/stats")).json()["register"]
    assert stats["total"] == 1 and stats["personal_data"]["yes"] == 0
    assert [u["slug"] for u in await services.recent_updates(10)] == [public.slug]
    lessons, total = await services.list_lessons()
    assert total == 1 and [e["slug"] for e in lessons] == [public.slug]


async def test_a_resident_cannot_follow_a_draft(client, member, register_with_a_draft):
    _public, draft = register_with_a_draft
    await sign_in(client, member.email)
    page = await client.get("/register")
    response = await client.post(f"/register/{draft.slug}/follow", data={"_csrf_token": csrf_from(page.text)})
    assert response.status_code == 404


async def test_editing_a_draft_does_not_change_the_open_data_version(settings, editor, events, register_with_a_draft):
    _public, draft = register_with_a_draft
    before = await services.export_version()
    await services.update_entry(settings, editor, draft.slug, {"budget_eur": 5000})
    assert await services.export_version() == before
    await drafts.publish_entry(editor, draft.slug, events=events)
    assert await services.export_version() != before


async def test_editor_creates_a_draft_sees_it_with_a_badge_and_publishes_it(client, editor, member):
    await sign_in(client, editor.email)
    form = await open_form(client, "/register/new", action="/register/new")
    form.fill(title="Slimme bankjes in het park", summary="Bankjes met zonnepaneel.", theme="energy", scope="narrow")
    form.fill(draft=True)
    entry_page = await follow(client, await form.submit(client))
    slug = entry_page.url.path.rsplit("/", 1)[1]
    assert (await RegisterEntry.select(RegisterEntry.draft).where(RegisterEntry.slug == slug).first())["draft"]
    assert "Concept (alleen medewerkers)" in text_of(entry_page, "h1 + p")
    overview = await client.get("/register")
    assert "Slimme bankjes in het park" in overview.text and "register-draft" in overview.text

    async with another_browser(client) as resident:
        await sign_in(resident, member.email)
        assert (await resident.get(f"/register/{slug}")).status_code == 404
        assert "Slimme bankjes" not in (await resident.get("/register")).text

        publish = form_on(entry_page, action=f"/register/{slug}/publish")
        published = await follow(client, await publish.submit(client))
        assert "register-draft" not in text_of(published, "h1 + p")
        assert "Gepubliceerd in het register." in text_of(published, ".register-timeline")

        public_page = await resident.get(f"/register/{slug}")
        assert public_page.status_code == 200 and "Slimme bankjes in het park" in public_page.text
        assert "Gepubliceerd in het register." in text_of(public_page, ".register-timeline")
        assert "Concept" not in text_of(public_page, ".register-timeline")  # the draft flag is internal

    recorded = await RegisterFieldChange.select(RegisterFieldChange.field, RegisterFieldChange.new_value).where(
        RegisterFieldChange.field == "draft"
    )
    assert recorded == [{"field": "draft", "new_value": "false"}]


async def test_an_entry_is_published_once_when_two_editors_publish_at_once(client, settings, editor, new_entry, events):
    draft = await services.create_entry(settings, editor, entry_fields(), draft=True)
    outcomes = await asyncio.gather(
        *(drafts.publish_entry(editor, draft.slug, events=events) for _ in range(5)), return_exceptions=True
    )
    assert sum(1 for o in outcomes if isinstance(o, RegisterEntry)) == 1
    assert all(getattr(o, "status_code", None) == 409 for o in outcomes if not isinstance(o, RegisterEntry))
    published = await RegisterUpdate.count().where(
        (RegisterUpdate.entry == draft.id) & (RegisterUpdate.text == services.PUBLISHED_TEXT)
    )
    assert published == 1


async def test_publishing_needs_an_editor_and_a_draft(client, settings, editor, member, new_entry, events):
    entry = await new_entry()
    with pytest.raises(Exception) as refused:
        await drafts.publish_entry(member, entry.slug, events=events)
    assert refused.value.status_code == 403
    with pytest.raises(Exception) as already:
        await drafts.publish_entry(editor, entry.slug, events=events)
    assert already.value.status_code == 409


async def test_routed_entries_are_never_drafts(settings):
    from datetime import UTC, datetime

    entry = await services.create_routed_entry(
        title="Meer bankjes in het park",
        summary="Een idee van bewoners.",
        theme="energy",
        scope="broad",
        neighbourhood=None,
        origin="idea",
        idea_id=77,
        personal_data=None,
        personal_data_description=None,
        response_due_at=datetime.now(UTC),
    )
    assert (await RegisterEntry.select(RegisterEntry.draft).where(RegisterEntry.id == entry.id).first()) == {
        "draft": False
    }


async def test_api_editor_reads_back_a_patched_draft_while_the_public_api_does_not(client, settings, editor):
    draft = await services.create_entry(settings, editor, entry_fields(), draft=True)
    headers = await api_token(client, editor.email)
    response = await client.patch(f"/api/v1/register/{draft.slug}", headers=headers, json={"budget_eur": 12})
    assert response.status_code == 200 and response.json()["budget_eur"] == 12
    assert (await client.get(f"/api/v1/register/{draft.slug}")).status_code == 404


async def test_an_idea_is_not_linked_into_a_draft(settings, editor, member, events):
    from ideas.tables import Idea
    from tests.ideas.factories import make_idea
    from voting import services as voting

    draft = await services.create_entry(settings, editor, entry_fields(), draft=True)
    idea = await make_idea(member, title="Lantaarnpalen die dimmen in Rokkeveen")
    with pytest.raises(DomainError) as refused:
        await voting.link_idea(settings, editor, draft.slug, str(idea.id), events=events)
    assert refused.value.status_code == 409
    assert (await Idea.select(Idea.status).where(Idea.id == idea.id).first())["status"] == "published"


async def test_api_editor_creates_a_draft_the_public_api_does_not_show(client, editor):
    headers = await api_token(client, editor.email)
    response = await client.post(
        "/api/v1/register",
        headers=headers,
        json={"title": "Slimme bankjes in het park", "summary": "Bankjes.", "theme": "energy", "scope": "narrow"}
        | {"draft": True},
    )
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert (await RegisterEntry.select(RegisterEntry.draft).where(RegisterEntry.slug == slug).first())["draft"]
    assert (await client.get(f"/api/v1/register/{slug}")).status_code == 404
    assert (await client.get("/api/v1/register")).json()["total"] == 0
