"""What the idea and register entry pages show from this package: the images, the pilot's document."""

from __future__ import annotations

from typing import Any

from litestar import Request

from ideas.tables import Idea
from participation.accounts.permissions import has_role
from participation.accounts.tables import Role
from participation.media import permissions, services
from participation.media.services import Owner
from participation.register.tables import RegisterEntry


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


async def entry_detail(request: Request, entry: dict[str, Any]) -> dict[str, Any]:
    row = await RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.slug == entry["slug"]).first()
    if row is None:
        return {}
    return {
        "media_images": await services.images_of(Owner(entry=row["id"])),
        "media_manage_url": f"/register/{entry['slug']}/images"
        if permissions.can_manage_entry_media(request.user)
        else None,
        "media_can_remove": False,
    }
