"""Images and pilot documents: add, list, serve, delete; each checks its permission once.

An upload is checked and encoded first (in a worker thread), its files written to the storage,
then its row inserted in a write transaction that locks the owner and counts its images, so
concurrent uploads never pass the limit of five. Files of a refused or failed insert are
deleted again; files of a deleted row are deleted after its transaction commits.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.database import for_update, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.media import documents, imaging, permissions
from participation.media.storage import Storage
from participation.media.tables import Image, PilotDocument
from participation.register.tables import RegisterEntry
from participation.validation import DomainError, Errors, FormErrors, Message, check_length, clean_text

ALT_MAX = 250
NOT_FOUND = N_("This image does not exist.")
NO_DOCUMENT = N_("This document does not exist.")
ALT_REQUIRED = N_("Describe what the image shows, for people who cannot see it.")
TOO_MANY = Message(N_("An item has at most %(max)s images. Remove one first."), max=permissions.MAX_IMAGES)
CHOOSE_FILE = N_("Choose a file.")


@dataclass(frozen=True)
class Upload:
    """A file as the browser sent it: only the bytes are trusted, the name is offered back sanitised."""

    data: bytes
    file_name: str


@dataclass(frozen=True)
class Owner:
    """An idea or a register entry (one of the two ids)."""

    idea: int | None = None
    entry: int | None = None

    @property
    def condition(self):
        return Image.idea == self.idea if self.idea is not None else Image.entry == self.entry


def srcset(image: dict[str, Any]) -> str:
    return ", ".join(f"/media/images/{image['id']}/{w} {w}w" for w in widths_of(image))


def widths_of(image: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(w) for w in image["widths"].split(","))


def _with_urls(row: dict[str, Any]) -> dict[str, Any]:
    widths = widths_of(row)
    return {**row, "src": f"/media/images/{row['id']}/{widths[-1]}", "srcset": srcset(row)}


async def images_of(owner: Owner) -> list[dict[str, Any]]:
    rows = await Image.select().where(owner.condition).order_by(Image.position).order_by(Image.id)
    return [_with_urls(row) for row in rows]


# -- reading the owners --------------------------------------------------------
async def idea_for(account: Account | None, idea_id: int, *, manage: bool = False) -> Idea:
    """The idea if the account may see (or manage) its media; 404 for what it may not see, 403 to manage."""
    idea = await Idea.objects().get(Idea.id == idea_id)
    if idea is None or not permissions.can_view_idea_media(account, idea):
        raise DomainError(N_("This idea does not exist."), 404)
    if manage and not permissions.can_manage_idea_media(account, idea):
        raise DomainError(N_("You can add or remove images only while you may edit the idea."), 403)
    return idea


async def entry_for(account: Account | None, slug: str, *, manage: bool = False) -> dict[str, Any]:
    entry = (
        await RegisterEntry.select(RegisterEntry.id, RegisterEntry.slug, RegisterEntry.title, RegisterEntry.draft)
        .where(RegisterEntry.slug == slug)
        .first()
    )
    if entry is None or not permissions.can_view_entry_media(account, entry["draft"]):
        raise DomainError(N_("There is no register entry at this address."), 404)
    if manage and not permissions.can_manage_entry_media(account):
        raise DomainError(N_("Only register editors can do this."), 403)
    return entry


# -- images --------------------------------------------------------------------
def _checked_alt(alt_text: object) -> str:
    text = clean_text(alt_text)
    errors = Errors()
    if not text:
        errors.add("alt_text", ALT_REQUIRED)
    check_length(errors, "alt_text", text, 0, ALT_MAX)
    errors.raise_if_any()
    return text


async def _encoded(upload: Upload | None) -> imaging.ProcessedImage:
    if upload is None or not upload.data:
        raise FormErrors({"file": CHOOSE_FILE})
    try:
        return await asyncio.to_thread(imaging.process, upload.data)
    except imaging.ImageRefused as refused:
        raise FormErrors({"file": refused.message}) from refused


def _file_key(storage_key: str, width: int, extension: str) -> str:
    return f"{storage_key}/{width}.{extension}"


async def _delete_files(storage: Storage, row: dict[str, Any]) -> None:
    extension = imaging.EXTENSIONS[row["media_type"]]
    for width in widths_of(row):
        await storage.delete(_file_key(row["storage_key"], width, extension))


async def add_image(
    storage: Storage, account: Account, owner: Owner, upload: Upload | None, alt_text: object
) -> dict[str, Any]:
    """Check, encode, store and record one image of `owner` (the caller checked who may)."""
    alt = _checked_alt(alt_text)
    if await Image.count().where(owner.condition) >= permissions.MAX_IMAGES:
        raise FormErrors({"file": TOO_MANY})
    processed = await _encoded(upload)
    storage_key = f"images/{secrets.token_hex(16)}"
    row = {
        "id": 0,
        "media_type": processed.media_type,
        "storage_key": storage_key,
        "widths": ",".join(str(w) for w in processed.widths),
    }
    for variant in processed.variants:
        await storage.put(
            _file_key(storage_key, variant.width, processed.extension), variant.data, processed.media_type
        )
    try:
        async with write_transaction():
            # The owner's row lock queues concurrent uploads, so the count below stays true.
            if owner.idea is not None:
                await for_update(Idea.select(Idea.id).where(Idea.id == owner.idea)).first()
            else:
                await for_update(RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.id == owner.entry)).first()
            count = await Image.count().where(owner.condition)
            if count >= permissions.MAX_IMAGES:
                raise FormErrors({"file": TOO_MANY})
            widest = processed.variants[-1]
            image = Image(
                idea=owner.idea,
                entry=owner.entry,
                uploaded_by=account.id,
                position=count,
                alt_text=alt,
                file_name=imaging.safe_file_name(upload.file_name if upload else "", "image"),
                media_type=processed.media_type,
                storage_key=storage_key,
                widths=row["widths"],
                width=widest.width,
                height=widest.height,
                created_at=utcnow(),
            )
            await image.save()
    except BaseException:
        await _delete_files(storage, row)
        raise
    return _with_urls(image.to_dict())


async def delete_image(storage: Storage, owner: Owner, image_id: int) -> dict[str, Any]:
    """Delete one image of `owner` (the caller checked who may, and records why if it must)."""
    async with write_transaction():
        row = await take_image(image_id, owner)
    await _delete_files(storage, row)
    return row


async def take_image(image_id: int, owner: Owner | None = None) -> dict[str, Any]:
    """Delete the row inside the caller's transaction; the caller deletes the files after the commit."""
    condition = Image.id == image_id
    if owner is not None:
        condition &= owner.condition
    row = await for_update(Image.select().where(condition)).first()
    if row is None:
        raise DomainError(NOT_FOUND, 404)
    await Image.delete().where(Image.id == image_id)
    return row


