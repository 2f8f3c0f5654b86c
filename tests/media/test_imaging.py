"""The image checks as plain functions: what Pillow sees, not what the file says it is."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from participation.media import documents, imaging
from tests.media import samples


def test_the_decompression_limit_is_set_explicitly():
    assert Image.MAX_IMAGE_PIXELS == imaging.MAX_PIXELS == 40_000_000


def test_a_picture_over_the_limit_but_under_pillows_own_error_is_refused_too():
    out = io.BytesIO()
    Image.new("1", (7500, 6000)).save(out, "PNG")  # 45 megapixels: Pillow itself would only warn
    with pytest.raises(imaging.ImageRefused) as refused:
        imaging.process(out.getvalue())
    assert refused.value.message.msgid == imaging.TOO_MANY_PIXELS


def test_a_photo_is_turned_upright_before_its_exif_goes():
    image = Image.new("RGB", (1000, 600), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    processed = imaging.process(out.getvalue())
    widest = Image.open(io.BytesIO(processed.variants[-1].data))
    assert widest.size == (600, 1000)
    assert dict(widest.getexif()) == {}


def test_a_transparent_png_stays_transparent_and_a_small_image_is_not_enlarged():
    processed = imaging.process(samples.png(300, 200, alpha=True))
    assert processed.widths == (300,)
    assert Image.open(io.BytesIO(processed.variants[0].data)).mode == "RGBA"


def test_a_gif_is_not_among_the_accepted_formats():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(imaging.ImageRefused):
        imaging.process(out.getvalue())


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(imaging.ImageRefused):
        imaging.process(samples.jpeg_with_gps()[:2000])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mijn tuin, Zoetermeer!.JPG", "Mijn-tuin-Zoetermeer"),
        ("../../etc/passwd", "passwd"),
        ('C:\\Users\\jan\\"quoted";.png', "quoted"),
        ("ÉÉN café.webp", "EEN-cafe"),
        ("....", "image"),
        ("", "image"),
    ],
)
def test_file_names_offered_to_browsers_are_safe(name, expected):
    assert imaging.safe_file_name(name, "image") == expected


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf())))
    writer.encrypt("geheim")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(documents.DocumentRefused) as refused:
        documents.check_pdf(out.getvalue())
    assert refused.value.message.msgid == documents.ENCRYPTED
