"""Links between entries (follow-on, replaces, part of), shown both ways, and the "scale up" lesson
that offers the follow-on project."""

from __future__ import annotations

import asyncio

import pytest

from participation.register import links, services
from participation.register.tables import RegisterLink
from participation.validation import DomainError, FormErrors
from tests.accounts.tools import another_browser
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.helpers import sign_in
from tests.register.conftest import LESSONS, entry_fields

pytestmark = pytest.mark.anyio


async def stored_links() -> list[tuple[int, int, str]]:
    rows = await RegisterLink.select(RegisterLink.source, RegisterLink.target, RegisterLink.kind)
    return sorted((r["source"], r["target"], r["kind"]) for r in rows)


async def test_an_editor_links_two_entries_and_both_show_it(client, editor, member, new_entry):
    whole = await new_entry(title="Slimme wijk Rokkeveen")
    part = await new_entry(title="Slimme lantaarnpalen Rokkeveen")
    await sign_in(client, editor.email)
    form = await open_form(client, f"/register/{part.slug}/links", action=f"/register/{part.slug}/links")
    form.fill(relation="part_of", other=f"https://example.org/register/{whole.slug}")
    page = await follow(client, await form.submit(client))
    assert "Onderdeel van: Slimme wijk Rokkeveen" in text_of(page, "main")
    assert await stored_links() == [(part.id, whole.id, "part_of")]

    async with another_browser(client) as resident:
        await sign_in(resident, member.email)
        on_part = text_of(await resident.get(f"/register/{part.slug}"), "#links-title + dl")
        on_whole = text_of(await resident.get(f"/register/{whole.slug}"), "#links-title + dl")
        assert "Onderdeel van" in on_part and "Slimme wijk Rokkeveen" in on_part
        assert "Heeft als onderdeel" in on_whole and "Slimme lantaarnpalen Rokkeveen" in on_whole


@pytest.mark.parametrize(
    ("relation", "stored"),
    [
        ("follow_on", "this->other follow_on"),
        ("followed_by", "other->this follow_on"),
        ("replaces", "this->other replaces"),
        ("replaced_by", "other->this replaces"),
        ("has_part", "other->this part_of"),
    ],
)
async def test_every_relation_is_stored_once_in_one_direction(editor, new_entry, relation, stored):
    this, other = await new_entry(title="Dit project in de wijk"), await new_entry(title="Het andere project hier")
    await links.add_link(editor, this.slug, relation, other.slug)
    direction, kind = stored.split()
    ends = (this.id, other.id) if direction == "this->other" else (other.id, this.id)
    assert await stored_links() == [(*ends, kind)]
    [seen_here] = await links.links_for(this.id, editor)
    assert seen_here["relation"] == relation and seen_here["slug"] == other.slug


async def test_refused_links_say_why_on_the_form(client, editor, new_entry):
    one, two = await new_entry(title="Eerste project in de stad"), await new_entry(title="Tweede project in de stad")
    await links.add_link(editor, one.slug, "replaces", two.slug)
    await sign_in(client, editor.email)
    for other, message in (
        (one.slug, "Een registeritem kan niet aan zichzelf gekoppeld worden."),
        (two.slug, "Deze registeritems zijn al aan elkaar gekoppeld."),
        ("bestaat-niet", "Op dit adres staat geen registeritem."),
        ("", "Vul het adres van een ander registeritem in."),
    ):
        form = await open_form(client, f"/register/{one.slug}/links", action=f"/register/{one.slug}/links")
        form.fill(relation="follow_on", other=other)
        response = await form.submit(client)
        assert response.status_code == 422
        assert page_problems(response).fields == {"other": message}
    # The reverse pair is the same link.
    form = await open_form(client, f"/register/{two.slug}/links", action=f"/register/{two.slug}/links")
    form.fill(relation="part_of", other=one.slug)
    assert (await form.submit(client)).status_code == 422
    assert len(await stored_links()) == 1


async def test_the_same_link_added_at_once_is_stored_once(settings, editor, new_entry):
    one, two = await new_entry(title="Eerste project in de stad"), await new_entry(title="Tweede project in de stad")
    outcomes = await asyncio.gather(
        *(links.add_link(editor, one.slug, "follow_on", two.slug) for _ in range(8)), return_exceptions=True
    )
    assert sum(isinstance(o, RegisterLink) for o in outcomes) == 1
    assert all(getattr(o, "errors", None) for o in outcomes if not isinstance(o, RegisterLink))
    assert await stored_links() == [(one.id, two.id, "follow_on")]


