"""Each decision on an idea: its effect on the idea, what the author sees, and exactly one decision row."""

from __future__ import annotations

from datetime import UTC

import pytest

from ideas.tables import Idea
from participation.moderation import decisions, queue
from participation.moderation.tables import AuthorNotice, ModerationDecision, StaffNote, Triage
from participation.register.tables import RegisterEntry
from participation.validation import DomainError, FormErrors
from tests.accounts.tools import page_text
from tests.ideas.factories import make_idea
from tests.moderation.conftest import browser_as, post, token_for
from tests.voting.conftest import make_supporters
from voting import services as voting
from voting.tables import Support

pytestmark = pytest.mark.anyio


async def _decisions() -> list[dict]:
    return await ModerationDecision.select().order_by(ModerationDecision.id)


async def _reload(idea: Idea) -> Idea:
    return await Idea.objects().get(Idea.id == idea.id)


async def test_publish_opens_the_support_window_and_logs_once(client, settings, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    response = await post(moderator, f"/moderation/ideas/{submitted.id}/publish")
    assert response.status_code == 302
    idea = await _reload(submitted)
    assert idea.status == "published" and idea.published_at is not None
    assert (idea.support_closes_at - idea.published_at).days == settings.city.support_window_days
    rows = await _decisions()
    assert [(r["action"], r["target_type"], r["target_id"], r["actor"]) for r in rows] == [
        ("publish", "idea", submitted.id, people["moderator"].id)
    ]
    # Everyone now sees it.
    anonymous = await browser_as(client, None)
    assert (await anonymous.get(f"/ideas/{submitted.id}")).status_code == 200


async def test_request_changes_shows_the_message_to_the_author_only(client, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    await post(moderator, f"/moderation/ideas/{submitted.id}/request-changes", {"message": "Noem een concrete plek."})
    assert (await _reload(submitted)).status == "needs_changes"
    author = await browser_as(client, people["author"].email)
    assert "Noem een concrete plek." in page_text(await author.get(f"/ideas/{submitted.id}"))
    member = await browser_as(client, people["member"].email)
    assert (await member.get(f"/ideas/{submitted.id}")).status_code == 404
    assert [r["action"] for r in await _decisions()] == ["request_changes"]


async def test_request_changes_needs_a_message(client, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    response = await post(moderator, f"/moderation/ideas/{submitted.id}/request-changes", {"message": " "})
    assert response.status_code == 422
    assert (await _reload(submitted)).status == "submitted"
    assert await _decisions() == []


async def test_reject_with_category_and_text_the_author_sees(client, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    await post(
        moderator,
        f"/moderation/ideas/{submitted.id}/reject",
        {"category": "not_municipal", "message": "Dit is een zaak voor de provincie."},
    )
    idea = await _reload(submitted)
    assert idea.status == "rejected" and idea.rejection_reason == "Dit is een zaak voor de provincie."
    author = await browser_as(client, people["author"].email)
    page = page_text(await author.get(f"/ideas/{submitted.id}?lang=en"))
    assert "Dit is een zaak voor de provincie." in page and "Not a municipal matter" in page
    rows = await _decisions()
    assert [(r["action"], r["category"]) for r in rows] == [("reject", "not_municipal")]


@pytest.mark.parametrize(
    "form",
    [
        {"category": "", "message": "Een uitleg."},
        {"category": "off_topic", "message": ""},
        {"category": "made-up", "message": "Een uitleg."},
    ],
)
async def test_reject_without_a_reason_is_refused(client, people, submitted, form):
    moderator = await browser_as(client, people["moderator"].email)
    response = await post(moderator, f"/moderation/ideas/{submitted.id}/reject", form)
    assert response.status_code == 422
    assert (await _reload(submitted)).status == "submitted"
    assert await _decisions() == []


async def test_reject_without_a_reason_is_refused_by_the_api(client, people, submitted):
    headers = await token_for(client, people["moderator"])
    response = await client.post(
        f"/api/v1/moderation/ideas/{submitted.id}/decision", json={"action": "reject"}, headers=headers
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"category", "message"}
    assert (await _reload(submitted)).status == "submitted"


async def test_duplicate_moves_supports_once(client, settings, people, events):
    source = await make_idea(people["author"], status="published", title="Laadpalen in de wijk Dorp")
    target = await make_idea(people["member"], status="published", title="Meer laadpalen in Dorp")
    supporters = await make_supporters(settings, 3)
    a, b, c = (s[0] for s in supporters)
    for account in (a, b):
        await voting.support_idea(settings, account, source.id, events=events)
    for account in (b, c):
        await voting.support_idea(settings, account, target.id, events=events)
    # The original's author supported the duplicate: that support does not move.
    await voting.support_idea(settings, people["member"], source.id, events=events)
    moderator = await browser_as(client, people["moderator"].email)
    search = await moderator.get(f"/moderation/ideas/{source.id}?q=laadpalen")
    assert f'value="{target.id}"' in search.text
    await post(moderator, f"/moderation/ideas/{source.id}/duplicate", {"duplicate_of": str(target.id)})
    source, target = await _reload(source), await _reload(target)
    assert source.status == "merged" and source.merged_into == target.id and source.support_count == 0
    assert target.support_count == 3  # a, b (once), c
    assert await Support.count().where(Support.idea == target.id) == 3
    assert [(r["action"], r["reason"]) for r in await _decisions()] == [("duplicate", f"#{target.id}")]


async def test_duplicate_needs_an_original(settings, people, submitted, events):
    with pytest.raises(FormErrors):
        await decisions.mark_duplicate(settings, people["moderator"], submitted.id, None, events=events)
    with pytest.raises(DomainError):
        await decisions.mark_duplicate(settings, people["moderator"], submitted.id, submitted.id, events=events)
    assert await _decisions() == []


async def test_route_by_hand(client, people, published):
    headers = await token_for(client, people["moderator"])
    response = await client.post(
        f"/api/v1/moderation/ideas/{published.id}/decision",
        json={"action": "route", "reason": "Past in het programma Mobiliteit."},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "routed"
    assert await RegisterEntry.count() == 1
    assert [r["action"] for r in await _decisions()] == ["route"]


async def test_a_failed_decision_writes_no_row(client, people, published):
    headers = await token_for(client, people["moderator"])
    response = await client.post(
        f"/api/v1/moderation/ideas/{published.id}/decision", json={"action": "publish"}, headers=headers
    )
    assert response.status_code == 409
    assert await _decisions() == []


async def test_assign_and_filter_the_queue(client, settings, people, submitted):
    other = await make_idea(people["author"], status="submitted", title="Een tweede ingediend idee")
    await decisions.assign(people["moderator"], submitted.id, people["moderator"].id)
    mine = await queue.queue(settings, people["moderator"], queue.QueueFilters(assigned="me"))
    unassigned = await queue.queue(settings, people["moderator"], queue.QueueFilters(assigned="none"))
    assert [i.idea.id for i in mine.items] == [submitted.id]
    assert [i.idea.id for i in unassigned.items] == [other.id]
    with pytest.raises(FormErrors):
        await decisions.assign(people["moderator"], submitted.id, people["editor"].id)  # not a moderator
    await decisions.assign(people["moderator"], submitted.id, None)
    assert (await Triage.select(Triage.assigned_to).first())["assigned_to"] is None
    assert [r["action"] for r in await _decisions()] == ["assign", "assign"]


async def test_queue_oldest_first_with_filters_count_and_age(client, settings, people):
    from datetime import datetime, timedelta

    now = datetime.now(UTC)
    old = await make_idea(
        people["author"], status="submitted", created_at=now - timedelta(days=3), theme="energy", kind="pilot"
    )
    new = await make_idea(people["author"], status="submitted", created_at=now - timedelta(hours=1), theme="mobility")
    await make_idea(people["author"], status="published")
    result = await queue.queue(settings, people["moderator"], queue.QueueFilters())
    assert [i.idea.id for i in result.items] == [old.id, new.id]
    assert result.waiting == 2 and result.oldest_age.days == 3
    assert [
        i.idea.id
        for i in (await queue.queue(settings, people["moderator"], queue.QueueFilters(theme="mobility"))).items
    ] == [new.id]
    assert [
        i.idea.id for i in (await queue.queue(settings, people["moderator"], queue.QueueFilters(kind="pilot"))).items
    ] == [old.id]
    moderator = await browser_as(client, people["moderator"].email)
    page = page_text(await moderator.get("/moderation?lang=en"))
    assert "3 days" in page and page.index(old.title) < page.index(new.title)
    api = (
        await client.get("/api/v1/moderation/queue?theme=energy", headers=await token_for(client, people["moderator"]))
    ).json()
    assert api["waiting"] == 2 and [i["id"] for i in api["items"]] == [old.id]


async def test_reclassify_tells_the_author(client, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    response = await post(
        moderator,
        f"/moderation/ideas/{submitted.id}/classification",
        {"theme": "energy", "neighbourhood": "dorp", "scope": "broad", "message": "Past beter bij energie."},
    )
    assert response.status_code == 302
    idea = await _reload(submitted)
    assert (idea.theme, idea.neighbourhood, idea.scope) == ("energy", "dorp", "broad")
    assert await AuthorNotice.count() == 1
    author = await browser_as(client, people["author"].email)
    for url in (f"/ideas/{submitted.id}?lang=en", "/account?lang=en"):
        page = page_text(await author.get(url))
        assert "A moderator changed the classification of your idea" in page and "Past beter bij energie." in page
    member = await browser_as(client, people["member"].email)
    await post(moderator, f"/moderation/ideas/{submitted.id}/publish")
    assert "Past beter bij energie." not in page_text(await member.get(f"/ideas/{submitted.id}"))
    assert [r["action"] for r in await _decisions()] == ["reclassify", "publish"]


async def test_reclassify_without_change_is_refused(settings, people, submitted):
    with pytest.raises(FormErrors):
        await decisions.reclassify(
            settings, people["moderator"], submitted.id, submitted.theme, submitted.neighbourhood, submitted.scope
        )
    with pytest.raises(FormErrors):
        await decisions.reclassify(settings, people["moderator"], submitted.id, "no-such-theme", "dorp", "narrow")
    assert await _decisions() == [] and await AuthorNotice.count() == 0


async def test_hide_and_restore_a_published_idea(client, people, published):
    headers = await token_for(client, people["moderator"])
    url = f"/api/v1/moderation/ideas/{published.id}/decision"
    assert (
        await client.post(url, json={"action": "hide", "reason": "personal_data"}, headers=headers)
    ).status_code == 200
    assert (await _reload(published)).status == "hidden"
    anonymous = await browser_as(client, None)
    page = page_text(await anonymous.get(f"/ideas/{published.id}?lang=en"))
    assert "Hidden by a moderator: personal data" in page and published.title not in page
    api = await client.get(f"/api/v1/ideas/{published.id}?lang=en")
    assert api.status_code == 410 and "personal data" in api.json()["detail"]
    author = await browser_as(client, people["author"].email)
    assert published.title in page_text(await author.get(f"/ideas/{published.id}"))
    assert (await client.post(url, json={"action": "restore"}, headers=headers)).status_code == 200
    assert (await _reload(published)).status == "published"
    assert published.title in page_text(await anonymous.get(f"/ideas/{published.id}"))
    assert [(r["action"], r["category"]) for r in await _decisions()] == [("hide", "personal_data"), ("restore", None)]


async def test_hide_needs_a_category(client, people, published):
    headers = await token_for(client, people["moderator"])
    response = await client.post(
        f"/api/v1/moderation/ideas/{published.id}/decision", json={"action": "hide"}, headers=headers
    )
    assert response.status_code == 422
    assert (await _reload(published)).status == "published"


async def test_unknown_api_action(client, people, submitted):
    headers = await token_for(client, people["moderator"])
    response = await client.post(
        f"/api/v1/moderation/ideas/{submitted.id}/decision", json={"action": "delete"}, headers=headers
    )
    assert response.status_code == 422
    assert await _decisions() == []


async def test_staff_notes_need_text_and_log_without_copying_it(client, people, submitted):
    moderator = await browser_as(client, people["moderator"].email)
    assert (await post(moderator, f"/moderation/ideas/{submitted.id}/notes", {"note": ""})).status_code == 422
    await post(moderator, f"/moderation/ideas/{submitted.id}/notes", {"note": "Bel de indiener even."})
    assert await StaffNote.count() == 1
    assert "Bel de indiener even." in page_text(await moderator.get(f"/moderation/ideas/{submitted.id}"))
    rows = await _decisions()
    assert [(r["action"], r["reason"]) for r in rows] == [("note", None)]


async def test_hide_and_restore_a_comment(client, people, published, comment):
    moderator = await browser_as(client, people["moderator"].email)
    await post(moderator, f"/moderation/comments/{comment.id}/hide", {"category": "offensive"})
    anonymous = await browser_as(client, None)
    page = page_text(await anonymous.get(f"/ideas/{published.id}?lang=en"))
    assert "Hidden by a moderator: offensive" in page and comment.body not in page
    comments = (await client.get(f"/api/v1/ideas/{published.id}/comments")).json()
    assert comments[0]["body"] is None and comments[0]["hidden_reason"] == "offensive"
    assert (await _reload(published)).comment_count == 0
    await post(moderator, f"/moderation/comments/{comment.id}/restore")
    assert comment.body in page_text(await anonymous.get(f"/ideas/{published.id}"))
    assert (await _reload(published)).comment_count == 1
    assert [r["action"] for r in await _decisions()] == ["hide", "restore"]
