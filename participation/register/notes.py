"""Internal notes: what staff tell each other about an entry; never public, never exported."""

from __future__ import annotations

from typing import Any

from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.tables import RegisterEntry, RegisterNote
from participation.register.visibility import sees_internal
from participation.validation import DomainError, Errors, check_length, clean_text

MAX_NOTE = 5000


async def add_note(account: Account, slug: str, text: object) -> RegisterNote:
    if not sees_internal(account):
        raise DomainError(N_("Only register editors can change the register."), 403)
    text = clean_text(text)
    errors = Errors()
    check_length(errors, "text", text, 1, MAX_NOTE)
    errors.raise_if_any()
    async with write_transaction():
        entry_id = await RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.slug == slug).first()
        if entry_id is None:
            raise DomainError(N_("There is no register entry at this address."), 404)
        note = RegisterNote(entry=entry_id["id"], author=account.id, created_at=utcnow(), text=text)
        await note.save()
    return note


async def notes_for(viewer: Account | None, entry_id: int) -> list[dict[str, Any]]:
    """The entry's notes, newest first; empty for anyone who may not see them."""
    if not sees_internal(viewer):
        return []
    return (
        await RegisterNote.select(
            RegisterNote.created_at,
            RegisterNote.text,
            RegisterNote.author.display_name.as_alias("author_name"),
        )
        .where(RegisterNote.entry == entry_id)
        .order_by(RegisterNote.created_at, RegisterNote.id, ascending=False)
    )
