"""A deleted account's images and documents stay with the idea they illustrate, as its ideas do; the
file names they chose (which may hold their name) are replaced."""

from __future__ import annotations

from participation.accounts.events import AccountErased
from participation.media.tables import Image, PilotDocument


async def on_account_erased(event: AccountErased) -> None:
    await Image.update({Image.file_name: "image"}).where(Image.uploaded_by == event.account_id)
    await PilotDocument.update({PilotDocument.file_name: "document"}).where(
        PilotDocument.uploaded_by == event.account_id
    )
