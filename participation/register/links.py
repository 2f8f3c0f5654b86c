"""Links between entries: a follow-on, a replacement, a part of a larger project.

Stored once, one direction (`source` is a follow-on of / replaces / is part of `target`), and
shown on both entries: the other side reads the inverse ("followed by", "replaced by", "has
parts"). Editors choose a relation from the entry they are on, so every relation has an
inverse name that is stored by swapping the two ends.
"""

from __future__ import annotations

import re
from typing import Any

from participation.accounts.tables import Account
from participation.database import is_unique_violation, write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.register.tables import Decision, LinkKind, RegisterEntry, RegisterLink
from participation.register.visibility import published, sees_internal
from participation.validation import DomainError, FormErrors, clean_text

# Relation seen from the entry the editor is on -> (stored kind, whether this entry is the source).
RELATIONS: dict[str, tuple[LinkKind, bool]] = {
    "follow_on": (LinkKind.follow_on, True),
    "followed_by": (LinkKind.follow_on, False),
    "replaces": (LinkKind.replaces, True),
    "replaced_by": (LinkKind.replaces, False),
    "part_of": (LinkKind.part_of, True),
    "has_part": (LinkKind.part_of, False),
}
# Labels as "this entry <label> the other one".
RELATION_LABELS = {
    "follow_on": N_("Follow-on of"),
    "followed_by": N_("Followed by"),
    "replaces": N_("Replaces"),
    "replaced_by": N_("Replaced by"),
    "part_of": N_("Part of"),
    "has_part": N_("Has part"),
}
_SLUG_IN = re.compile(r"(?:^|/register/)([a-z0-9][a-z0-9-]{0,89})/?$")


def relation_of(kind: str, outgoing: bool) -> str:
    """The relation name as seen from one end of a stored link."""
    for name, (stored, is_source) in RELATIONS.items():
        if stored.value == kind and is_source == outgoing:
            return name
    raise ValueError(kind)


def _other_slug(reference: object) -> str | None:
    """The other entry as its address or slug (an editor pastes either)."""
    text = clean_text(reference).split("?")[0].split("#")[0].lower()
    match = _SLUG_IN.search(text)
    return match.group(1) if match else None


async def _entry_id(slug: str) -> int | None:
    row = await RegisterEntry.select(RegisterEntry.id).where(RegisterEntry.slug == slug).first()
    return row["id"] if row else None


def _require_staff(account: Account | None) -> None:
    if not sees_internal(account):
        raise DomainError(N_("Only register editors can change the register."), 403)


async def insert_link(source_id: int, target_id: int, kind: LinkKind, account: Account | None) -> RegisterLink:
    """Store a link inside the caller's write transaction (the rules: no self-link, one link per pair)."""
    if source_id == target_id:
        raise FormErrors({"other": N_("An entry cannot be linked to itself.")})
    pair = (RegisterLink.source.is_in([source_id, target_id])) & (RegisterLink.target.is_in([source_id, target_id]))
    if await RegisterLink.exists().where(pair):
        raise FormErrors({"other": N_("These entries are already linked.")})
    link = RegisterLink(
        source=source_id,
        target=target_id,
        kind=kind.value,
        created_at=utcnow(),
        created_by=account.id if account else None,
    )
    await link.save()
    return link


async def add_link(account: Account, slug: str, relation: object, other: object) -> RegisterLink:
    """An editor links the entry at `slug` to another one, from this entry's point of view."""
    _require_staff(account)
    relation = clean_text(relation)
    if relation not in RELATIONS:
        raise FormErrors({"relation": N_("Choose an option from the list.")})
    other_slug = _other_slug(other)
    if other_slug is None:
        raise FormErrors({"other": N_("Enter the address of another register entry.")})
    kind, this_is_source = RELATIONS[relation]
    try:
        async with write_transaction():
            this_id = await _entry_id(slug)
            if this_id is None:
                raise DomainError(N_("There is no register entry at this address."), 404)
            other_id = await _entry_id(other_slug)
            if other_id is None:
                raise FormErrors({"other": N_("There is no register entry at this address.")})
            source, target = (this_id, other_id) if this_is_source else (other_id, this_id)
            return await insert_link(source, target, kind, account)
    except Exception as exc:
        if is_unique_violation(exc):  # the same link added at the same moment: the index kept one
            raise FormErrors({"other": N_("These entries are already linked.")}) from exc
        raise


async def remove_link(account: Account, slug: str, link_id: int) -> None:
    _require_staff(account)
    async with write_transaction():
        this_id = await _entry_id(slug)
        if this_id is None:
            raise DomainError(N_("There is no register entry at this address."), 404)
        removed = (
            await RegisterLink.delete()
            .where((RegisterLink.id == link_id) & ((RegisterLink.source == this_id) | (RegisterLink.target == this_id)))
            .returning(RegisterLink.id)
        )
        if not removed:
            raise DomainError(N_("This link no longer exists."), 404)


async def links_for(entry_id: int, viewer: Account | None) -> list[dict[str, Any]]:
    """Both directions as seen from this entry, the other end's title and status; drafts only for staff."""
    staff = sees_internal(viewer)
    columns = (RegisterLink.id, RegisterLink.kind, RegisterLink.created_at)
    outgoing = RegisterLink.select(
        *columns,
        RegisterLink.target.slug.as_alias("slug"),
        RegisterLink.target.title.as_alias("title"),
        RegisterLink.target.status.as_alias("status"),
        RegisterLink.target.draft.as_alias("draft"),
    ).where(RegisterLink.source == entry_id)
    incoming = RegisterLink.select(
        *columns,
        RegisterLink.source.slug.as_alias("slug"),
        RegisterLink.source.title.as_alias("title"),
        RegisterLink.source.status.as_alias("status"),
        RegisterLink.source.draft.as_alias("draft"),
    ).where(RegisterLink.target == entry_id)
    if not staff:
        outgoing = outgoing.where(published(RegisterLink.target))
        incoming = incoming.where(published(RegisterLink.source))
    links = []
    for rows, is_source in ((await outgoing, True), (await incoming, False)):
        for row in rows:
            row["relation"] = relation_of(row["kind"], is_source)
            row["label"] = RELATION_LABELS[row["relation"]]
            links.append(row)
    order = list(RELATIONS)
    links.sort(key=lambda link: (order.index(link["relation"]), link["title"].lower()))
    return links


def offers_follow_on(entry: dict[str, Any], links: list[dict[str, Any]]) -> bool:
    """A "scale up" lesson asks for the follow-on project, until one is linked."""
    decided = entry.get("lessons_decision") == Decision.scale_up.value
    return decided and not any(link["relation"] == "followed_by" for link in links)


async def create_follow_on_link(new_entry_id: int, previous_slug: str, account: Account) -> None:
    """Within the new entry's transaction: it is the follow-on of `previous_slug`."""
    previous_id = await _entry_id(previous_slug)
    if previous_id is None:
        raise FormErrors({"follow_on": N_("There is no register entry at this address.")})
    await insert_link(new_entry_id, previous_id, LinkKind.follow_on, account)
