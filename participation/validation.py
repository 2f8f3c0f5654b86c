"""Input validation shared by the HTML forms and the JSON API.

Services raise `FormErrors` with one message per field (English source strings,
translated where they are shown); controllers re-render the form with them, the
API returns them as problem details.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated

import msgspec
from litestar.params import QueryParameter

from participation.i18n import N_, gettext


class Message:
    """A translatable message with parameters; rendered in the locale current when shown."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: object):
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        return gettext(self.msgid, **self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.msgid)


class FormErrors(Exception):
    def __init__(self, errors: Mapping[str, Message | str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = {k: v if isinstance(v, Message) else Message(v) for k, v in errors.items()}


class DomainError(Exception):
    """A use case refused for a reason the person can act on (status for the API)."""

    status_code = 400

    def __init__(self, message: Message | str, status_code: int | None = None):
        self.message = message if isinstance(message, Message) else Message(message)
        super().__init__(self.message.msgid)
        if status_code:
            self.status_code = status_code


class Errors:
    """Collects field errors while a service validates a whole form."""

    def __init__(self) -> None:
        self.errors: dict[str, Message | str] = {}

    def add(self, field: str, message: Message | str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


def clean_text(value: object) -> str:
    """Normalise user text: NFC, no control characters except newlines and tabs, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def check_length(errors: Errors, field: str, value: str, minimum: int, maximum: int) -> None:
    if len(value) < minimum:
        if minimum == 1:
            errors.add(field, N_("This field is required."))
        else:
            errors.add(field, Message(N_("Use at least %(min)s characters."), min=minimum))
    elif len(value) > maximum:
        errors.add(field, Message(N_("Use at most %(max)s characters."), max=maximum))


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(value: object) -> str:
    return clean_text(value).lower()


def check_email(errors: Errors, field: str, email: str) -> None:
    if not email:
        errors.add(field, N_("This field is required."))
    elif len(email) > 254 or not EMAIL_RE.match(email):
        errors.add(field, N_("Enter a valid email address."))


# The largest id either engine stores: PostgreSQL's Serial is int4. Ids, page numbers and counts from
# outside are bounded by it, so a huge number is refused (or not found) instead of overflowing the driver.
MAX_ID = 2**31 - 1
# An id in a JSON body (msgspec checks it while decoding: 400 naming the field).
RecordId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
# A page number in an API query string (Litestar checks it: 400 naming the parameter).
PageNumber = Annotated[int, QueryParameter(ge=1, le=MAX_ID, description="Page number, from 1.")]


def whole_number(value: object, maximum: int = MAX_ID) -> int | None:
    """A number typed into a form or query string, from 1 to `maximum`; None when absent or not such a number.

    ASCII digits only (`int` also reads "1_000", " 7" and other scripts' digits; `isdigit` passes "²",
    which `int` refuses), and short enough that `int` never meets Python's digit limit.
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None
