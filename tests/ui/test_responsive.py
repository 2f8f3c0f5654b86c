"""Staff tables on a 390 px phone: the table scrolls in its own container, the page does not."""

from __future__ import annotations

import pytest

from participation.accounts.tables import Role
from tests.helpers import make_account, sign_in
from tests.ideas.factories import make_idea
from tests.ui.page import Page

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/moderation", "/moderation/roles", "/moderation/accounts?q=e"])
async def test_staff_tables_sit_in_a_scroll_container(client, settings, path):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    await make_idea(author, status="submitted", title="Een idee dat wacht op moderatie")
    await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin)
    await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator)
    await sign_in(client, "admin@example.org")
    response = await client.get(path)
    assert response.status_code == 200
    page = Page(response.text)
    tables = page.find_all("table")
    assert tables, f"{path} shows no table to check"
    for table in tables:
        container = page.elements[page.elements.index(table) - 1]
        assert container.tag == "div" and container.has_class("utrecht-table-container"), path
    css = (await client.get("/static/moderation.css")).text
    assert ".moderation-table-container" in css and "overflow-x: auto" in css
