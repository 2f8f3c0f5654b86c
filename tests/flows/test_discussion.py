"""Taking part on an idea's page through its forms: comment, reply, edit and delete, follow, report."""

from __future__ import annotations

from ideas.tables import Comment, Follow
from participation.moderation.tables import Report
from tests.forms import follow, form_on, open_form, text_of


async def test_member_comments(people, browser, published):
    member = await browser("member@example.org")
    form = await open_form(
        member, f"/ideas/{published.id}", selector="#comments form", action=f"/ideas/{published.id}/comments"
    )
    form.fill(body="Goed idee, ook voor het station in Seghwaert.")
    page = await follow(member, await form.submit(member))

    comment = await Comment.objects().get(Comment.idea == published.id)
    assert (comment.author, comment.parent, comment.body) == (
        people["member"].id,
        None,
        "Goed idee, ook voor het station in Seghwaert.",
    )
    assert "Goed idee, ook voor het station in Seghwaert." in text_of(page, f"#comment-{comment.id}")


async def test_an_empty_comment_is_refused_on_the_page(people, browser, published):
    member = await browser("member@example.org")
    form = await open_form(
        member, f"/ideas/{published.id}", selector="#comments form", action=f"/ideas/{published.id}/comments"
    )
    response = await form.submit(member)
    assert response.status_code == 422
    assert await Comment.count() == 0


async def test_member_replies_to_a_comment(people, browser, published, comment_by_author):
    member = await browser("member@example.org")
    form = await open_form(
        member,
        f"/ideas/{published.id}",
        selector=f"#comment-{comment_by_author.id} form",
        action=f"/ideas/{published.id}/comments",
    )
    form.fill(body="Eens, en graag ook overdekt.")
    page = await follow(member, await form.submit(member))

    reply = await Comment.objects().get(Comment.parent == comment_by_author.id)
    assert (reply.author, reply.body, reply.idea) == (people["member"].id, "Eens, en graag ook overdekt.", published.id)
    assert "Eens, en graag ook overdekt." in text_of(page, f"#comment-{reply.id}")


async def test_a_reply_error_keeps_the_text_in_the_reply_form(people, browser, published, comment_by_author):
    member = await browser("member@example.org")
    form = await open_form(
        member,
        f"/ideas/{published.id}",
        selector=f"#comment-{comment_by_author.id} form",
        action=f"/ideas/{published.id}/comments",
    )
    form.fill(body="   ")
    response = await form.submit(member)
    assert response.status_code == 422
    again = form_on(
        response, selector=f"#comment-{comment_by_author.id} form", action=f"/ideas/{published.id}/comments"
    )
    assert "body" in again.names
    assert await Comment.count() == 1


async def test_author_edits_a_comment(people, browser, published, comment_by_author):
    author = await browser("author@example.org")
    page = await author.get(f"/ideas/{published.id}")
    assert f"/comments/{comment_by_author.id}/edit" in page.text
    form = await open_form(
        author, f"/comments/{comment_by_author.id}/edit", action=f"/comments/{comment_by_author.id}/edit"
    )
    form.fill(body="Een gewone reactie op dit idee, met een aanvulling.")
    page = await follow(author, await form.submit(author))

    comment = await Comment.objects().get(Comment.id == comment_by_author.id)
    assert comment.body == "Een gewone reactie op dit idee, met een aanvulling."
    assert comment.edited_at is not None
    assert "met een aanvulling" in text_of(page, f"#comment-{comment.id}")


async def test_author_deletes_a_comment(people, browser, published, comment_by_author):
    author = await browser("author@example.org")
    form = await open_form(author, f"/ideas/{published.id}", action=f"/comments/{comment_by_author.id}/delete")
    await follow(author, await form.submit(author))
    comment = await Comment.objects().get(Comment.id == comment_by_author.id)
    assert comment.status == "deleted"


async def test_member_follows_and_unfollows(people, browser, published):
    member = await browser("member@example.org")
    form = await open_form(member, f"/ideas/{published.id}", action=f"/ideas/{published.id}/follow")
    page = await follow(member, await form.submit(member))
    assert await Follow.exists().where((Follow.account == people["member"].id) & (Follow.idea == published.id))

    stop = form_on(page, action=f"/ideas/{published.id}/unfollow")
    page = await follow(member, await stop.submit(member))
    assert not await Follow.exists().where((Follow.account == people["member"].id) & (Follow.idea == published.id))
    form_on(page, action=f"/ideas/{published.id}/follow")  # offered again


async def test_member_reports_an_idea(people, browser, published):
    member = await browser("member@example.org")
    detail = await member.get(f"/ideas/{published.id}")
    assert f"/report/idea/{published.id}" in detail.text
    form = await open_form(member, f"/report/idea/{published.id}", action=f"/report/idea/{published.id}")
    form.fill(reason="off_topic", note="Gaat niet over de stad.")
    page = await follow(member, await form.submit(member))

    report = await Report.objects().get(Report.target_id == published.id)
    assert (report.target_type, report.reporter, report.reason, report.note, report.status) == (
        "idea",
        people["member"].id,
        "off_topic",
        "Gaat niet over de stad.",
        "open",
    )
    assert str(page.url).endswith(f"/ideas/{published.id}")


async def test_member_reports_a_comment(people, browser, published, comment_by_author):
    member = await browser("member@example.org")
    detail = await member.get(f"/ideas/{published.id}")
    assert f"/report/comment/{comment_by_author.id}" in detail.text
    form = await open_form(
        member, f"/report/comment/{comment_by_author.id}", action=f"/report/comment/{comment_by_author.id}"
    )
    form.fill(reason="offensive")
    await follow(member, await form.submit(member))
    report = await Report.objects().get(Report.target_id == comment_by_author.id)
    assert (report.target_type, report.reason) == ("comment", "offensive")


async def test_a_report_without_a_reason_is_refused(people, browser, published):
    member = await browser("member@example.org")
    form = await open_form(member, f"/report/idea/{published.id}", action=f"/report/idea/{published.id}")
    response = await form.submit(member)
    assert response.status_code == 422
    assert await Report.count() == 0
