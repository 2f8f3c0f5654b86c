"""What the idea and register entry pages show from this package: the images, the pilot's document."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ideas.schemas import IdeaImage
from ideas.tables import Idea
from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.media import permissions, services
from participation.media.services import Owner
from participation.settings import Settings


async def idea_detail(request: Request, idea: Idea) -> dict[str, Any]:
    """The idea page's gallery (its caller already checked that the viewer may see the idea)."""
    return {
        "media_images": await services.images_of(Owner(idea=idea.id)),
        "media_document": await services.document_of(idea.id) if permissions.takes_document(idea) else None,
        "media_takes_document": permissions.takes_document(idea),
        "media_manage_url": f"/ideas/{idea.id}/images"
        if permissions.can_manage_idea_media(request.user, idea)
        else None,
        # Moderators remove someone's image with a reason (participation.moderation.images).
        "media_can_remove": has_role(request.user, Role.moderator),
    }


async def idea_api_detail(settings: Settings, viewer: Account | None, idea: Idea) -> dict[str, Any]:
    """The ideas API's detail: absolute addresses of the images and a pilot's document."""
    base = settings.base_url
    images = [
        IdeaImage(
            url=f"{base}{image['src']}",
            srcset=", ".join(f"{base}{part}" for part in image["srcset"].split(", ")),
            alt=image["alt_text"],
            width=image["width"],
            height=image["height"],
        )
        for image in await services.images_of(Owner(idea=idea.id))
    ]
    fields: dict[str, Any] = {"images": images}
    if permissions.takes_document(idea) and await services.document_of(idea.id):
        fields["document_url"] = f"{base}/ideas/{idea.id}/document"
    return fields


async def entry_detail(request: Request, entry: dict[str, Any], entry_id: int) -> dict[str, Any]:
    return {
        "media_images": await services.images_of(Owner(entry=entry_id)),
        "media_manage_url": f"/register/{entry['slug']}/images"
        if permissions.can_manage_entry_media(request.user)
        else None,
        "media_can_remove": False,
    }
