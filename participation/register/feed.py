"""The register's change feed: `/register/feed.atom` (Atom 1.0, RFC 4287).

One feed item per public timeline update, newest first: a new entry (its first update), a
status change or a progress note. Only what the entry page shows publicly: never a draft's
updates, never who wrote it beyond the public role. Titles are in the reader's language (the
city's by default, `?lang=en` for English); the texts are as the editors wrote them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.i18n import N_, get_locale, gettext
from participation.lib.clock import utcnow
from participation.register import services
from participation.register.exports import export_response
from participation.register.open_data import OPEN_DATA, absolute, license_of, open_data_headers, publisher_name
from participation.register.schemas import entry_url
from participation.register.tables import RegisterUpdate
from participation.settings import Settings

ATOM = "http://www.w3.org/2005/Atom"
PATH = "/register/feed.atom"
LIMIT = 50
STATUS_NAMES = {
    "received": N_("Received"),
    "under_assessment": N_("Under assessment"),
    "planned": N_("Planned"),
    "running": N_("Running"),
    "completed": N_("Completed"),
    "stopped": N_("Stopped"),
    "declined": N_("Declined"),
}


async def feed_items(limit: int = LIMIT) -> list[dict[str, Any]]:
    """The newest public timeline updates of published entries."""
    rows = await (
        RegisterUpdate.select(
            RegisterUpdate.created_at,
            RegisterUpdate.status,
            RegisterUpdate.previous_status,
            RegisterUpdate.text,
            RegisterUpdate.author_role,
            RegisterUpdate.entry.slug.as_alias("slug"),
            RegisterUpdate.entry.title.as_alias("title"),
        )
        .where(RegisterUpdate.entry.draft.eq(False))
        .order_by(RegisterUpdate.created_at, RegisterUpdate.id, ascending=False)
        .limit(limit)
    )
    return services._in_readers_language(rows)


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def item_title(item: dict[str, Any]) -> str:
    if item["status"] and item["previous_status"] is None:
        return gettext("New in the register: %(title)s", title=item["title"])
    if item["status"]:
        status = gettext(STATUS_NAMES.get(item["status"], item["status"]))
        return gettext("Status of %(title)s: %(status)s", title=item["title"], status=status)
    return gettext("%(title)s: progress update", title=item["title"])


def _tag(settings: Settings, item: dict[str, Any]) -> str:
    """A stable id (RFC 4151 tag URI): the host, the entry and the update's moment."""
    host = urlsplit(settings.base_url).hostname or "localhost"
    moment = _utc(item["created_at"])
    return f"tag:{host},{moment.date().isoformat()}:register/{item['slug']}/{moment.strftime('%Y%m%dT%H%M%S.%fZ')}"


def build_feed(settings: Settings, items: list[dict[str, Any]]) -> bytes:
    # Atom as the default namespace of this document only (plain tags under an xmlns attribute):
    # ET.register_namespace is process-wide and would take the statistics' SVG charts' default.
    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": get_locale()})
    sub(feed, "id", absolute(settings, PATH))
    sub(feed, "title", gettext("Smart City project register of %(city)s: changes", city=settings.city.name))
    sub(feed, "subtitle", gettext("New projects, status changes and progress updates in the public register."))
    updated = max((_utc(i["created_at"]) for i in items), default=utcnow())
    sub(feed, "updated", updated.isoformat())
    sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(settings, PATH))
    sub(feed, "link", rel="alternate", type="text/html", href=absolute(settings, "/register"))
    sub(feed, "link", rel="license", href=license_of(settings)["url"])
    sub(feed, "rights", license_of(settings)["name"])
    author = sub(feed, "author")
    sub(author, "name", publisher_name(settings))
    sub(author, "uri", settings.base_url)
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", _tag(settings, item))
        sub(entry, "title", item_title(item))
        moment = _utc(item["created_at"]).isoformat()
        sub(entry, "published", moment)
        sub(entry, "updated", moment)
        sub(entry, "link", rel="alternate", type="text/html", href=entry_url(settings.base_url, item["slug"]))
        if item["status"]:
            sub(entry, "category", term=item["status"], label=gettext(STATUS_NAMES.get(item["status"], item["status"])))
        sub(entry, "content", item["text"], type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


class RegisterFeed(Controller):
    include_in_schema = False

    @get(PATH, name="register_feed", opt=OPEN_DATA)
    async def feed(self, request: Request, settings: NamedDependency[Settings]) -> Response:
        async def build() -> bytes:
            return build_feed(settings, await feed_items())

        return await export_response(
            request, f"feed-{get_locale()}", "application/atom+xml; charset=utf-8", build, open_data_headers(settings)
        )
