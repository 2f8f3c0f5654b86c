"""Checking and re-encoding uploaded images with Pillow, by content only.

The name and the Content-Type the browser sent are ignored: Pillow must recognise the bytes as
JPEG, PNG or WebP. Nothing of the original is served: every width is a fresh encoding of the
pixels (turned upright first, by the EXIF orientation), without EXIF (GPS included), XMP, ICC
profiles or text chunks.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from participation.i18n import N_
from participation.validation import Message

MAX_BYTES = 10 * 1024 * 1024
# A decompression bomb is a small file of a huge picture. Pillow's own guard warns at its limit and
# refuses at twice it; we set the limit explicitly and refuse at it (40 megapixels: any phone photo).
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
WIDTHS = (480, 960, 1600)
# Pillow format -> (served Content-Type, file extension); each is re-encoded in its own format.
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
EXTENSIONS = {media_type: extension for media_type, extension in FORMATS.values()}

TOO_LARGE = N_("The file is larger than 10 MB. Choose a smaller photo.")
NOT_AN_IMAGE = N_("This file is not a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS = N_("This image has too many pixels (at most 40 megapixels).")


class ImageRefused(Exception):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = Message(message, **params)


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class ProcessedImage:
    media_type: str
    extension: str
    variants: tuple[Variant, ...]  # narrowest first

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(v.width for v in self.variants)


def _opened(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise ImageRefused(TOO_LARGE)
    if not data:
        raise ImageRefused(NOT_AN_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused(TOO_MANY_PIXELS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRefused(NOT_AN_IMAGE) from error
    return image


def _upright(image: Image.Image, source_format: str) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if source_format == "JPEG" or not has_alpha:
        return image.convert("RGB")
    return image.convert("RGBA")


def _encode(image: Image.Image, source_format: str) -> bytes:
    # Nothing of the original's metadata may travel: the encoders read EXIF, ICC and XMP from `info`.
    image.info = {}
    out = io.BytesIO()
    if source_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif source_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()


def process(data: bytes) -> ProcessedImage:
    """Check `data` and encode it at each width up to its own (CPU-bound: run it in a thread)."""
    image = _opened(data)
    source_format = image.format or ""
    media_type, extension = FORMATS[source_format]
    upright = _upright(image, source_format)
    widths = sorted({w for w in WIDTHS if w < upright.width} | {min(upright.width, WIDTHS[-1])})
    variants = []
    for width in widths:
        height = max(1, round(upright.height * width / upright.width))
        resized = upright if width == upright.width else upright.resize((width, height), Image.Resampling.LANCZOS)
        variants.append(Variant(width, height, _encode(resized.copy(), source_format)))
    return ProcessedImage(media_type, extension, tuple(variants))


def safe_file_name(name: str, fallback: str) -> str:
    """A name to offer in Content-Disposition: ASCII letters, digits, '-' and '_', without the extension."""
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ascii_stem)
    cleaned = "-".join(part for part in cleaned.split("-") if part)[:60].strip("-_")
    return cleaned or fallback
