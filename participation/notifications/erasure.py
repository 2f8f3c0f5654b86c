"""A deleted account in the notifications domain: its own rows go, others' stop quoting its name."""

from __future__ import annotations

import json

from participation.accounts.events import AccountErased
from participation.notifications import texts
from participation.notifications.tables import Digest, Notification, NotificationSetting


async def on_account_erased(event: AccountErased) -> None:
    """Runs in the deletion's transaction (wired in participation.composition)."""
    for table in (Notification, NotificationSetting, Digest):
        await table.delete().where(table.account == event.account_id)
    names = set(event.names)
    if not names:
        return
    # Others' "X commented" notices keep the text but say "A former participant" (texts.describe).
    candidates = None
    for name in names:
        as_stored = json.dumps(name, ensure_ascii=False)[1:-1]  # the name as it appears inside the JSON payload
        condition = Notification.payload.like(f"%{as_stored}%")
        candidates = condition if candidates is None else candidates | condition
    rows = await Notification.select(Notification.id, Notification.payload).where(candidates)
    for row in rows:
        payload = texts.load_payload(row["payload"])
        if payload.get("name") in names:
            payload["name"] = ""
            await Notification.update({Notification.payload: texts.dump_payload(payload)}).where(
                Notification.id == row["id"]
            )
