"""API input and output: msgspec Structs, separate for create, update and read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from participation.validation import RecordId


class IdeaCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    summary: str
    theme: str
    neighbourhood: str
    scope: str
    body: str = ""
    location: str = ""
    # A point in WGS84, both or neither, inside the municipality.
    latitude: float | None = None
    longitude: float | None = None
    kind: Literal["idea", "pilot"] = "idea"
    pilot_what: str = ""
    pilot_where: str = ""
    pilot_duration_weeks: int | None = None
    pilot_asks: list[str] = []
    pilot_ask_details: str = ""
    pilot_personal_data: bool | None = None
    pilot_personal_data_details: str = ""
    pilot_partners: str = ""


class IdeaUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial update: only the fields sent change (the kind never does)."""

    title: str | UnsetType = UNSET
    summary: str | UnsetType = UNSET
    theme: str | UnsetType = UNSET
    neighbourhood: str | UnsetType = UNSET
    scope: str | UnsetType = UNSET
    body: str | UnsetType = UNSET
    location: str | UnsetType = UNSET
    latitude: float | None | UnsetType = UNSET
    longitude: float | None | UnsetType = UNSET
    pilot_what: str | UnsetType = UNSET
    pilot_where: str | UnsetType = UNSET
    pilot_duration_weeks: int | None | UnsetType = UNSET
    pilot_asks: list[str] | UnsetType = UNSET
    pilot_ask_details: str | UnsetType = UNSET
    pilot_personal_data: bool | None | UnsetType = UNSET
    pilot_personal_data_details: str | UnsetType = UNSET
    pilot_partners: str | UnsetType = UNSET


class WithdrawRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: Literal["elsewhere", "not_feasible", "duplicate", "other"]


class IdeaItem(msgspec.Struct):
    id: int
    title: str
    summary: str
    kind: str
    theme: str
    neighbourhood: str
    scope: str
    status: str
    support_count: int
    # Of support_count, the supports of verified residents and organisations.
    verified_support_count: int
    comment_count: int
    created_at: datetime
    published_at: datetime | None
    url: str


class IdeaImage(msgspec.Struct):
    """One image of an idea: `url` is the widest encoding, `srcset` every width (HTML's syntax)."""

    url: str
    srcset: str
    alt: str
    width: int
    height: int


class IdeaDetail(IdeaItem, omit_defaults=True):
    """A list item plus the detail fields."""

    body_html: str
    author: str
    # The author is an organisation whose KvK number was verified.
    author_verified_organisation: bool = False
    support_closes_at: datetime | None = None
    # Filled by the voting package: the idea's threshold, whether the token's account supports it,
    # and, once routed, the register entry's slug, status, response due time and whether that is overdue.
    threshold: int | None = None
    # Which figure the threshold is compared with: "all" (support_count) or "verified" (verified_support_count).
    threshold_counts: str | None = None
    supported: bool | None = None
    register_entry: str | None = None
    register_entry_status: str | None = None
    register_entry_response_due_at: datetime | None = None
    register_entry_response_overdue: bool | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    withdraw_reason: str | None = None
    merged_into: int | None = None
    # Pilot proposals only.
    pilot_what: str | None = None
    pilot_where: str | None = None
    pilot_duration_weeks: int | None = None
    pilot_asks: list[str] | None = None
    pilot_ask_details: str | None = None
    pilot_personal_data: bool | None = None
    pilot_personal_data_details: str | None = None
    pilot_partners: str | None = None
    # Filled by the media package: the images (in their order) and a pilot's PDF.
    images: list[IdeaImage] | None = None
    document_url: str | None = None
    # For the author and moderators only.
    moderator_message: str | None = None
    rejection_reason: str | None = None


class IdeaList(msgspec.Struct):
    items: list[IdeaItem]
    # Exact up to 1,000; beyond that counting would scan every match, so `total` is 1,000 and not exact.
    total: int
    page: int
    per_page: int
    total_exact: bool = True
    has_next: bool = False


class CommentCreate(msgspec.Struct, forbid_unknown_fields=True):
    body: str
    parent_id: RecordId | None = None


class CommentUpdate(msgspec.Struct, forbid_unknown_fields=True):
    body: str


class CommentItem(msgspec.Struct):
    id: int
    idea_id: int
    parent_id: int | None
    author: str | None
    body: str | None
    status: str
    created_at: datetime
    edited_at: datetime | None
    # Set while a moderator has hidden the comment: the public reason category (body and author are null).
    hidden_reason: str | None = None
    # The first replies (oldest first); `reply_count` counts them all (page with `parent_id`).
    replies: list[CommentItem] = []
    reply_count: int = 0


class FollowState(msgspec.Struct):
    idea_id: int
    following: bool


class ChoiceItem(msgspec.Struct):
    slug: str
    name: str
