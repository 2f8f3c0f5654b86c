"""What a notification says, in the reader's language: one line in the app, a mail, a digest.

Notifications store a kind and a short payload, never a finished sentence, so the same row reads
in Dutch on the page and in English in an English reader's mail. Mails are plain text with a
simple HTML version (escaped: titles and reasons are people's words).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from participation.i18n import N_, format_date, gettext, in_locale, ngettext
from participation.notifications.tables import Category
from participation.settings import Settings

ENTRY_STATUS_LABELS = {
    "received": N_("Received"),
    "under_assessment": N_("Under assessment"),
    "planned": N_("Planned"),
    "running": N_("Running"),
    "completed": N_("Completed"),
    "stopped": N_("Stopped"),
    "declined": N_("Declined"),
}

# (kind, category) -> the line; a kind without its own line for a category uses its `None` line.
LINES: dict[tuple[str, str | None], str] = {
    ("idea_published", None): N_("Your idea “%(title)s” has been published: others can now support it."),
    ("idea_needs_changes", None): N_("The moderators ask you to change your idea “%(title)s”: %(reason)s"),
    ("idea_rejected", None): N_("Your idea “%(title)s” was not published: %(reason)s"),
    ("idea_merged", Category.my_ideas.value): N_(
        "Your idea “%(title)s” was merged into the same idea “%(original)s”; its supports count there."
    ),
    ("idea_merged", None): N_("The idea “%(title)s” was merged into “%(original)s”."),
    ("idea_routed", Category.my_ideas.value): N_(
        "Your idea “%(title)s” has been routed to the project register. The municipality responds by %(due)s."
    ),
    ("idea_routed", None): N_(
        "The idea “%(title)s” has been routed to the project register. The municipality responds by %(due)s."
    ),
    ("idea_expired", Category.my_ideas.value): N_(
        "The support period of your idea “%(title)s” ended without reaching the threshold."
    ),
    ("idea_expired", None): N_("The support period of the idea “%(title)s” ended without reaching the threshold."),
    ("idea_withdrawn", None): N_("The idea “%(title)s” was withdrawn by its author."),
    ("comment", None): N_("%(name)s commented on “%(title)s”."),
    ("reply", None): N_("%(name)s replied to your comment on “%(title)s”."),
    ("entry_status", Category.my_ideas.value): N_(
        "The project your idea went into, “%(title)s”, has a new status: %(status)s."
    ),
    ("entry_status", None): N_("The project “%(title)s” has a new status: %(status)s."),
    ("entry_update", Category.my_ideas.value): N_("The project your idea went into, “%(title)s”, posted an update."),
    ("entry_update", None): N_("The project “%(title)s” posted an update."),
}
SUBJECTS: dict[str, str] = {
    "idea_published": N_("Your idea has been published"),
    "idea_needs_changes": N_("Please change your idea"),
    "idea_rejected": N_("Your idea was not published"),
    "idea_merged": N_("An idea was merged"),
    "idea_routed": N_("An idea went to the project register"),
    "idea_expired": N_("A support period has ended"),
    "idea_withdrawn": N_("An idea was withdrawn"),
    "comment": N_("A new comment"),
    "reply": N_("A reply to your comment"),
    "entry_status": N_("A project has a new status"),
    "entry_update": N_("A project posted an update"),
}


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def dump_payload(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)


def load_payload(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _due(payload: Mapping[str, Any]) -> str:
    raw = payload.get("due")
    if not raw:
        return "-"
    try:
        return format_date(datetime.fromisoformat(str(raw)))
    except ValueError:
        return "-"


def describe(kind: str, category: str, payload: Mapping[str, Any]) -> str:
    """The notification as one sentence in the current language."""
    if kind == "staff_moderation":
        return gettext(
            N_("Moderation: %(queue)s submission(s) waiting in the queue, %(reports)s open report(s)."),
            queue=payload.get("queue", 0),
            reports=payload.get("reports", 0),
        )
    if kind == "staff_editor":
        return gettext(
            N_("Register: %(due)s routed entry(ies) due for a response within 7 days, %(overdue)s overdue."),
            due=payload.get("due_soon", 0),
            overdue=payload.get("overdue", 0),
        )
    line = LINES.get((kind, category)) or LINES.get((kind, None))
    if line is None:
        return gettext(N_("Something changed on “%(title)s”."), title=payload.get("title", ""))
    status = payload.get("status") or ""
    return gettext(
        line,
        title=payload.get("title", ""),
        reason=payload.get("reason") or "-",
        original=payload.get("original_title") or "",
        due=_due(payload),
        name=payload.get("name") or gettext(N_("A former participant")),
        status=gettext(ENTRY_STATUS_LABELS[status]) if status in ENTRY_STATUS_LABELS else status,
    )


def _footer(settings: Settings, unsubscribe_url: str | None) -> tuple[list[str], list[Markup]]:
    settings_url = f"{settings.base_url}/account#notification-settings"
    text = [
        "",
        "-- ",
        gettext(N_("Smart City %(city)s"), city=settings.city.name),
        gettext(N_("Change what we send you: %(url)s"), url=settings_url),
    ]
    html = [
        Markup("<hr><p>%s<br>") % gettext(N_("Smart City %(city)s"), city=settings.city.name),
        Markup('<a href="%s">%s</a>') % (settings_url, gettext(N_("Change what we send you"))),
    ]
    if unsubscribe_url:
        text.append(gettext(N_("Unsubscribe: %(url)s"), url=unsubscribe_url))
        html.append(Markup(' · <a href="%s">%s</a>') % (unsubscribe_url, gettext(N_("Unsubscribe"))))
    html.append(Markup("</p>"))
    return text, html


def _html(body: Sequence[Markup], footer: Sequence[Markup], locale: str) -> str:
    return str(
        Markup('<!DOCTYPE html><html lang="%s"><body>') % locale
        + Markup("").join([*body, *footer])
        + Markup("</body></html>")
    )


def notification_mail(
    settings: Settings,
    locale: str,
    *,
    kind: str,
    category: str,
    payload: Mapping[str, Any],
    link: str,
    unsubscribe_url: str | None,
) -> Mail:
    """One notification as a mail at once, in `locale`, with the city's name."""
    with in_locale(locale):
        url = f"{settings.base_url}{link}"
        line = describe(kind, category, payload)
        subject = f"{gettext(SUBJECTS.get(kind, N_('A notification')))} · {settings.city.name}"
        footer_text, footer_html = _footer(settings, unsubscribe_url)
        text = "\n".join([line, "", gettext(N_("Read more: %(url)s"), url=url), *footer_text])
        body = [Markup("<p>%s</p>") % line, Markup('<p><a href="%s">%s</a></p>') % (url, gettext(N_("Read more")))]
        return Mail(subject, text, _html(body, footer_html, locale))