async def delete_image_files(storage: Storage, row: dict[str, Any]) -> None:
    await _delete_files(storage, row)


def etag(row: dict[str, Any], width: int) -> str:
    """The files at an image's address never change (a new upload is a new image): its key names them."""
    return f'"{row["storage_key"].rsplit("/", 1)[-1]}-{width}"'


async def visible_image(viewer: Account | None, image_id: int, width: int) -> tuple[dict[str, Any], bool]:
    """(row, public) of an image the viewer may see at this width; 404 otherwise."""
    row = await Image.select().where(Image.id == image_id).first()
    if row is None or width not in widths_of(row):
        raise DomainError(NOT_FOUND, 404)
    if row["idea"] is not None:
        idea = await Idea.objects().get(Idea.id == row["idea"])
        if idea is None or not permissions.can_view_idea_media(viewer, idea):
            raise DomainError(NOT_FOUND, 404)
        public = permissions.is_public_idea(idea)
    else:
        entry = await RegisterEntry.select(RegisterEntry.draft).where(RegisterEntry.id == row["entry"]).first()
        if entry is None or not permissions.can_view_entry_media(viewer, entry["draft"]):
            raise DomainError(NOT_FOUND, 404)
        public = not entry["draft"]
    return row, public


async def image_bytes(storage: Storage, row: dict[str, Any], width: int) -> bytes:
    data = await storage.get(_file_key(row["storage_key"], width, imaging.EXTENSIONS[row["media_type"]]))
    if data is None:
        raise DomainError(NOT_FOUND, 404)
    return data


# -- the pilot's document ------------------------------------------------------
async def document_of(idea_id: int) -> dict[str, Any] | None:
    return await PilotDocument.select().where(PilotDocument.idea == idea_id).first()


async def set_document(storage: Storage, account: Account, idea: Idea, upload: Upload | None) -> dict[str, Any]:
    """Attach the pilot's PDF, replacing the one it had (the caller checked who may)."""
    if not permissions.takes_document(idea):
        raise DomainError(N_("Only pilot proposals have a document."), 404)
    if upload is None or not upload.data:
        raise FormErrors({"document": CHOOSE_FILE})
    try:
        pages = await asyncio.to_thread(documents.check_pdf, upload.data)
    except documents.DocumentRefused as refused:
        raise FormErrors({"document": refused.message}) from refused
    storage_key = f"documents/{secrets.token_hex(16)}.pdf"
    await storage.put(storage_key, upload.data, "application/pdf")
    try:
        async with write_transaction():
            await for_update(Idea.select(Idea.id).where(Idea.id == idea.id)).first()
            previous = await PilotDocument.select().where(PilotDocument.idea == idea.id).first()
            await PilotDocument.delete().where(PilotDocument.idea == idea.id)
            document = PilotDocument(
                idea=idea.id,
                uploaded_by=account.id,
                file_name=imaging.safe_file_name(upload.file_name, "document"),
                storage_key=storage_key,
                size=len(upload.data),
                pages=pages,
                created_at=utcnow(),
            )
            await document.save()
    except BaseException:
        await storage.delete(storage_key)
        raise
    if previous is not None:
        await storage.delete(previous["storage_key"])
    return document.to_dict()


async def delete_document(storage: Storage, idea: Idea) -> None:
    async with write_transaction():
        row = await for_update(PilotDocument.select().where(PilotDocument.idea == idea.id)).first()
        if row is None:
            raise DomainError(NO_DOCUMENT, 404)
        await PilotDocument.delete().where(PilotDocument.id == row["id"])
    await storage.delete(row["storage_key"])


async def document_file(storage: Storage, viewer: Account | None, idea_id: int) -> tuple[dict[str, Any], bytes, bool]:
    idea = await idea_for(viewer, idea_id)
    row = await document_of(idea.id)
    data = await storage.get(row["storage_key"]) if row else None
    if row is None or data is None:
        raise DomainError(NO_DOCUMENT, 404)
    return row, data, permissions.is_public_idea(idea)
