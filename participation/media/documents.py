"""Checking an uploaded PDF by content (pypdf): a readable, unencrypted document with at least one page."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from participation.i18n import N_
from participation.media.imaging import ImageRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 500
TOO_LARGE = N_("The file is larger than 10 MB.")
NOT_A_PDF = N_("This file is not a PDF document that can be read.")
ENCRYPTED = N_("This PDF is protected with a password. Upload it without protection.")
# pypdf warns about what it repairs in a damaged upload: the person gets our refusal, the log need not.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class DocumentRefused(ImageRefused):
    pass


def check_pdf(data: bytes) -> int:
    """The number of pages, or DocumentRefused with the reason."""
    if len(data) > MAX_BYTES:
        raise DocumentRefused(TOO_LARGE)
    # The header must open the file (readers accept it within the first KB; we only accept it first).
    if not data.startswith(b"%PDF-"):
        raise DocumentRefused(NOT_A_PDF)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused(ENCRYPTED)
        pages = len(reader.pages)
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise DocumentRefused(NOT_A_PDF) from error
    if not 1 <= pages <= MAX_PAGES:
        raise DocumentRefused(NOT_A_PDF)
    return pages