def digest_mail(
    settings: Settings, locale: str, items: Sequence[Mapping[str, Any]], unsubscribe_url: str | None
) -> Mail:
    """A day's activity as one mail: one line and link per notification, oldest first."""
    with in_locale(locale):
        subject = (
            ngettext("%(num)s new update", "%(num)s new updates", len(items))
            + f" · {gettext(N_('Smart City %(city)s'), city=settings.city.name)}"
        )
        intro = gettext(N_("What happened yesterday on the ideas and projects you follow:"))
        lines, html_items = [intro, ""], []
        for item in items:
            line = describe(item["kind"], item["category"], load_payload(item["payload"]))
            url = f"{settings.base_url}{item['link']}"
            lines += [f"- {line}", f"  {url}"]
            html_items.append(Markup('<li>%s <a href="%s">%s</a></li>') % (line, url, gettext(N_("Read more"))))
        footer_text, footer_html = _footer(settings, unsubscribe_url)
        body = [Markup("<p>%s</p><ul>") % intro, *html_items, Markup("</ul>")]
        return Mail(subject, "\n".join([*lines, *footer_text]), _html(body, footer_html, locale))


def staff_mail(
    settings: Settings,
    locale: str,
    *,
    kind: str,
    payload: Mapping[str, Any],
    link: str,
    unsubscribe_url: str | None,
) -> Mail:
    """A daily staff summary: the counts, and for editors the entries with their due dates."""
    with in_locale(locale):
        line = describe(kind, Category.staff.value, payload)
        url = f"{settings.base_url}{link}"
        subject = f"{gettext(N_('Daily summary for staff'))} · {settings.city.name}"
        lines, html_items = [line, ""], []
        for entry in payload.get("entries", []):
            when = _due({"due": entry.get("due")})
            state = gettext(N_("overdue")) if entry.get("overdue") else gettext(N_("due %(date)s"), date=when)
            entry_url = f"{settings.base_url}/register/{entry.get('slug', '')}"
            lines.append(f"- {entry.get('title', '')} ({state}): {entry_url}")
            html_items.append(Markup('<li><a href="%s">%s</a> (%s)</li>') % (entry_url, entry.get("title", ""), state))
        lines.append(gettext(N_("Open: %(url)s"), url=url))
        footer_text, footer_html = _footer(settings, unsubscribe_url)
        body = [Markup("<p>%s</p>") % line]
        if html_items:
            body += [Markup("<ul>"), *html_items, Markup("</ul>")]
        body.append(Markup('<p><a href="%s">%s</a></p>') % (url, gettext(N_("Open"))))
        return Mail(subject, "\n".join([*lines, *footer_text]), _html(body, footer_html, locale))
