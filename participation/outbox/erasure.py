"""Forgetting a person in the outbox: their mail goes, and other people's mail stops quoting them.

Called by account deletion inside its transaction. Mail to the address (queued or sent) is
deleted: it holds the address, the name and sign-in links. Mail to others that names the
person (a "Sam replied to your comment" notice) keeps its place in the queue, with the name
replaced as a whole word by "a former participant" in the recipient's language, in the text
and the HTML (where the name is escaped).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable

from participation.i18n import N_, gettext, in_locale
from participation.outbox.tables import OutboxMessage

FORMER_PARTICIPANT = N_("a former participant")


def _variants(names: Iterable[str]) -> list[str]:
    found = {v for name in names if name for v in (name, html_lib.escape(name))}
    return sorted(found, key=len, reverse=True)


async def forget(address: str, names: Iterable[str]) -> tuple[int, int]:
    """Delete mail to `address`; replace `names` in everyone else's. Returns (deleted, rewritten)."""
    deleted = await OutboxMessage.count().where(OutboxMessage.recipient == address)
    if deleted:
        await OutboxMessage.delete().where(OutboxMessage.recipient == address)
    variants = _variants(names)
    if not variants:
        return deleted, 0
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in variants) + r")(?!\w)")
    # The database narrows the rows down (a % or _ in a name only widens the LIKE); the pattern decides.
    candidates = None
    for variant in variants:
        like = f"%{variant}%"
        for column in (OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body):
            condition = column.like(like)
            candidates = condition if candidates is None else candidates | condition
    rewritten = 0
    rows = await OutboxMessage.select(
        OutboxMessage.id, OutboxMessage.locale, OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body
    ).where(candidates)
    for row in rows:
        fields = {"subject": row["subject"], "text_body": row["text_body"], "html_body": row["html_body"]}
        if not any(pattern.search(value or "") for value in fields.values()):
            continue
        with in_locale(row["locale"]):
            label = gettext(FORMER_PARTICIPANT)
        changed = {
            getattr(OutboxMessage, key): pattern.sub(html_lib.escape(label) if key == "html_body" else label, value)
            for key, value in fields.items()
            if value
        }
        await OutboxMessage.update(changed).where(OutboxMessage.id == row["id"])
        rewritten += 1
    return deleted, rewritten
