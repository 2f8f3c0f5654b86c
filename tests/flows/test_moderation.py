"""Every moderation decision through the form on the moderator's page, and its outcome."""

from __future__ import annotations

import pytest

from ideas.tables import Comment, Idea
from participation.accounts.tables import Account
from participation.moderation.tables import ModerationDecision, Report, SpamSignal, StaffNote, Triage
from participation.register.tables import RegisterEntry
from tests.forms import follow, form_on, forms_on, open_form, page_problems, text_of
from tests.ideas.factories import make_comment, make_idea


@pytest.fixture
async def submitted(people) -> Idea:
    return await make_idea(people["author"], status="submitted", title="Slimme bankjes in het Stadshart")


@pytest.fixture
async def moderator(people, browser):
    return await browser("mod@example.org")


async def decision(action: str, target_id: int) -> ModerationDecision:
    row = await ModerationDecision.objects().get(
        (ModerationDecision.action == action) & (ModerationDecision.target_id == target_id)
    )
    assert row is not None, f"no {action!r} decision logged for {target_id}"
    return row


async def idea_form(moderator, idea: Idea, action: str, **criteria):
    return await open_form(
        moderator, f"/moderation/ideas/{idea.id}", action=f"/moderation/ideas/{idea.id}/{action}", **criteria
    )


async def reload(idea: Idea) -> Idea:
    return await Idea.objects().get(Idea.id == idea.id)


async def test_publish(people, moderator, submitted):
    queue = await moderator.get("/moderation/")
    assert f"/moderation/ideas/{submitted.id}" in queue.text
    form = await idea_form(moderator, submitted, "publish")
    page = await follow(moderator, await form.submit(moderator))
    idea = await reload(submitted)
    assert idea.status == "published" and idea.published_at is not None
    assert (await decision("publish", idea.id)).actor == people["moderator"].id
    assert str(page.url).endswith(f"/moderation/ideas/{idea.id}")


async def test_request_changes(moderator, submitted):
    form = await idea_form(moderator, submitted, "request-changes")
    form.fill(message="Noem de plek waar de bankjes moeten komen.")
    await follow(moderator, await form.submit(moderator))
    idea = await reload(submitted)
    assert (idea.status, idea.moderator_message) == ("needs_changes", "Noem de plek waar de bankjes moeten komen.")


async def test_reject_with_a_reason(people, moderator, submitted, browser):
    form = await idea_form(moderator, submitted, "reject")
    form.fill(category="not_municipal", message="Dit gaat over een privéterrein.")
    await follow(moderator, await form.submit(moderator))

    idea = await reload(submitted)
    assert (idea.status, idea.rejection_reason) == ("rejected", "Dit gaat over een privéterrein.")
    logged = await decision("reject", idea.id)
    assert (logged.category, logged.reason) == ("not_municipal", "Dit gaat over een privéterrein.")
    author = await browser("author@example.org")
    assert "Dit gaat over een privéterrein." in text_of(await author.get(f"/ideas/{idea.id}"))


async def test_reject_without_a_reason_keeps_what_was_typed(moderator, submitted):
    form = await idea_form(moderator, submitted, "reject")
    form.fill(message="Uitleg zonder categorie.")
    response = await form.submit(moderator)
    assert response.status_code == 422
    assert "reject_category" in page_problems(response).fields
    again = form_on(response, action=f"/moderation/ideas/{submitted.id}/reject")
    assert dict(again.data())["message"].strip() == "Uitleg zonder categorie."
    assert (await reload(submitted)).status == "submitted"


async def test_mark_as_duplicate_after_searching_the_original(people, moderator, submitted):
    original = await make_idea(people["member"], status="published", title="Bankjes met zonnepanelen in het centrum")
    search = await open_form(moderator, f"/moderation/ideas/{submitted.id}", method="get", selector="[role=search]")
    search.fill(q="zonnepanelen")
    results = await search.submit(moderator)
    assert results.status_code == 200

    merge = form_on(results, action=f"/moderation/ideas/{submitted.id}/duplicate")
    merge.fill(duplicate_of=str(original.id))
    await follow(moderator, await merge.submit(moderator))

    idea = await reload(submitted)
    assert (idea.status, idea.merged_into) == ("merged", original.id)
    assert (await decision("duplicate", idea.id)).actor == people["moderator"].id


async def test_route_below_the_threshold(moderator, people):
    idea = await make_idea(people["author"], status="published", title="Slimme afvalbakken in Rokkeveen")
    form = await idea_form(moderator, idea, "route")
    form.fill(reason="Past bij het programma Schone Stad.")
    await follow(moderator, await form.submit(moderator))
    assert (await reload(idea)).status == "routed"
    assert await RegisterEntry.exists().where(RegisterEntry.idea_id == idea.id)


async def test_hide_and_restore_an_idea(moderator, published, browser):
    form = await idea_form(moderator, published, "hide")
    form.fill(category="off_topic")
    page = await follow(moderator, await form.submit(moderator))
    idea = await reload(published)
    assert (idea.status, idea.hidden_reason) == ("hidden", "off_topic")

    restore = form_on(page, action=f"/moderation/ideas/{published.id}/restore")
    await follow(moderator, await restore.submit(moderator))
    assert (await reload(published)).status == "published"
    assert await decision("restore", published.id)


