"""Who is told what, and how by default (DESIGN.md section 6: notifications must not overwhelm).

Pure functions over an account, used by the services, the settings form and the digests alike.
"""

from __future__ import annotations

from participation.accounts.permissions import has_role
from participation.accounts.tables import Account, Role
from participation.notifications.tables import Category, Delivery

# Decisions about your own idea and replies to you come at once; activity you follow waits for
# the daily digest; staff summaries are daily by nature.
DEFAULTS: dict[Category, Delivery] = {
    Category.my_ideas: Delivery.immediate,
    Category.replies: Delivery.immediate,
    Category.following: Delivery.daily,
    Category.staff: Delivery.daily,
}
MEMBER_CATEGORIES = (Category.my_ideas, Category.following, Category.replies)


def receives_moderation_summary(account: Account | None) -> bool:
    return has_role(account, Role.moderator)


def receives_editor_summary(account: Account | None) -> bool:
    return has_role(account, Role.editor)


def is_summary_recipient(account: Account | None) -> bool:
    return receives_moderation_summary(account) or receives_editor_summary(account)


def categories_for(account: Account) -> tuple[Category, ...]:
    """The categories an account can set (staff summaries only for moderators and editors)."""
    return (*MEMBER_CATEGORIES, Category.staff) if is_summary_recipient(account) else MEMBER_CATEGORIES


def deliveries_for(category: Category) -> tuple[Delivery, ...]:
    """A staff summary is one message a day by nature: daily or off."""
    if category is Category.staff:
        return (Delivery.daily, Delivery.off)
    return (Delivery.immediate, Delivery.daily, Delivery.off)


def default_delivery(category: Category) -> Delivery:
    return DEFAULTS[category]


def can_receive_mail(account: Account | dict) -> bool:
    """Mail goes only to a confirmed address of an account that still exists."""
    get = account.get if isinstance(account, dict) else lambda name: getattr(account, name)
    return get("deleted_at") is None and get("email_verified_at") is not None
