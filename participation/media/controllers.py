"""Image and document pages: manage an idea's or entry's images, serve the files.

Uploads are multipart forms that work without JavaScript. A file up to the route's body limit
reaches the service and is refused with a form error when it is over 10 MB; a body beyond the
limit is refused while it arrives (Litestar's 413), answered with a redirect back to the page
that shows the same message at the field, never a bare error page.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.guards import requires_account, requires_editor
from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.media import documents, imaging, permissions, services
from participation.media.services import Owner, Upload
from participation.media.storage import Storage
from participation.validation import FormErrors, Message

# A 10 MB file and the rest of the form; a larger body is refused while it arrives (see the docstring).
UPLOAD_BODY_LIMIT = 32 * 1024 * 1024
PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, no-store"


def _too_large(request: Request, _: Exception) -> Response:
    """Back to the form with the reason. In the query, not a flash: the CSRF check reads the body (and
    refuses it) before the session is loaded, so nothing put in the session here would be kept."""
    path = request.url.path
    field = "document" if path.endswith("/document") else "file"
    page = path.removesuffix("/document") + ("/images" if field == "document" else "")
    return Redirect(f"{page}?too_large={field}", status_code=303)


def _refusal(too_large: str) -> dict[str, Message]:
    if too_large == "document":
        return {"document": Message(documents.TOO_LARGE)}
    return {"file": Message(imaging.TOO_LARGE)} if too_large == "file" else {}


UPLOAD_OPTIONS: dict[str, Any] = {
    "request_max_body_size": UPLOAD_BODY_LIMIT,
    "exception_handlers": {RequestEntityTooLarge: _too_large},
    # Each upload costs a decode and three encodings: counted with the submissions, per address and account.
    "opt": {"rate_limit": "submission"},
}


async def _upload(request: Request, field: str) -> tuple[Upload | None, dict[str, Any]]:
    form = await request.form()
    values = {k: v for k, v in form.items() if not isinstance(v, UploadFile)}
    file = form.get(field)
    if not isinstance(file, UploadFile) or not file.filename:
        return None, values
    data = await file.read(imaging.MAX_BYTES + 1)
    return Upload(data=data, file_name=file.filename), values


def _file_response(data: bytes, media_type: str, disposition: str, file_name: str, public: bool) -> Response:
    return Response(
        content=data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{file_name}"',
            "X-Content-Type-Options": "nosniff",
            # Signed-in answers become "no-store" whatever this says (participation.accounts.signed_in).
            "Cache-Control": PUBLIC_CACHE if public else PRIVATE_CACHE,
        },
    )


class MediaPages(Controller):
    include_in_schema = False

    # -- serving ------------------------------------------------------------------
    @get("/media/images/{image_id:int}/{width:int}", name="media_image")
    async def image(
        self,
        request: Request,
        media_storage: NamedDependency[Storage],
        image_id: FromPath[int],
        width: FromPath[int],
    ) -> Response:
        row, public = await services.visible_image(request.user, image_id, width)
        tag = services.etag(row, width)
        if tag in request.headers.get("if-none-match", ""):
            # The browser's copy is current: no need to fetch the file from the store.
            headers = {"ETag": tag, "Cache-Control": PUBLIC_CACHE if public else PRIVATE_CACHE}
            return Response(content=b"", status_code=304, headers=headers)
        data = await services.image_bytes(media_storage, row, width)
        extension = imaging.EXTENSIONS[row["media_type"]]
        response = _file_response(data, row["media_type"], "inline", f"{row['file_name']}-{width}.{extension}", public)
        response.headers["ETag"] = tag
        return response

    @get("/ideas/{idea_id:int}/document", name="pilot_document")
    async def document(
        self, request: Request, media_storage: NamedDependency[Storage], idea_id: FromPath[int]
    ) -> Response:
        row, data, public = await services.document_file(media_storage, request.user, idea_id)
        return _file_response(data, "application/pdf", "attachment", f"{row['file_name']}.pdf", public)

    # -- an idea's images and document (its author, while the idea may be edited) ---
    async def _idea_page(
        self, request: Request, idea_id: int, errors: dict | None = None, values: dict | None = None, status: int = 200
    ) -> Template:
        idea = await services.idea_for(request.user, idea_id, manage=True)
        return Template(
            "media/manage.html",
            context={
                "title": idea.title,
                "back_url": f"/ideas/{idea.id}",
                "base_url": f"/ideas/{idea.id}",
                "images": await services.images_of(Owner(idea=idea.id)),
                "max_images": permissions.MAX_IMAGES,
                "takes_document": permissions.takes_document(idea),
                "document": await services.document_of(idea.id),
                "errors": errors or {},
                "values": values or {},
            },
            status_code=status,
        )

    @get("/ideas/{idea_id:int}/images", name="idea_images", guards=[requires_account])
    async def idea_images(
        self, request: Request[Account, Any, Any], idea_id: FromPath[int], too_large: FromQuery[str] = ""
    ) -> Template:
        return await self._idea_page(request, idea_id, _refusal(too_large))

    @post("/ideas/{idea_id:int}/images", name="idea_images_add", guards=[requires_account], **UPLOAD_OPTIONS)
    async def add_idea_image(
        self, request: Request[Account, Any, Any], media_storage: NamedDependency[Storage], idea_id: FromPath[int]
    ) -> Template | Redirect:
        idea = await services.idea_for(request.user, idea_id, manage=True)
        upload, values = await _upload(request, "file")
        try:
            await services.add_image(media_storage, request.user, Owner(idea=idea.id), upload, values.get("alt_text"))
        except FormErrors as exc:
            return await self._idea_page(request, idea_id, exc.errors, values, status=422)
        flash(request, gettext("The image was added."), category="success")
        return Redirect(f"/ideas/{idea_id}/images", status_code=303)

    @post("/ideas/{idea_id:int}/images/{image_id:int}/delete", name="idea_images_delete", guards=[requires_account])
    async def delete_idea_image(
        self,
        request: Request[Account, Any, Any],
        media_storage: NamedDependency[Storage],
        idea_id: FromPath[int],
        image_id: FromPath[int],
    ) -> Redirect:
        idea = await services.idea_for(request.user, idea_id, manage=True)
        await services.delete_image(media_storage, Owner(idea=idea.id), image_id)
        flash(request, gettext("The image was removed."), category="success")
        return Redirect(f"/ideas/{idea_id}/images", status_code=303)

    @post("/ideas/{idea_id:int}/document", name="pilot_document_set", guards=[requires_account], **UPLOAD_OPTIONS)
    async def set_document(
        self, request: Request[Account, Any, Any], media_storage: NamedDependency[Storage], idea_id: FromPath[int]
    ) -> Template | Redirect:
        idea = await services.idea_for(request.user, idea_id, manage=True)
        upload, values = await _upload(request, "document")
        try:
            await services.set_document(media_storage, request.user, idea, upload)
        except FormErrors as exc:
            return await self._idea_page(request, idea_id, exc.errors, values, status=422)
        flash(request, gettext("The document was added."), category="success")
        return Redirect(f"/ideas/{idea_id}/images", status_code=303)

    @post("/ideas/{idea_id:int}/document/delete", name="pilot_document_delete", guards=[requires_account])
    async def delete_document(
        self, request: Request[Account, Any, Any], media_storage: NamedDependency[Storage], idea_id: FromPath[int]
    ) -> Redirect:
        idea = await services.idea_for(request.user, idea_id, manage=True)
        await services.delete_document(media_storage, idea)
        flash(request, gettext("The document was removed."), category="success")
        return Redirect(f"/ideas/{idea_id}/images", status_code=303)

    # -- a register entry's images (editors) ---------------------------------------
    async def _entry_page(
        self, request: Request, slug: str, errors: dict | None = None, values: dict | None = None, status: int = 200
    ) -> Template:
        entry = await services.entry_for(request.user, slug, manage=True)
        return Template(
            "media/manage.html",
            context={
                "title": entry["title"],
                "back_url": f"/register/{entry['slug']}",
                "base_url": f"/register/{entry['slug']}",
                "images": await services.images_of(Owner(entry=entry["id"])),
                "max_images": permissions.MAX_IMAGES,
                "takes_document": False,
                "errors": errors or {},
                "values": values or {},
            },
            status_code=status,
        )

    @get("/register/{slug:str}/images", name="entry_images", guards=[requires_editor])
    async def entry_images(
        self, request: Request[Account, Any, Any], slug: FromPath[str], too_large: FromQuery[str] = ""
    ) -> Template:
        return await self._entry_page(request, slug, _refusal(too_large))

    @post("/register/{slug:str}/images", name="entry_images_add", guards=[requires_editor], **UPLOAD_OPTIONS)
    async def add_entry_image(
        self, request: Request[Account, Any, Any], media_storage: NamedDependency[Storage], slug: FromPath[str]
    ) -> Template | Redirect:
        entry = await services.entry_for(request.user, slug, manage=True)
        upload, values = await _upload(request, "file")
        try:
            await services.add_image(
                media_storage, request.user, Owner(entry=entry["id"]), upload, values.get("alt_text")
            )
        except FormErrors as exc:
            return await self._entry_page(request, slug, exc.errors, values, status=422)
        flash(request, gettext("The image was added."), category="success")
        return Redirect(f"/register/{slug}/images", status_code=303)

    @post("/register/{slug:str}/images/{image_id:int}/delete", name="entry_images_delete", guards=[requires_editor])
    async def delete_entry_image(
        self,
        request: Request[Account, Any, Any],
        media_storage: NamedDependency[Storage],
        slug: FromPath[str],
        image_id: FromPath[int],
    ) -> Redirect:
        entry = await services.entry_for(request.user, slug, manage=True)
        await services.delete_image(media_storage, Owner(entry=entry["id"]), image_id)
        flash(request, gettext("The image was removed."), category="success")
        return Redirect(f"/register/{slug}/images", status_code=303)