async def test_reclassify_tells_the_author(moderator, submitted):
    form = await idea_form(moderator, submitted, "classification")
    form.fill(theme="public-space", neighbourhood="dorp", scope="broad", message="Dit hoort bij openbare ruimte.")
    await follow(moderator, await form.submit(moderator))
    idea = await reload(submitted)
    assert (idea.theme, idea.neighbourhood, idea.scope) == ("public-space", "dorp", "broad")
    assert await decision("reclassify", idea.id)


async def test_assign_and_add_a_note(people, moderator, submitted):
    assign = await idea_form(moderator, submitted, "assign")
    assign.fill(moderator=str(people["moderator"].id))
    await follow(moderator, await assign.submit(moderator))
    triage = await Triage.objects().get(Triage.idea == submitted.id)
    assert triage.assigned_to == people["moderator"].id

    note = await idea_form(moderator, submitted, "notes")
    note.fill(note="Eerst navragen bij Openbare Ruimte.")
    page = await follow(moderator, await note.submit(moderator))
    assert (await StaffNote.objects().get(StaffNote.idea == submitted.id)).body == "Eerst navragen bij Openbare Ruimte."
    assert "Eerst navragen bij Openbare Ruimte." in text_of(page)


async def test_hide_and_restore_a_comment_on_the_idea_page(people, moderator, published):
    comment = await make_comment(published, people["member"], body="Koop nu goedkope horloges!")
    form = await open_form(moderator, f"/ideas/{published.id}", action=f"/moderation/comments/{comment.id}/hide")
    form.fill(category="spam")
    page = await follow(moderator, await form.submit(moderator))
    hidden = await Comment.objects().get(Comment.id == comment.id)
    assert (hidden.status, hidden.hidden_reason) == ("hidden", "spam")

    restore = form_on(page, action=f"/moderation/comments/{comment.id}/restore")
    await follow(moderator, await restore.submit(moderator))
    assert (await Comment.objects().get(Comment.id == comment.id)).status == "visible"


async def test_hide_a_flagged_comment_from_the_queue(people, moderator, published):
    comment = await make_comment(published, people["member"], body="Kijk op http://a.example en http://b.example")
    await SpamSignal(target_type="comment", target_id=comment.id, account=people["member"].id, signals="links").save()
    form = await open_form(moderator, "/moderation/", action=f"/moderation/comments/{comment.id}/hide")
    await follow(moderator, await form.submit(moderator))
    hidden = await Comment.objects().get(Comment.id == comment.id)
    assert (hidden.status, hidden.hidden_reason) == ("hidden", "spam")


async def report(people, target_type: str, target_id: int, count: int = 1) -> None:
    reporters = [people[name] for name in ("member", "editor", "admin")][:count]
    for reporter in reporters:
        await Report(reporter=reporter.id, target_type=target_type, target_id=target_id, reason="spam").save()


async def test_uphold_reports(people, moderator, published):
    await report(people, "idea", published.id, count=2)
    form = await open_form(moderator, "/moderation/reports", action=f"/moderation/reports/idea/{published.id}/uphold")
    form.fill(category="offensive")
    await follow(moderator, await form.submit(moderator))
    assert {r.status for r in await Report.objects().where(Report.target_id == published.id)} == {"upheld"}
    idea = await reload(published)
    assert (idea.status, idea.hidden_reason) == ("hidden", "offensive")


async def test_dismiss_reports_on_a_comment(people, moderator, published):
    comment = await make_comment(published, people["author"], body="Een gewone reactie.")
    await report(people, "comment", comment.id)
    form = await open_form(moderator, "/moderation/reports", action=f"/moderation/reports/comment/{comment.id}/dismiss")
    page = await follow(moderator, await form.submit(moderator))
    assert {r.status for r in await Report.objects().where(Report.target_id == comment.id)} == {"dismissed"}
    assert (await Comment.objects().get(Comment.id == comment.id)).status == "visible"
    assert not [f for f in forms_on(page) if f.action.endswith(f"/comment/{comment.id}/dismiss")]


async def test_suspend_and_lift(people, moderator, browser):
    member = people["member"]
    accounts = await moderator.get("/moderation/accounts?q=member@example.org")
    assert f"/moderation/accounts/{member.id}" in accounts.text
    form = await open_form(
        moderator, f"/moderation/accounts/{member.id}", action=f"/moderation/accounts/{member.id}/suspend"
    )
    form.fill(reason="Herhaaldelijk reclame geplaatst.")
    page = await follow(moderator, await form.submit(moderator))
    account = await Account.objects().get(Account.id == member.id)
    assert account.suspended_at is not None and account.suspension_reason == "Herhaaldelijk reclame geplaatst."

    lift = form_on(page, action=f"/moderation/accounts/{member.id}/lift")
    await follow(moderator, await lift.submit(moderator))
    assert (await Account.objects().get(Account.id == member.id)).suspended_at is None
