"""Publishing a draft: the entry becomes public at once, and the timeline says when."""

from __future__ import annotations

from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.lib.events import DomainEvents
from participation.register import history
from participation.register.events import EntryUpdated
from participation.register.permissions import can_edit_register
from participation.register.services import PUBLISHED_TEXT
from participation.register.tables import RegisterEntry, RegisterUpdate
from participation.validation import DomainError


async def publish_entry(account: Account, slug: str, *, events: DomainEvents) -> RegisterEntry:
    """Make a draft public: one transaction for the flag, the timeline item and the field history.

    Compare-and-set on `draft`, so two editors publishing at once publish once (the second is told).
    """
    if not can_edit_register(account):
        raise DomainError(N_("Only register editors can change the register."), 403)
    async with write_transaction():
        entry = await RegisterEntry.objects().get(RegisterEntry.slug == slug)
        if entry is None:
            raise DomainError(N_("There is no register entry at this address."), 404)
        before = await history.snapshot(entry.id)
        now = utcnow()
        changed = (
            await RegisterEntry.update({RegisterEntry.draft: False, RegisterEntry.updated_at: now})
            .where((RegisterEntry.id == entry.id) & RegisterEntry.draft.eq(True))
            .returning(RegisterEntry.id)
        )
        if not changed:
            raise DomainError(N_("This entry is already published."), 409)
        update = RegisterUpdate(
            entry=entry.id,
            created_at=now,
            status=None,
            previous_status=None,
            text=PUBLISHED_TEXT,
            author_role=account.role,
            author=account.id,
        )
        await update.save()
        await history.record_changes(entry.id, before, await history.snapshot(entry.id), account, at=now)
        await events.publish(EntryUpdated(entry.id, update.id, entry.status, entry.status, now))
    entry.draft = False
    return entry
