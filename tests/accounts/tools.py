"""Small helpers for the accounts and core tests: reading pages, counting rows, extra clients."""

from __future__ import annotations

import re
from html import unescape

import httpx

from participation.accounts.tables import Account
from participation.i18n import translations


def dutch(msgid: str, **params: object) -> str:
    """What a Dutch (default) page shows for `msgid`: its translation, or the source while untranslated."""
    text = translations("nl").gettext(msgid)
    return text % params if params else text


def page_text(response: httpx.Response) -> str:
    """The HTML with entities decoded, so messages with apostrophes compare as written."""
    return unescape(response.text)


def field_error(response: httpx.Response, field: str) -> str | None:
    """The text of a field's inline error message, or None."""
    match = re.search(rf'id="f-{re.escape(field)}-error">([^<]*)<', response.text)
    return unescape(match.group(1)) if match else None


async def account_count() -> int:
    return await Account.count()


def another_browser(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A second browser (its own cookie jar) on the same running app."""
    return httpx.AsyncClient(transport=client._transport, base_url=client.base_url)
