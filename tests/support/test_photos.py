"""Photos are sniffed from their bytes, bounded in size and pixels, and re-encoded without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from saleor_cs_app.support.photos import MAX_PIXELS, PhotoRefused, clean, sniff
from tests.support.conftest import jpeg_with_gps, png_bytes


def test_a_jpeg_keeps_its_picture_and_loses_its_gps_position_and_camera():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825), "the test photo carries a GPS position"
    photo = clean(raw)
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (64, 48)
    cleaned = Image.open(io.BytesIO(photo.data))
    assert dict(cleaned.getexif()) == {} and b"SecretCam" not in photo.data
    assert cleaned.getpixel((10, 10))[0] > 150, "the picture itself survives"


def test_a_png_with_transparency_stays_a_png():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    assert clean(out.getvalue()).content_type == "image/png"


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    out = io.BytesIO()
    side = int(MAX_PIXELS**0.5) + 100
    Image.new("1", (side, side)).save(out, "PNG")  # a few kB on disk, tens of megapixels in memory
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(PhotoRefused) as refused:
        clean(out.getvalue())
    assert refused.value.reason == "photo_pixels"


def test_a_text_file_named_like_a_photo_is_refused():
    with pytest.raises(PhotoRefused) as refused:
        clean(b"GIF89a? no: just text pretending to be a photo\n" * 10)
    assert refused.value.reason == "photo_type"


def test_a_truncated_jpeg_is_refused_as_broken():
    with pytest.raises(PhotoRefused) as refused:
        clean(jpeg_with_gps()[:200])
    assert refused.value.reason == "photo_broken"


def test_a_file_over_the_size_limit_is_refused_unread():
    with pytest.raises(PhotoRefused) as refused:
        clean(png_bytes()[:8] + b"\0" * (8 * 1024 * 1024 + 1))
    assert refused.value.reason == "photo_size"


def test_heic_and_webp_are_recognised_by_their_magic_bytes():
    assert sniff(b"\0\0\0\x18ftypheic\0\0\0\0") == "heic"
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "WEBP")
    assert sniff(out.getvalue()[:32]) == "webp"
    assert clean(out.getvalue()).content_type == "image/jpeg"


def test_a_real_heic_photo_is_accepted_and_re_encoded():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    try:
        Image.new("RGB", (32, 24), (0, 200, 0)).save(out, "HEIF")
    except (KeyError, OSError, ValueError) as exc:  # a libheif built without an encoder
        pytest.skip(f"this libheif cannot encode HEIC: {exc}")
    photo = clean(out.getvalue())
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (32, 24)
