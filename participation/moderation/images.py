"""Removing a participant's image from an idea or pilot: a moderation decision with a reason.

Like a change to the classification, the author is told on the idea and their account page
(an author notice), and the decision log records who removed it and why. The row goes in the
decision's transaction; the files after it commits.
"""

from __future__ import annotations

from typing import Any

from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.media import services as media
from participation.media.storage import Storage
from participation.media.tables import Image
from participation.moderation.log import REASON_MAX, record
from participation.moderation.permissions import authorize, can_moderate
from participation.moderation.tables import AuthorNotice
from participation.validation import DomainError, Errors, check_length, clean_text


async def image_to_remove(actor: Account | None, image_id: int) -> dict[str, Any]:
    """The image of an idea a moderator is about to remove, with where its files are served."""
    authorize(can_moderate(actor))
    row = (
        await Image.select(*Image.all_columns(), Image.idea.title.as_alias("idea_title"))
        .where((Image.id == image_id) & Image.idea.is_not_null())
        .first()
    )
    if row is None:
        raise DomainError(media.NOT_FOUND, 404)
    return {**row, "src": f"/media/images/{row['id']}/{media.widths_of(row)[0]}"}


async def remove_image(storage: Storage, actor: Account | None, image_id: int, reason: object) -> int:
    """Remove the image with a reason the author reads; returns the idea's id."""
    authorize(can_moderate(actor))
    text = clean_text(reason)
    errors = Errors()
    if not text:
        errors.add("reason", N_("Give the reason: the author reads it."))
    check_length(errors, "reason", text, 0, REASON_MAX)
    errors.raise_if_any()
    async with write_transaction():
        row = await media.take_image(image_id)
        if row["idea"] is None:
            raise DomainError(media.NOT_FOUND, 404)
        await AuthorNotice.insert(
            AuthorNotice(
                idea=row["idea"],
                account=row["uploaded_by"],
                kind="image_removed",
                changes="[]",
                message=text,
                created_at=utcnow(),
            )
        )
        await record(
            actor, "remove_image", "idea", row["idea"], reason=f"#{image_id} {row['alt_text']}: {text}"[:REASON_MAX]
        )
    await media.delete_image_files(storage, row)
    return row["idea"]
