"""What pages say: times to the minute, dates the European way in English, no doubled or empty claims."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from participation.i18n import format_date, format_datetime, set_locale
from participation.register import services as register
from participation.register.demo import load_register_demo
from participation.register.tables import RegisterEntry, RegisterUpdate
from tests.helpers import make_account
from tests.ideas.factories import make_comment, make_idea
from tests.register.conftest import editor, entry_fields  # noqa: F401  (fixture)
from tests.ui.page import Page

pytestmark = pytest.mark.anyio
MOMENT = datetime(2026, 11, 29, 13, 3, 5, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "when", "day"),
    [("nl", "29 nov 2026, 14:03", "29 november 2026"), ("en", "29 Nov 2026, 14:03", "29 November 2026")],
)
def test_times_to_the_minute_and_day_before_month(locale, when, day):
    set_locale(locale, "Europe/Amsterdam")
    try:
        assert format_datetime(MOMENT) == when
        assert format_date(MOMENT) == day
    finally:
        set_locale("nl")


async def test_comment_times_show_no_seconds(client, settings):
    author = await make_account(settings, email="author@example.org", name="Auteur")
    idea = await make_idea(author)
    await make_comment(idea, author, body="Een reactie met een tijd erbij.")
    page = Page((await client.get(f"/ideas/{idea.id}?lang=en")).text)
    shown = [t.text for t in page.find_all("time")]
    assert shown and all(not re.search(r"\d:\d\d:\d\d", t) for t in shown), shown
    assert all(not re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", t) for t in shown), "no US month-day order"


async def test_scope_is_said_once_and_no_legal_basis_without_personal_data(client, settings, editor):  # noqa: F811
    entry = await register.create_entry(settings, editor, entry_fields(scope="narrow", personal_data=False))
    page = Page((await client.get(f"/register/{entry.slug}")).text)
    assert "Smal (Smal:" not in page.text
    assert "Smal: slim door data en toepassingen." in page.text
    assert "Verwerkt persoonsgegevens" in page.text
    assert "Grondslag" not in page.text
    with_data = await register.create_entry(
        settings,
        editor,
        entry_fields(title="Camera's bij het station", personal_data=True, legal_basis="Publieke taak"),
    )
    assert "Grondslag" in Page((await client.get(f"/register/{with_data.slug}")).text).text


async def test_demo_timeline_mentions_lessons_only_where_there_are_some(settings):
    await load_register_demo(settings)
    entries = {e["id"]: e for e in await RegisterEntry.select(RegisterEntry.id, RegisterEntry.lessons_tried)}
    updates = await RegisterUpdate.select(RegisterUpdate.entry, RegisterUpdate.text)
    assert not [u for u in updates if "hieronder" in u["text"]], "the lessons are not below the timeline"
    for update in updates:
        if "lessen" in update["text"]:
            assert entries[update["entry"]]["lessons_tried"], update
