"""What voting shows on the idea pages, the API and the account page."""

from __future__ import annotations

import re
from datetime import timedelta

from ideas.tables import Idea
from tests.helpers import api_token, make_account, sign_in
from tests.voting.conftest import make_supporters, publish_idea, utcnow
from voting import services


async def test_detail_page_shows_progress_days_left_and_what_happens(client, settings, author, events):
    idea = await publish_idea(
        settings, author, threshold_override=8, published_at=utcnow() - timedelta(days=10, hours=1)
    )
    for account, _ in await make_supporters(settings, 3):
        await services.support_idea(settings, account, idea.id, events=events)
    page = await client.get(f"/ideas/{idea.id}?lang=en")
    assert page.status_code == 200
    assert re.search(r'<progress[^>]*max="8" value="3"', page.text)
    assert "3 supports of the 8 needed" in page.text  # the text alternative of the bar
    assert f"{settings.city.support_window_days - 10} days left" in page.text
    assert f"responds within {settings.city.response_weeks} weeks" in page.text
    assert "Sign in to support this idea" in page.text


async def test_detail_page_in_dutch(client, settings, idea):
    page = await client.get(f"/ideas/{idea.id}")
    assert "steunbetuigingen van de 100 die nodig zijn" in page.text
    assert "Log in om dit idee te steunen" in page.text


async def test_support_button_for_others_and_a_reason_for_the_author(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    await sign_in(client, "fan@example.org")
    page = await client.get(f"/ideas/{idea.id}?lang=en")
    assert f'action="/ideas/{idea.id}/support"' in page.text
    await client.post(
        "/logout", data={"_csrf_token": re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)}
    )
    await sign_in(client, "author@example.org")
    own = await client.get(f"/ideas/{idea.id}?lang=en")
    assert f'action="/ideas/{idea.id}/support"' not in own.text
    assert "You cannot support your own idea." in own.text


async def test_list_cards_show_progress(client, settings, author):
    first = await publish_idea(settings, author, threshold_override=10, title="Eerste idee over slimme verlichting")
    second = await publish_idea(settings, author, threshold_override=20, title="Tweede idee over slimme verlichting")
    await Idea.update({Idea.support_count: 4}).where(Idea.id == first.id)
    page = await client.get("/ideas")
    assert re.search(rf'<progress[^>]*max="10" value="4"[^>]*aria-describedby="support-text-{first.id}"', page.text)
    assert re.search(rf'<progress[^>]*max="20" value="0"[^>]*aria-describedby="support-text-{second.id}"', page.text)


async def test_api_detail_gains_threshold_supported_and_register_entry(client, settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=2)
    [(one, _), (two, _)] = await make_supporters(settings, 2)
    await make_account(settings, email="fan@example.org")
    headers = await api_token(client, "fan@example.org")
    await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    body = (await client.get(f"/api/v1/ideas/{idea.id}", headers=headers)).json()
    assert (body["threshold"], body["supported"], body["support_count"]) == (2, True, 1)
    assert body["support_closes_at"].startswith(idea.support_closes_at.strftime("%Y-%m-%d"))
    assert "register_entry" not in body
    anonymous = (await client.get(f"/api/v1/ideas/{idea.id}")).json()
    assert "supported" not in anonymous
    outcome = await services.support_idea(settings, one, idea.id, events=events)
    routed = (await client.get(f"/api/v1/ideas/{idea.id}")).json()
    assert routed["status"] == "routed"
    assert routed["register_entry"] == outcome.routed_entry_slug


async def test_routed_idea_page_links_to_its_register_entry(client, settings, author, events):
    idea = await publish_idea(settings, author, threshold_override=1)
    [(fan, _)] = await make_supporters(settings, 1)
    outcome = await services.support_idea(settings, fan, idea.id, events=events)
    page = await client.get(f"/ideas/{idea.id}")
    assert f'href="/register/{outcome.routed_entry_slug}"' in page.text
    entry = await client.get(f"/register/{outcome.routed_entry_slug}")
    assert entry.status_code == 200 and f"/ideas/{idea.id}" in entry.text


async def test_a_closed_idea_never_shows_as_open(client, settings, author):
    """Expiry is checked on read: before the periodic task, the page and the API show it closed."""
    idea = await publish_idea(
        settings, author, published_at=utcnow() - timedelta(days=settings.city.support_window_days, minutes=1)
    )
    listed = (await client.get("/api/v1/ideas")).json()["items"]
    assert [(i["id"], i["status"]) for i in listed] == [(idea.id, "expired")]
    other = await publish_idea(
        settings,
        author,
        published_at=utcnow() - timedelta(days=settings.city.support_window_days, minutes=1),
        title="Nog een verlopen idee over de stad",
    )
    page = await client.get(f"/ideas/{other.id}?lang=en")
    assert "The support period has ended" in page.text
    assert "Sign in to support this idea" not in page.text
    assert (await Idea.objects().where(Idea.id == other.id).first()).status == "expired"


async def test_account_page_lists_my_supports(client, settings, idea, events):
    fan = await make_account(settings, email="fan@example.org")
    await services.support_idea(settings, fan, idea.id, events=events)
    await sign_in(client, "fan@example.org")
    page = await client.get("/account?lang=en")
    assert "My supports" in page.text
    assert f'href="/ideas/{idea.id}"' in page.text and idea.title in page.text


async def test_home_page_shows_ideas_close_to_the_threshold_and_register_updates(client, settings, author):
    from participation.register.services import create_routed_entry

    near = await publish_idea(settings, author, title="Bijna genoeg steun voor dit idee")
    await Idea.update({Idea.support_count: 90}).where(Idea.id == near.id)
    await publish_idea(settings, author, title="Nog zonder steun, niet op de voorpagina")
    from participation.database import write_transaction

    async with write_transaction():
        entry = await create_routed_entry(
            title="Doorgestuurd idee over verlichting",
            summary="Samenvatting van het doorgestuurde idee.",
            theme="energy",
            scope="narrow",
            neighbourhood="dorp",
            origin="idea",
            idea_id=near.id,
            personal_data=None,
            personal_data_description=None,
            response_due_at=utcnow() + timedelta(weeks=6),
        )
    page = await client.get("/?lang=en")
    assert "Ideas close to the threshold" in page.text
    assert "Bijna genoeg steun voor dit idee" in page.text
    assert re.search(r'<progress[^>]*max="100" value="90"', page.text)
    assert "Nog zonder steun" not in page.text
    assert f'href="/register/{entry.slug}"' in page.text
    # The platform's own timeline text is shown in the reader's language.
    assert "routed to the register" in page.text
    assert "routed to the register" not in (await client.get("/?lang=nl")).text