async def test_an_editor_removes_a_link(client, editor, new_entry):
    one, two = await new_entry(title="Eerste project in de stad"), await new_entry(title="Tweede project in de stad")
    await links.add_link(editor, one.slug, "follow_on", two.slug)
    await sign_in(client, editor.email)
    page = await client.get(f"/register/{two.slug}/links")  # from the other side, as "followed by"
    [link] = await RegisterLink.select(RegisterLink.id)
    stranger = await new_entry(title="Een project zonder koppeling")
    with pytest.raises(DomainError) as elsewhere:  # a link is removed from one of its own two entries only
        await links.remove_link(editor, stranger.slug, link["id"])
    assert elsewhere.value.status_code == 404
    form = form_on(page, action=f"/register/{two.slug}/links/{link['id']}/delete")
    await follow(client, await form.submit(client))
    assert await stored_links() == []


async def test_links_to_a_draft_are_hidden_from_the_public(client, settings, editor, member, new_entry):
    public = await new_entry(title="Openbaar project in de stad")
    draft = await services.create_entry(settings, editor, entry_fields(title="Geheim vervolgproject"), draft=True)
    await links.add_link(editor, draft.slug, "follow_on", public.slug)
    await sign_in(client, member.email)
    page = await client.get(f"/register/{public.slug}")
    assert "Geheim vervolgproject" not in page.text and 'id="links-title"' not in page.text
    assert [link["slug"] for link in await links.links_for(public.id, editor)] == [draft.slug]


async def test_a_scale_up_lesson_offers_the_prefilled_follow_on_and_links_it(client, settings, editor, new_entry):
    pilot = await new_entry(title="Proef slimme lantaarnpalen", **LESSONS)
    await sign_in(client, editor.email)
    page = await client.get(f"/register/{pilot.slug}")
    offer = text_of(page, ".register-internal .utrecht-alert")
    assert "opschalen" in offer

    form = await open_form(client, f"/register/new?follow_on={pilot.slug}", action="/register/new")
    prefilled = dict(form.data())
    assert prefilled["title"] == "Proef slimme lantaarnpalen: vervolg" and prefilled["follow_on"] == pilot.slug
    assert prefilled["theme"] == "energy" and prefilled["department"] == "openbare-ruimte"
    form.fill(title="Slimme lantaarnpalen in de hele stad")
    created = await follow(client, await form.submit(client))
    new_slug = created.url.path.rsplit("/", 1)[1]
    assert "Vervolg op" in text_of(created, "#links-title + dl")
    new_id = await services.entry_id_for(new_slug)
    assert await stored_links() == [(new_id, pilot.id, "follow_on")]

    again = await client.get(f"/register/{pilot.slug}")
    assert "Gevolgd door" in text_of(again, "#links-title + dl")
    assert "opschalen" not in text_of(again, ".register-internal")  # offered until a follow-on is linked


async def test_a_scale_up_lesson_links_an_existing_entry_as_the_follow_on(client, editor, new_entry):
    pilot = await new_entry(title="Proef slimme lantaarnpalen", **LESSONS)
    existing = await new_entry(title="Lantaarnpalen in de hele stad")
    await sign_in(client, editor.email)
    page = await client.get(f"/register/{pilot.slug}")
    assert f"/register/{pilot.slug}/links?relation=followed_by" in page.text
    form = await open_form(
        client, f"/register/{pilot.slug}/links?relation=followed_by", action=f"/register/{pilot.slug}/links"
    )
    assert dict(form.data())["relation"] == "followed_by"
    form.fill(other=existing.slug)
    await follow(client, await form.submit(client))
    assert await stored_links() == [(existing.id, pilot.id, "follow_on")]


async def test_a_failed_follow_on_link_leaves_no_entry(client, settings, editor, new_entry):
    """The entry and its follow-on link are one transaction: no link, no entry."""
    before = await services.list_entries(services.EntryFilters(), drafts=True)
    with pytest.raises(FormErrors):
        await services.create_entry(
            settings,
            editor,
            entry_fields(title="Vervolg zonder voorganger"),
            then=lambda entry: links.create_follow_on_link(entry.id, "bestaat-niet", editor),
        )
    assert await services.list_entries(services.EntryFilters(), drafts=True) == before
