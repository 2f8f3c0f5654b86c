"""Moderation demo data: an assigned idea with a note, open reports, a hidden comment, their decisions. Idempotent.

Runs after the accounts and ideas demos (it uses their moderator, residents, ideas and
comments); a second run finds its marker note and creates nothing.
"""

from __future__ import annotations

from ideas.tables import Comment, CommentStatus, Idea, IdeaStatus
from participation.accounts.tables import Account
from participation.lib.events import DomainEvents
from participation.moderation import decisions, hiding, reports, verification
from participation.moderation.tables import StaffNote
from participation.settings import Settings

MODERATOR = "moderator@example.org"
REPORTERS = ("mohamed@example.org", "sanne@example.org")
MARKER = "Demo: navragen bij de afdeling Mobiliteit of dit al loopt."
# An organisation the moderator verified by hand (its KvK number checked in the Handelsregister).
VERIFIED_ORGANISATION = "info@slimmelantaarn.example"


async def load_moderation_demo(settings: Settings, events: DomainEvents) -> bool:
    """Create the moderation demo; False if it already exists or the other demos have not run."""
    if await StaffNote.exists().where(StaffNote.body == MARKER):
        return False
    moderator = await Account.objects().get(Account.email == MODERATOR)
    reporters = await Account.objects().where(Account.email.is_in(list(REPORTERS))).order_by(Account.id)
    submitted = await Idea.objects().where(Idea.status == IdeaStatus.submitted.value).order_by(Idea.created_at).first()
    published = await Idea.objects().where(Idea.status == IdeaStatus.published.value).order_by(Idea.id)
    comments = await Comment.objects().where(Comment.status == CommentStatus.visible.value).order_by(Comment.id)
    if moderator is None or submitted is None or not published:
        return False
    # One assigned idea with an internal note.
    await decisions.assign(moderator, submitted.id, moderator.id)
    await decisions.add_note(moderator, submitted.id, MARKER)
    # A couple of open reports (below the threshold) on an idea and a comment the reporters did not write.
    target = next((i for i in published if i.author not in {r.id for r in reporters}), None)
    for reporter in reporters:
        if target is not None:
            await reports.create_report(
                settings, reporter, "idea", target.id, "off_topic", "Dit lijkt me geen Smart City-idee.", events=events
            )
    others = [c for c in comments if c.author not in {r.id for r in reporters}]
    if others and reporters:
        await reports.create_report(
            settings, reporters[0], "comment", others[0].id, "offensive", "Onaardige toon.", events=events
        )
    # A comment a moderator hid, with its public reason.
    if len(others) > 1:
        await hiding.hide(
            moderator, "comment", others[-1].id, "personal_data", "Bevatte een telefoonnummer.", events=events
        )
    organisation = await Account.objects().get(Account.email == VERIFIED_ORGANISATION)
    if organisation is not None and organisation.kvk_number and not organisation.verified_organisation:
        await verification.verify_organisation(
            moderator,
            organisation.id,
            organisation.kvk_number,
            "Demo: Handelsregister geraadpleegd, inschrijving actief, handelsnaam komt overeen.",
            events=events,
        )
    return True
