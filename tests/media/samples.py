"""Files as people upload them: photos with a location in their EXIF, a script renamed .jpg, a bomb."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter

GPS_IFD = 0x8825


def jpeg_with_gps(width: int = 2000, height: int = 1200) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 3.0, 36.0), 3: "E", 4: (4.0, 29.0, 24.0)})  # Zoetermeer
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(width: int = 800, height: int = 600, alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (200, 50, 50, 128) if alpha else (200, 50, 50))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def webp(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 160, 60)).save(out, "WEBP")
    return out.getvalue()


PHP_AS_JPEG = b"<?php system($_GET['cmd']); ?>\n"


def decompression_bomb() -> bytes:
    """A PNG of 81 megapixels of one colour: a few kilobytes that unpack to hundreds of megabytes."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def twenty_megabytes() -> bytes:
    """A JPEG's first bytes and then 20 MB: too large whatever it holds."""
    return b"\xff\xd8\xff\xe0" + b"\0" * (20 * 1024 * 1024)


def pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
