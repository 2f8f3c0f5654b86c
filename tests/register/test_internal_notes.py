"""Internal notes: staff write them on the entry page; residents and visitors never see them."""

from __future__ import annotations

import pytest

from participation.register import notes
from participation.register.tables import RegisterNote
from tests.accounts.tools import another_browser
from tests.forms import follow, form_on, open_form, page_problems, text_of
from tests.helpers import csrf_from, sign_in

pytestmark = pytest.mark.anyio

NOTE = "Wethouder wil eerst de kosten zien"


async def test_an_editor_adds_a_note_that_only_staff_see(client, settings, editor, member, new_entry):
    entry = await new_entry()
    await sign_in(client, editor.email)
    form = await open_form(client, f"/register/{entry.slug}", action=f"/register/{entry.slug}/notes")
    form.fill(text=NOTE)
    page = await follow(client, await form.submit(client))
    assert NOTE in text_of(page, ".register-internal")
    assert "Redactie" in text_of(page, ".register-notes")  # the author, for staff

    async with another_browser(client) as resident, another_browser(client) as visitor:
        await sign_in(resident, member.email)
        for browser in (resident, visitor):
            for path in (
                f"/register/{entry.slug}",
                "/register",
                "/register.csv",
                "/register.json",
                f"/api/v1/register/{entry.slug}",
                "/api/v1/register",
            ):
                response = await browser.get(path)
                assert response.status_code == 200, path
                assert NOTE not in response.text, f"{path} shows an internal note"
            assert "register-internal" not in (await browser.get(f"/register/{entry.slug}")).text


async def test_an_empty_note_is_refused_with_a_message(client, editor, new_entry):
    entry = await new_entry()
    await sign_in(client, editor.email)
    form = await open_form(client, f"/register/{entry.slug}", action=f"/register/{entry.slug}/notes")
    response = await form.submit(client)
    assert response.status_code == 422
    assert page_problems(response).fields == {"text": "Vul dit veld in."}
    retry = form_on(response, action=f"/register/{entry.slug}/notes")
    retry.fill(text=NOTE)
    page = await follow(client, await retry.submit(client))
    assert NOTE in text_of(page, ".register-notes")
    assert await RegisterNote.count() == 1


async def test_notes_are_refused_to_non_staff(client, member, new_entry):
    entry = await new_entry()
    with pytest.raises(Exception) as refused:
        await notes.add_note(member, entry.slug, NOTE)
    assert refused.value.status_code == 403
    assert await notes.notes_for(member, entry.id) == []
    assert await notes.notes_for(None, entry.id) == []


async def test_a_member_cannot_post_a_note(client, member, new_entry):
    entry = await new_entry()
    await sign_in(client, member.email)
    page = await client.get(f"/register/{entry.slug}")
    assert f"/register/{entry.slug}/notes" not in page.text
    response = await client.post(
        f"/register/{entry.slug}/notes", data={"text": NOTE, "_csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 403
    assert await RegisterNote.count() == 0
