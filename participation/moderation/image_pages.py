"""The moderators' page to remove an image from an idea, with the reason the author reads."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.tables import Account
from participation.i18n import gettext
from participation.media.storage import Storage
from participation.moderation.guards import requires_moderation
from participation.moderation.images import image_to_remove, remove_image
from participation.validation import FormErrors


class ImageModerationPages(Controller):
    path = "/moderation/images"
    include_in_schema = False
    guards = [requires_moderation]

    @get("/{image_id:int}/remove", name="moderation_image_remove")
    async def confirm(self, request: Request[Account, Any, Any], image_id: FromPath[int]) -> Template:
        image = await image_to_remove(request.user, image_id)
        return Template("media/remove.html", context={"image": image, "errors": {}, "values": {}})

    @post("/{image_id:int}/remove", name="moderation_image_remove_submit")
    async def remove(
        self, request: Request[Account, Any, Any], media_storage: NamedDependency[Storage], image_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            idea_id = await remove_image(media_storage, request.user, image_id, form.get("reason"))
        except FormErrors as exc:
            image = await image_to_remove(request.user, image_id)
            return Template(
                "media/remove.html",
                context={"image": image, "errors": exc.errors, "values": {"reason": form.get("reason")}},
                status_code=422,
            )
        flash(request, gettext("The image was removed. The author has been told why."), category="success")
        return Redirect(f"/ideas/{idea_id}", status_code=303)
