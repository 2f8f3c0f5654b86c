"""Reports: who may report, one open report per account and item, the hiding threshold, uphold and dismiss."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ideas.tables import Comment, Idea
from participation.moderation import reports
from participation.moderation.tables import ModerationDecision, Report
from participation.validation import DomainError, FormErrors
from tests.accounts.tools import page_text
from tests.moderation.conftest import browser_as, post, token_for
from tests.voting.conftest import make_supporters

pytestmark = pytest.mark.anyio


async def _status(idea: Idea) -> str:
    return (await Idea.select(Idea.status).where(Idea.id == idea.id).first())["status"]


async def test_hidden_at_exactly_the_threshold_and_not_before(settings, published, events):
    threshold = settings.city.report_threshold
    assert threshold == 3
    reporters = await make_supporters(settings, threshold)
    for n, (account, _) in enumerate(reporters, start=1):
        outcome = await reports.create_report(settings, account, "idea", published.id, "personal_data", events=events)
        assert outcome.hidden is (n == threshold)
        assert await _status(published) == ("hidden" if n == threshold else "published")
    rows = await ModerationDecision.select()
    assert [(r["action"], r["actor"], r["category"]) for r in rows] == [("auto_hide", None, "pending_review")]


async def test_the_threshold_is_configurable(settings, published, events):
    settings = replace(settings, city=replace(settings.city, report_threshold=2))
    (a, _), (b, _) = await make_supporters(settings, 2)
    await reports.create_report(settings, a, "idea", published.id, "spam", events=events)
    assert await _status(published) == "published"
    await reports.create_report(settings, b, "idea", published.id, "spam", events=events)
    assert await _status(published) == "hidden"


async def test_one_open_report_per_account_and_item(client, settings, people, published):
    headers = await token_for(client, people["member"])
    body = {"target_type": "idea", "target_id": published.id, "reason": "spam", "note": "Reclame"}
    assert (await client.post("/api/v1/reports", json=body, headers=headers)).status_code == 201
    again = await client.post("/api/v1/reports", json=body, headers=headers)
    assert again.status_code == 409
    assert await Report.count() == 1


async def test_report_refusals(client, settings, people, published, events):
    with pytest.raises(DomainError) as own:
        await reports.create_report(settings, people["author"], "idea", published.id, "spam", events=events)
    assert own.value.status_code == 403
    with pytest.raises(FormErrors):
        await reports.create_report(settings, people["member"], "idea", published.id, "boring", events=events)
    with pytest.raises(DomainError) as missing:
        await reports.create_report(settings, people["member"], "idea", 9999, "spam", events=events)
    assert missing.value.status_code == 404
    headers = await token_for(client, people["member"])
    bad = await client.post(
        "/api/v1/reports", json={"target_type": "account", "target_id": 1, "reason": "spam"}, headers=headers
    )
    assert bad.status_code == 404
    assert await Report.count() == 0


async def test_report_through_the_form(client, people, published, comment):
    member = await browser_as(client, people["member"].email)
    page = await member.get(f"/ideas/{published.id}")
    assert f'href="/report/idea/{published.id}"' in page.text and f'href="/report/comment/{comment.id}"' in page.text
    assert (await post(member, f"/report/comment/{comment.id}", {})).status_code == 422
    response = await post(member, f"/report/comment/{comment.id}", {"reason": "offensive", "note": "Scheldwoord"})
    assert response.status_code == 302
    report = await Report.objects().first()
    assert (report.target_type, report.target_id, report.reason, report.note) == (
        "comment",
        comment.id,
        "offensive",
        "Scheldwoord",
    )
    author = await browser_as(client, people["author"].email)
    assert f'href="/report/idea/{published.id}"' not in (await author.get(f"/ideas/{published.id}")).text


async def test_reports_page_groups_and_uphold_shows_the_category(client, settings, people, published, events):
    for account, _ in await make_supporters(settings, 3):
        await reports.create_report(
            settings, account, "idea", published.id, "personal_data", note="Er staat een adres in", events=events
        )
    anonymous = await browser_as(client, None)
    assert "reported, pending review" in page_text(await anonymous.get(f"/ideas/{published.id}?lang=en"))
    moderator = await browser_as(client, people["moderator"].email)
    page = page_text(await moderator.get("/moderation/reports?lang=en"))
    assert published.title in page and "3 open reports" in page and page.count("Er staat een adres in") == 3
    api = (await client.get("/api/v1/moderation/reports", headers=await token_for(client, people["moderator"]))).json()
    assert [(g["target_id"], g["report_count"], g["reasons"]) for g in api] == [(published.id, 3, {"personal_data": 3})]
    await post(moderator, f"/moderation/reports/idea/{published.id}/uphold", {"category": "personal_data"})
    assert await _status(published) == "hidden"
    assert await Report.count().where(Report.status == "upheld") == 3
    page = page_text(await anonymous.get(f"/ideas/{published.id}"))
    assert "Hidden by a moderator: personal data" in page_text(await anonymous.get(f"/ideas/{published.id}?lang=en"))
    assert published.title not in page
    assert "There are no open reports." in page_text(await moderator.get("/moderation/reports?lang=en"))
    assert [r["action"] for r in await ModerationDecision.select()] == ["auto_hide", "uphold"]


async def test_dismiss_restores(client, settings, people, published, comment, events):
    for account, _ in await make_supporters(settings, 3):
        await reports.create_report(settings, account, "comment", comment.id, "offensive", events=events)
    assert (await Comment.select(Comment.status).first())["status"] == "hidden"
    moderator = await browser_as(client, people["moderator"].email)
    response = await post(moderator, f"/moderation/reports/comment/{comment.id}/dismiss")
    assert response.status_code == 302
    assert (await Comment.select(Comment.status).first())["status"] == "visible"
    assert await Report.count().where(Report.status == "dismissed") == 3
    anonymous = await browser_as(client, None)
    assert comment.body in page_text(await anonymous.get(f"/ideas/{published.id}"))
    assert [r["action"] for r in await ModerationDecision.select()] == ["auto_hide", "dismiss"]


async def test_uphold_or_dismiss_without_open_reports(people, published, events):
    with pytest.raises(DomainError):
        await reports.dismiss(people["moderator"], "idea", published.id, events=events)
    with pytest.raises(FormErrors):
        await reports.uphold(people["moderator"], "idea", published.id, "", events=events)
    assert await ModerationDecision.count() == 0
