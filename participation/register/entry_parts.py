"""What the register adds to an entry's page besides its fields: links both ways, the timeline
with the public fields' changes, and for staff the internal notes and the "scale up" offer."""

from __future__ import annotations

from typing import Any

from participation.accounts.tables import Account
from participation.register import history, links, notes
from participation.register.visibility import sees_internal


async def entry_parts(viewer: Account | None, entry_id: int, entry: dict[str, Any]) -> dict[str, Any]:
    entry_links = await links.links_for(entry_id, viewer)
    staff = sees_internal(viewer)
    return {
        "links": entry_links,
        "timeline": history.merged_timeline(entry["timeline"], await history.public_changes(entry_id)),
        "staff": staff,
        "notes": await notes.notes_for(viewer, entry_id),
        "offer_follow_on": staff and links.offers_follow_on(entry, entry_links),
    }
