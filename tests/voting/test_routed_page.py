"""A routed idea's page tells what happened in the register (issue 11): the entry's status, response date
("overdue" when it is), the latest public update and, once completed, the lessons learned; no support
button and no countdown, on the page, the list cards, the home page and in the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.i18n import machine_datetime
from participation.register import services as register
from participation.register.tables import RegisterEntry
from tests.forms import text_of
from tests.helpers import make_account, sign_in
from tests.register.conftest import with_goal
from tests.voting.conftest import make_supporters, publish_idea, utcnow
from voting import services

LESSONS = {
    "lessons_tried": "Dimmen bij weinig verkeer.",
    "lessons_outcome": "30% minder stroom, doel gehaald.",
    "lessons_decision": "scale_up",
    "lessons_decision_reason": "Werkt en bewoners zijn tevreden.",
    "lessons_advice": "Meet het veiligheidsgevoel vooraf.",
}


@pytest.fixture
async def routed(settings, author, events) -> tuple[Idea, RegisterEntry]:
    """An idea routed by the support that reached its threshold, and the entry it went into."""
    idea = await publish_idea(settings, author, threshold_override=2, title="Slimme bankjes in het Stadshart")
    for account, _ in await make_supporters(settings, 2):
        await services.support_idea(settings, account, idea.id, events=events)
    entry = await RegisterEntry.objects().where(RegisterEntry.idea_id == idea.id).first()
    assert entry is not None
    return idea, entry


@pytest.fixture
async def editor(settings):
    return await make_account(settings, email="editor@example.org", name="Redactie", role=Role.editor)


def banner(page) -> str:
    return text_of(page, ".routed-banner")


async def test_routed_idea_shows_the_entry_status_and_due_date_and_no_support_or_countdown(client, settings, routed):
    idea, entry = routed
    await make_account(settings, email="fan@example.org")
    await sign_in(client, "fan@example.org")
    page = await client.get(f"/ideas/{idea.id}?lang=en")
    shown = banner(page)
    assert "What happened with this idea" in shown
    assert "reached the support threshold" in shown
    assert f'href="/register/{entry.slug}"' in page.text and entry.title in shown
    assert "Status in the register Received" in shown
    assert "The municipality responds by" in shown
    assert f'datetime="{machine_datetime(entry.response_due_at)}"' in page.text
    assert "overdue" not in shown
    # The platform's routing note is the latest update, in the reader's language.
    assert "Latest update" in shown and "routed to the register" in shown
    # No way to support, no countdown; the supports it had stay counted.
    assert f'action="/ideas/{idea.id}/support"' not in page.text
    assert "Support this idea" not in page.text and "not open for support" not in page.text
    assert "days left" not in page.text and "day left" not in page.text
    assert "2 supports of the 2 needed" in page.text


async def test_routed_idea_page_in_dutch(client, routed):
    idea, _ = routed
    shown = banner(await client.get(f"/ideas/{idea.id}?lang=nl"))
    assert "Wat er met dit idee is gebeurd" in shown
    assert "Ontvangen" in shown
    assert "Log in om dit idee te steunen" not in (await client.get(f"/ideas/{idea.id}?lang=nl")).text


async def test_overdue_when_still_received_after_the_due_date(client, routed):
    idea, entry = routed
    await RegisterEntry.update({RegisterEntry.response_due_at: utcnow() - timedelta(days=1)}).where(
        RegisterEntry.id == entry.id
    )
    shown = banner(await client.get(f"/ideas/{idea.id}?lang=en"))
    assert "Response overdue" in shown
    assert "overdue, no response yet" in shown


async def test_latest_update_replaces_the_due_date_once_the_municipality_responded(
    client, settings, routed, editor, events
):
    idea, entry = routed
    await register.post_update(
        settings,
        editor,
        entry.slug,
        text="We onderzoeken drie locaties in het Stadshart.",
        status="under_assessment",
        events=events,
    )
    page = await client.get(f"/ideas/{idea.id}?lang=en")
    shown = banner(page)
    assert "Status in the register Under assessment" in shown
    assert "We onderzoeken drie locaties in het Stadshart." in shown
    assert "routed to the register" not in shown  # only the latest update
    assert "The municipality responds by" not in shown
    assert "Lessons learned" not in shown


async def test_completed_entry_shows_its_lessons_on_the_idea_page(client, settings, routed, editor, events):
    idea, entry = routed
    await register.update_entry(settings, editor, entry.slug, LESSONS)
    await with_goal(editor, entry.slug)  # planning needs a goal with an indicator
    for status in ("under_assessment", "planned", "running", "completed"):
        await register.post_update(settings, editor, entry.slug, text=f"Nu: {status}.", status=status, events=events)
    shown = banner(await client.get(f"/ideas/{idea.id}?lang=en"))
    assert "Status in the register Completed" in shown
    assert "Lessons learned" in shown
    for value in ("Dimmen bij weinig verkeer.", "30% minder stroom, doel gehaald.", "Scale up"):
        assert value in shown
    assert "Meet het veiligheidsgevoel vooraf." in shown
    assert "Nu: completed." in shown


async def test_api_detail_gains_the_entry_status_and_due_date(client, routed):
    idea, entry = routed
    body = (await client.get(f"/api/v1/ideas/{idea.id}")).json()
    assert body["register_entry"] == entry.slug
    assert body["register_entry_status"] == "received"
    assert body["register_entry_response_due_at"][:19] == entry.response_due_at.isoformat()[:19]
    assert body["register_entry_response_overdue"] is False


async def test_list_cards_show_no_countdown_for_a_routed_idea(client, settings, author, routed):
    idea, _ = routed
    open_idea = await publish_idea(settings, author, title="Een open idee met nog dagen te gaan")
    page = await client.get("/ideas?lang=en")
    routed_text = text_of(page, f"#support-text-{idea.id}")
    assert "2 supports of the 2 needed" in routed_text and "left" not in routed_text
    assert "days left" in text_of(page, f"#support-text-{open_idea.id}")


async def test_home_page_lists_no_idea_at_or_over_its_threshold_as_almost_there(client, settings, author):
    near = await publish_idea(settings, author, title="Bijna genoeg steun voor dit idee")
    over = await publish_idea(settings, author, title="Al over de drempel maar nog niet doorgestuurd")
    own = await publish_idea(settings, author, threshold_override=10, title="Eigen drempel al gehaald hier")
    await Idea.update({Idea.support_count: 90}).where(Idea.id == near.id)
    await Idea.update({Idea.support_count: settings.city.support_threshold}).where(Idea.id == over.id)
    await Idea.update({Idea.support_count: 12}).where(Idea.id == own.id)
    section = text_of(await client.get("/?lang=en"), ".close-to-routing")
    assert "Bijna genoeg steun voor dit idee" in section
    assert "Al over de drempel" not in section
    assert "Eigen drempel al gehaald" not in section


async def test_home_page_after_the_city_lowered_its_threshold(settings, author, events):
    """With the threshold lowered to 50, an idea at 60 is over it: not "almost there" (the task routes it)."""
    from voting.page_parts import close_to_routing

    idea = await publish_idea(settings, author, title="Zestig steunbetuigingen al binnen")
    await Idea.update({Idea.support_count: 60}).where(Idea.id == idea.id)
    _, before = await close_to_routing(settings)
    assert [i.id for i, _ in before["ideas"]] == [idea.id]
    lowered = replace(settings, city=replace(settings.city, support_threshold=50))
    _, after = await close_to_routing(lowered)
    assert after["ideas"] == []
