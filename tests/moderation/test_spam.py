"""Spam signals: many links or repeated text from one account, flagged in the queue, never dropped."""

from __future__ import annotations

import pytest

from ideas import services as ideas
from ideas.services import IdeaInput
from ideas.tables import Comment, Idea
from participation.moderation import queue
from participation.moderation.tables import SpamSignal
from tests.accounts.tools import page_text
from tests.ideas.factories import idea_form
from tests.moderation.conftest import browser_as

pytestmark = pytest.mark.anyio
LINKS = "Kijk op https://a.example en https://b.example en www.c.example voor korting."


async def test_many_links_flag_a_submission(client, settings, people, events):
    idea, _ = await ideas.submit_idea(
        settings, people["author"], IdeaInput.from_form(idea_form(body=LINKS), [], "idea"), events=events
    )
    assert (await Idea.objects().get(Idea.id == idea.id)).status == "submitted"  # not dropped
    result = await queue.queue(settings, people["moderator"], queue.QueueFilters())
    assert result.items[0].signals == ["links"]
    moderator = await browser_as(client, people["moderator"].email)
    assert "many links" in page_text(await moderator.get("/moderation?lang=en"))


async def test_one_link_is_no_signal(settings, people, events):
    await ideas.submit_idea(
        settings,
        people["author"],
        IdeaInput.from_form(idea_form(body="Zie https://a.example"), [], "idea"),
        events=events,
    )
    assert await SpamSignal.count() == 0


async def test_repeated_text_flags_submissions_and_comments(client, settings, people, published, events):
    for _ in range(2):
        await ideas.submit_idea(settings, people["author"], IdeaInput.from_form(idea_form(), [], "idea"), events=events)
    result = await queue.queue(settings, people["moderator"], queue.QueueFilters())
    assert [i.signals for i in result.items] == [[], ["repeated"]]
    for _ in range(2):
        await ideas.add_comment(people["member"], published.id, "Koop nu goedkope zonnepanelen!", events=events)
    assert await Comment.count() == 2  # both kept
    flagged = await queue.flagged_comments()
    assert [(c["body"], c["signals"]) for c in flagged] == [("Koop nu goedkope zonnepanelen!", ["repeated"])]
    moderator = await browser_as(client, people["moderator"].email)
    assert "Koop nu goedkope zonnepanelen!" in page_text(await moderator.get("/moderation"))
