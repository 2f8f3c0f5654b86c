"""The daily messages: a digest of yesterday's `daily` notifications, and the staff summaries.

Run by the periodic task (participation.tasks.run_once) as often as it likes: a `Digest` row
per (account, local day, kind) is written, under a unique index, in the same transaction as the
message, so a day's digest or summary goes out once even when two workers run the job at once.
Nothing is sent to someone with nothing to read.

Digest day: the job sends, for each recipient, everything still waiting from before the start
of today (city time) as the digest of yesterday. An item committed just after that day's digest
went out waits for the next one; nothing is dropped or sent twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ideas.tables import Idea, IdeaStatus
from participation.accounts.tables import Account, Role
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.moderation.tables import Report, ReportStatus
from participation.notifications import texts
from participation.notifications.permissions import (
    can_receive_mail,
    receives_editor_summary,
    receives_moderation_summary,
)
from participation.notifications.services import DIGEST_SCOPE, Notifier, delivery_settings, unsubscribe_url
from participation.notifications.tables import Category, Delivery, Digest, DigestKind, Notification
from participation.register.tables import RegisterEntry, Status

DUE_SOON = timedelta(days=7)
MAX_LISTED_ENTRIES = 20
BATCH = 500


def local_day_start(settings_tz: str, now: datetime) -> tuple[date, datetime]:
    """Today's date in the city and the UTC instant it began."""
    today = now.astimezone(ZoneInfo(settings_tz)).date()
    start = datetime.combine(today, time(0, 0), tzinfo=ZoneInfo(settings_tz)).astimezone(ZoneInfo("UTC"))
    return today, start


def _pending(cutoff: datetime):
    return (
        (Notification.delivery == Delivery.daily.value)
        & Notification.digested_at.is_null()
        & (Notification.created_at < cutoff)
    )


async def _claim_digest(account_id: int, day: date, kind: DigestKind, items: int, now: datetime) -> int | None:
    """The day's digest row, or None when it was already written (the job ran before)."""
    rows = (
        await Digest.insert(Digest(account=account_id, day=day, kind=kind.value, items=items, created_at=now))
        .on_conflict(target=(Digest.account, Digest.day, Digest.kind), action="DO NOTHING")
        .returning(Digest.id)
    )
    return rows[0]["id"] if rows else None


# -- the activity digest -------------------------------------------------------------------


async def send_daily_digests(notifier: Notifier, now: datetime | None = None) -> int:
    """One message per recipient with everything that waited for the digest; returns how many were sent."""
    now = now or utcnow()
    today, cutoff = local_day_start(notifier.settings.city.timezone, now)
    yesterday = today - timedelta(days=1)
    sent, after = 0, 0
    while True:
        # Keyset pages of recipients: the job's memory and queries stay bounded however many wait.
        batch = (
            await Notification.select(Notification.account)
            .where(_pending(cutoff) & (Notification.account > after))
            .distinct()
            .order_by(Notification.account)
            .limit(BATCH)
            .output(as_list=True)
        )
        if not batch:
            return sent
        for account_id in batch:
            async with write_transaction():
                sent += await _send_digest(notifier, account_id, yesterday, cutoff, now)
        after = batch[-1]


async def _send_digest(notifier: Notifier, account_id: int, day: date, cutoff: datetime, now: datetime) -> int:
    account = (
        await Account.select(Account.id, Account.email, Account.locale, Account.email_verified_at, Account.deleted_at)
        .where(Account.id == account_id)
        .first()
    )
    items = (
        await Notification.select(
            Notification.id, Notification.kind, Notification.category, Notification.payload, Notification.link
        )
        .where(_pending(cutoff) & (Notification.account == account_id))
        .order_by(Notification.created_at)
        .order_by(Notification.id)
    )
    if not items or account is None:
        return 0
    mailable = can_receive_mail(account)
    digest_id = await _claim_digest(account_id, day, DigestKind.activity, len(items), now) if mailable else None
    if mailable and digest_id is None:
        return 0  # this day's digest went out already; what arrived since waits for the next one
    await Notification.update({Notification.digested_at: now, Notification.digest: digest_id}).where(
        Notification.id.is_in([item["id"] for item in items])
    )
    if not mailable:
        return 0
    stop_url = unsubscribe_url(notifier.settings, account_id, DIGEST_SCOPE)
    mail = texts.digest_mail(notifier.settings, account["locale"], items, stop_url)
    await notifier.send(
        to=account["email"],
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        category="digest",
        locale=account["locale"],
        unsubscribe_url=stop_url,
    )
    return 1


