"""Notification use cases: write them (in the caller's transaction), list and mark them read,
choose how each category is delivered, and unsubscribe from a mail without signing in.

`Notifier` carries what writing a notification needs besides the rows: the settings (the base
URL, the city's name, the secret for unsubscribe links) and the sender of mail (the outbox's
`enqueue`, typed by `notifications.mailer.SendMail`). The composition root builds one for the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from participation.accounts import signed_links
from participation.accounts.tables import Account
from participation.database import write_transaction
from participation.i18n import N_
from participation.lib.clock import utcnow
from participation.notifications import texts
from participation.notifications.mailer import SendMail
from participation.notifications.permissions import (
    can_receive_mail,
    categories_for,
    default_delivery,
    deliveries_for,
)
from participation.notifications.tables import Category, Delivery, Notification, NotificationSetting
from participation.outbox.services import enqueue
from participation.settings import Settings
from participation.validation import DomainError, FormErrors

PER_PAGE = 50
# Recipients per SELECT ... IN and per multi-row INSERT (11 columns a row stay far below 32,767 parameters).
RECIPIENTS_PER_STATEMENT = 1000
# "digest" in an unsubscribe link: stop every category that is now delivered in the daily digest.
DIGEST_SCOPE = "digest"
UNSUBSCRIBE_SCOPES = (*(c.value for c in Category), DIGEST_SCOPE)
# Unsubscribe links in old mails keep working (RFC 8058 clients may use them much later).
UNSUBSCRIBE_VALID_S = 10 * 365 * 24 * 3600
MAX_TEXT = 500


@dataclass(frozen=True)
class Notifier:
    settings: Settings
    send: SendMail = field(default=enqueue)


# -- unsubscribe links ---------------------------------------------------------------


def _purpose(scope: str) -> str:
    return f"unsubscribe:{scope}"


def unsubscribe_url(settings: Settings, account_id: int, scope: str) -> str:
    token = signed_links.make_token(
        settings.secret_key, _purpose(scope), account_id, fingerprint="", valid_seconds=UNSUBSCRIBE_VALID_S
    )
    return f"{settings.base_url}/unsubscribe/{scope}?token={token}"


async def account_for_unsubscribe(settings: Settings, scope: str, token: str) -> Account:
    """The account an unsubscribe link is for; a wrong or forged link is a 404."""
    if scope not in UNSUBSCRIBE_SCOPES:
        raise DomainError(N_("This unsubscribe link is not valid."), 404)
    try:
        signed_links.check_token(settings.secret_key, _purpose(scope), token, fingerprint="")
        account_id = signed_links.read_account_id(token)
    except signed_links.InvalidLink as exc:
        raise DomainError(N_("This unsubscribe link is not valid."), 404) from exc
    account = await Account.objects().get(Account.id == account_id)
    if account is None or account.deleted_at is not None:
        raise DomainError(N_("This unsubscribe link is not valid."), 404)
    return account


async def unsubscribe(settings: Settings, scope: str, token: str) -> Account:
    """Stop the mails of one category (or of the daily digest): one click, no sign-in."""
    account = await account_for_unsubscribe(settings, scope, token)
    current = await delivery_settings(account)
    if scope == DIGEST_SCOPE:
        stopped = [category for category, delivery in current.items() if delivery is Delivery.daily]
    else:
        stopped = [Category(scope)]
    async with write_transaction():
        for category in stopped:
            await _set_delivery(account.id, category, Delivery.off)
    return account


# -- settings -------------------------------------------------------------------------


async def _chosen(account_ids: list[int]) -> dict[int, dict[str, str]]:
    rows = await NotificationSetting.select(
        NotificationSetting.account, NotificationSetting.category, NotificationSetting.delivery
    ).where(NotificationSetting.account.is_in(account_ids))
    chosen: dict[int, dict[str, str]] = {}
    for row in rows:
        chosen.setdefault(row["account"], {})[row["category"]] = row["delivery"]
    return chosen


async def delivery_settings(account: Account) -> dict[Category, Delivery]:
    """How each category this account can set is delivered (its choice, or the default)."""
    chosen = (await _chosen([account.id])).get(account.id, {})
    return {
        category: Delivery(chosen.get(category.value, default_delivery(category).value))
        for category in categories_for(account)
    }


async def _set_delivery(account_id: int, category: Category, delivery: Delivery) -> None:
    await NotificationSetting.insert(
        NotificationSetting(account=account_id, category=category.value, delivery=delivery.value, updated_at=utcnow())
    ).on_conflict(
        target=(NotificationSetting.account, NotificationSetting.category),
        action="DO UPDATE",
        values=[NotificationSetting.delivery, NotificationSetting.updated_at],
    )


async def save_settings(account: Account, posted: Mapping[str, Any]) -> dict[Category, Delivery]:
    """The settings form: one choice per category the account can set; nothing saved on an error."""
    errors: dict[str, str] = {}
    wanted: dict[Category, Delivery] = {}
    for category in categories_for(account):
        value = posted.get(category.value)
        allowed = deliveries_for(category)
        if value not in {d.value for d in allowed}:
            errors[category.value] = N_("Choose an option from the list.")
            continue
        wanted[category] = Delivery(value)
    if errors:
        raise FormErrors(errors)
    async with write_transaction():
        for category, delivery in wanted.items():
            await _set_delivery(account.id, category, delivery)
    return wanted


# -- writing notifications (inside the caller's transaction) ---------------------------------


def short(text: object, limit: int = MAX_TEXT) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


async def notify(
    notifier: Notifier,
    recipients: Mapping[int, Category],
    *,
    kind: str,
    payload: Mapping[str, Any],
    link: str,
    at: datetime,
    idea_id: int | None = None,
    entry_id: int | None = None,
) -> int:
    """One in-app notification per recipient, and a mail now for those who want it immediately.

    Runs in the caller's transaction (a domain event's handler): the rows and the outbox
    messages commit or roll back with the change that caused them. Returns how many were written.
    """
    if not recipients:
        return 0
    ids = sorted(recipients)
    raw_payload = texts.dump_payload(payload)
    written, mails = 0, []
    # In chunks: a popular idea has tens of thousands of supporters, and one IN list or one
    # multi-row INSERT for all of them passes the drivers' limit of 32,767 parameters.
    for start in range(0, len(ids), RECIPIENTS_PER_STATEMENT):
        chunk = ids[start : start + RECIPIENTS_PER_STATEMENT]
        accounts = await Account.select(
            Account.id, Account.email, Account.locale, Account.email_verified_at, Account.deleted_at
        ).where(Account.id.is_in(chunk))
        chosen = await _chosen(chunk)
        rows = []
        for account in accounts:
            if account["deleted_at"] is not None:
                continue
            category = recipients[account["id"]]
            delivery = Delivery(chosen.get(account["id"], {}).get(category.value, default_delivery(category).value))
            if delivery is not Delivery.off and not can_receive_mail(account):
                delivery = Delivery.off  # nothing would ever be sent; the app still shows it
            rows.append(
                Notification(
                    account=account["id"],
                    category=category.value,
                    kind=kind,
                    idea_id=idea_id,
                    entry_id=entry_id,
                    payload=raw_payload,
                    link=link,
                    delivery=delivery.value,
                    created_at=at,
                    emailed_at=at if delivery is Delivery.immediate else None,
                )
            )
            if delivery is Delivery.immediate:
                mails.append((account, category))
        if rows:
            await Notification.insert(*rows)
        written += len(rows)
    for account, category in mails:
        stop_url = unsubscribe_url(notifier.settings, account["id"], category.value)
        mail = texts.notification_mail(
            notifier.settings,
            account["locale"],
            kind=kind,
            category=category.value,
            payload=payload,
            link=link,
            unsubscribe_url=stop_url,
        )
        await notifier.send(
            to=account["email"],
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            category=category.value,
            locale=account["locale"],
            unsubscribe_url=stop_url,
        )
    return written


# -- reading and marking ----------------------------------------------------------------


async def unread_count(account_id: int) -> int:
    return await Notification.count().where((Notification.account == account_id) & Notification.read_at.is_null())


async def list_notifications(account: Account, page: int = 1) -> tuple[list[dict[str, Any]], int]:
    """Newest first, each with its sentence in the reader's language and its link."""
    where = Notification.account == account.id
    total = await Notification.count().where(where)
    rows = (
        await Notification.select(
            Notification.id,
            Notification.kind,
            Notification.category,
            Notification.payload,
            Notification.link,
            Notification.created_at,
            Notification.read_at,
        )
        .where(where)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
        .limit(PER_PAGE)
        .offset((max(page, 1) - 1) * PER_PAGE)
    )
    for row in rows:
        row["text"] = texts.describe(row["kind"], row["category"], texts.load_payload(row["payload"]))
    return rows, total


async def mark_read(account: Account, notification_id: int) -> None:
    """Only the account's own notification; someone else's id changes nothing."""
    async with write_transaction():
        await Notification.update({Notification.read_at: utcnow()}).where(
            (Notification.id == notification_id) & (Notification.account == account.id) & Notification.read_at.is_null()
        )


async def mark_all_read(account: Account) -> int:
    async with write_transaction():
        changed = (
            await Notification.update({Notification.read_at: utcnow()})
            .where((Notification.account == account.id) & Notification.read_at.is_null())
            .returning(Notification.id)
        )
    return len(changed)
