"""Who may see and manage the images and documents of an idea or register entry: pure functions.

Seeing follows the owner: an idea's images exist for whoever may see the idea (everyone else gets
the same 404 as for the idea), a draft entry's for staff only. Managing follows editing: the
author while the idea may be edited (so moderators review the images with the text), editors
for the register.
"""

from __future__ import annotations

from ideas import permissions as ideas
from ideas.tables import Idea, IdeaKind
from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.register.permissions import can_edit_register

MAX_IMAGES = 5


def can_view_idea_media(account: Account | None, idea: Idea) -> bool:
    return ideas.can_view(account, idea)


def can_manage_idea_media(account: Account | None, idea: Idea) -> bool:
    return ideas.can_edit(account, idea)


def takes_document(idea: Idea) -> bool:
    return idea.kind == IdeaKind.pilot.value


def can_view_entry_media(account: Account | None, draft: bool) -> bool:
    return not draft or has_role(account, Role.moderator, Role.editor)


def can_manage_entry_media(account: Account | None) -> bool:
    return can_edit_register(account)


def is_public_idea(idea: Idea) -> bool:
    """Whether a browser or proxy may keep a copy for everyone (otherwise: private, no store)."""
    return ideas.is_public(idea) and idea.status != "hidden"