# -- staff summaries ---------------------------------------------------------------------


async def _moderation_summary(now: datetime) -> dict[str, Any] | None:
    queue = await Idea.count().where(Idea.status == IdeaStatus.submitted.value)
    reports = await Report.count().where(Report.status == ReportStatus.open.value)
    return {"queue": queue, "reports": reports} if queue or reports else None


async def _editor_summary(now: datetime) -> dict[str, Any] | None:
    """Routed entries still waiting for a response: due within 7 days, and overdue."""
    waiting = (RegisterEntry.status == Status.received.value) & RegisterEntry.response_due_at.is_not_null()
    due_by = now + DUE_SOON
    overdue = await RegisterEntry.count().where(waiting & (RegisterEntry.response_due_at < now))
    due_soon = await RegisterEntry.count().where(
        waiting & (RegisterEntry.response_due_at >= now) & (RegisterEntry.response_due_at <= due_by)
    )
    if not overdue and not due_soon:
        return None
    entries = (
        await RegisterEntry.select(RegisterEntry.slug, RegisterEntry.title, RegisterEntry.response_due_at)
        .where(waiting & (RegisterEntry.response_due_at <= due_by))
        .order_by(RegisterEntry.response_due_at)
        .limit(MAX_LISTED_ENTRIES)
    )
    return {
        "due_soon": due_soon,
        "overdue": overdue,
        "entries": [
            {
                "slug": e["slug"],
                "title": e["title"],
                "due": e["response_due_at"].isoformat(),
                "overdue": e["response_due_at"] < now,
            }
            for e in entries
        ],
    }


async def send_staff_summaries(notifier: Notifier, now: datetime | None = None) -> int:
    """Moderators: the queue and open reports; editors: response deadlines. Once a day, only when there is any."""
    now = now or utcnow()
    today, _start = local_day_start(notifier.settings.city.timezone, now)
    moderation = await _moderation_summary(now)
    editing = await _editor_summary(now)
    if moderation is None and editing is None:
        return 0
    staff = await Account.objects().where(
        Account.role.is_in([Role.moderator.value, Role.editor.value, Role.admin.value])
        & Account.deleted_at.is_null()
        & Account.suspended_at.is_null()
    )
    sent = 0
    for account in staff:
        summaries = []
        if moderation is not None and receives_moderation_summary(account):
            summaries.append((DigestKind.moderation, "staff_moderation", moderation, "/moderation"))
        if editing is not None and receives_editor_summary(account):
            summaries.append((DigestKind.editor, "staff_editor", editing, "/register"))
        for digest_kind, kind, payload, link in summaries:
            async with write_transaction():
                sent += await _send_summary(notifier, account, today, digest_kind, kind, payload, link, now)
    return sent


async def _send_summary(
    notifier: Notifier,
    account: Account,
    day: date,
    digest_kind: DigestKind,
    kind: str,
    payload: dict[str, Any],
    link: str,
    now: datetime,
) -> int:
    digest_id = await _claim_digest(account.id, day, digest_kind, 1, now)
    if digest_id is None:
        return 0
    delivery = (await delivery_settings(account)).get(Category.staff, Delivery.off)
    mailed = delivery is not Delivery.off and can_receive_mail(account)
    await Notification.insert(
        Notification(
            account=account.id,
            category=Category.staff.value,
            kind=kind,
            payload=texts.dump_payload(payload),
            link=link,
            delivery=delivery.value,
            created_at=now,
            emailed_at=now if mailed else None,
            # The summary is its own daily message: never an item of the activity digest.
            digested_at=now,
            digest=digest_id,
        )
    )
    if not mailed:
        return 0
    stop_url = unsubscribe_url(notifier.settings, account.id, Category.staff.value)
    mail = texts.staff_mail(
        notifier.settings, account.locale, kind=kind, payload=payload, link=link, unsubscribe_url=stop_url
    )
    await notifier.send(
        to=account.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        category=Category.staff.value,
        locale=account.locale,
        unsubscribe_url=stop_url,
    )
    return 1
