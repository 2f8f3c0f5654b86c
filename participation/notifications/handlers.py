"""Who is told what when something happens (wired to the domain events in participation.composition).

Each handler runs inside the transaction of the change (the events are published there): it
reads who should know, and writes notification rows and outbox messages through
`services.notify`, never anything over the network. The actor is never told about their own
action. One recipient gets one notification per event, in the most personal category:
replies and my_ideas before following.
"""

from __future__ import annotations

from typing import Any

from ideas.events import CommentAdded, IdeaStatusChanged
from ideas.services import author_name
from ideas.tables import Comment, Follow, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.notifications.services import Notifier, notify, short
from participation.notifications.tables import Category
from participation.register.events import EntryUpdated
from participation.register.services import SYSTEM_ROLE
from participation.register.tables import EntryFollow, RegisterEntry, RegisterUpdate
from participation.register.visibility import published
from voting.tables import Routing, Support

S = IdeaStatus
# Decisions the author hears about at once (a withdrawal is their own act; hiding is moderation's notice).
AUTHOR_STATUSES = frozenset({S.published, S.needs_changes, S.rejected, S.merged, S.routed, S.expired})
# What followers and supporters of a public idea hear about.
FOLLOWER_STATUSES = frozenset({S.routed, S.expired, S.merged, S.withdrawn})


async def _followers_and_supporters(idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    followers = await Follow.select(Follow.account).where(Follow.idea.is_in(idea_ids)).output(as_list=True)
    supporters = await Support.select(Support.account).where(Support.idea.is_in(idea_ids)).output(as_list=True)
    return set(followers) | set(supporters)


def _recipients(by_priority: list[tuple[Category, set[int]]], actor_id: int | None) -> dict[int, Category]:
    """Each account once, in the first (most personal) category that names it; never the actor."""
    chosen: dict[int, Category] = {}
    for category, accounts in by_priority:
        for account_id in accounts:
            if account_id != actor_id and account_id not in chosen:
                chosen[account_id] = category
    return chosen


class NotificationHandlers:
    """The reactions of the notifications domain; one instance per app, built by the composition root."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier

    async def on_idea_status_changed(self, event: IdeaStatusChanged) -> None:
        status = S(event.status)
        if status not in AUTHOR_STATUSES and status not in FOLLOWER_STATUSES:
            return
        idea = await Idea.select(Idea.id, Idea.title, Idea.author).where(Idea.id == event.idea_id).first()
        if idea is None:
            return
        payload: dict[str, Any] = {"title": idea["title"]}
        link = f"/ideas/{idea['id']}"
        if status in (S.needs_changes, S.rejected) and event.reason:
            payload["reason"] = short(event.reason)
        if status is S.merged and event.merged_into:
            original = await Idea.select(Idea.title).where(Idea.id == event.merged_into).first()
            payload["original_title"] = original["title"] if original else ""
            link = f"/ideas/{event.merged_into}"
        entry_id = None
        if status is S.routed:
            entry = await _routed_entry(idea["id"])
            if entry is not None:
                entry_id = entry["id"]
                payload["due"] = entry["response_due_at"].isoformat() if entry["response_due_at"] else None
                link = f"/register/{entry['slug']}"
        author = idea["author"]
        by_priority = []
        if status in AUTHOR_STATUSES:
            by_priority.append((Category.my_ideas, {author}))
        if status in FOLLOWER_STATUSES:
            # The author follows their own idea; they are told as the author or, for their own withdrawal, not at all.
            others = await _followers_and_supporters([idea["id"]]) - {author}
            by_priority.append((Category.following, others))
        actor = author if status is S.withdrawn else None
        await notify(
            self.notifier,
            _recipients(by_priority, actor),
            kind=f"idea_{status.value}",
            payload=payload,
            link=link,
            at=event.at,
            idea_id=idea["id"],
            entry_id=entry_id,
        )

    async def on_comment_added(self, event: CommentAdded) -> None:
        idea = await Idea.select(Idea.id, Idea.title).where(Idea.id == event.idea_id).first()
        commenter = (
            await Account.select(Account.display_name, Account.kind, Account.organisation_name)
            .where(Account.id == event.author_id)
            .first()
        )
        if idea is None or commenter is None:
            return
        by_priority: list[tuple[Category, set[int]]] = []
        if event.parent_id is not None:
            parent = await Comment.select(Comment.author).where(Comment.id == event.parent_id).first()
            if parent is not None:
                by_priority.append((Category.replies, {parent["author"]}))
        by_priority.append((Category.following, await _followers_and_supporters([idea["id"]])))
        recipients = _recipients(by_priority, event.author_id)
        payload = {"title": idea["title"], "name": author_name(idea, commenter)}
        for kind, category in (("reply", Category.replies), ("comment", Category.following)):
            await notify(
                self.notifier,
                {account: c for account, c in recipients.items() if c is category},
                kind=kind,
                payload=payload,
                link=f"/ideas/{idea['id']}#comments",
                at=event.at,
                idea_id=idea["id"],
            )

    async def on_entry_updated(self, event: EntryUpdated) -> None:
        update = (
            await RegisterUpdate.select(RegisterUpdate.author, RegisterUpdate.author_role)
            .where(RegisterUpdate.id == event.update_id)
            .first()
        )
        entry = (
            await RegisterEntry.select(RegisterEntry.id, RegisterEntry.slug, RegisterEntry.title, RegisterEntry.idea_id)
            .where((RegisterEntry.id == event.entry_id) & published())  # a draft tells no one
            .first()
        )
        if update is None or entry is None or update["author_role"] == SYSTEM_ROLE:
            # The platform's own "routed" update is told by the idea's routed notification.
            return
        source_ideas = set(
            await Routing.select(Routing.idea).where(Routing.register_entry_id == entry["id"]).output(as_list=True)
        )
        if entry["idea_id"]:
            source_ideas.add(entry["idea_id"])
        authors = set(
            await Idea.select(Idea.author).where(Idea.id.is_in(sorted(source_ideas))).output(as_list=True)
            if source_ideas
            else []
        )
        entry_followers = set(
            await EntryFollow.select(EntryFollow.account).where(EntryFollow.entry == entry["id"]).output(as_list=True)
        )
        followers = entry_followers | await _followers_and_supporters(sorted(source_ideas))
        changed = event.status != event.previous_status
        await notify(
            self.notifier,
            _recipients([(Category.my_ideas, authors), (Category.following, followers)], update["author"]),
            kind="entry_status" if changed else "entry_update",
            payload={"title": entry["title"], "status": event.status if changed else None},
            link=f"/register/{entry['slug']}",
            at=event.at,
            entry_id=entry["id"],
        )


async def _routed_entry(idea_id: int) -> dict[str, Any] | None:
    routing = await Routing.select(Routing.register_entry_id).where(Routing.idea == idea_id).first()
    if routing is None:
        return None
    return (
        await RegisterEntry.select(RegisterEntry.id, RegisterEntry.slug, RegisterEntry.response_due_at)
        .where(RegisterEntry.id == routing["register_entry_id"])
        .first()
    )
