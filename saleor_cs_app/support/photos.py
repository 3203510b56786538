"""A customer's photo: the type is read from the bytes, never from the name or the browser's word.

Accepted: JPEG, PNG, WebP, HEIC/HEIF (phones). Refused: anything else, a file over MAX_BYTES, an image
over MAX_PIXELS (a decompression bomb: small file, huge canvas) before it is decoded. Accepted photos
are decoded and re-encoded (JPEG, or PNG when they have transparency), which drops EXIF (GPS
position, camera serial), XMP and ICC extras, and anything appended after the image data.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48 MP phone photo is 8000×6000; downscaled below anyway
MAX_SIDE = 2048  # what staff need to judge a scratch; keeps the store small
MAX_PHOTOS = 3


class PhotoRefused(ValueError):
    """`reason` is a key into the page strings (photo_type, photo_size, photo_pixels, photo_broken)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


def sniff(head: bytes) -> str | None:
    """The image type from the magic bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
        return "heic"
    return None


def clean(data: bytes, *, max_side: int = MAX_SIDE) -> CleanPhoto:
    if len(data) > MAX_BYTES:
        raise PhotoRefused("photo_size")
    kind = sniff(data[:32])
    if kind is None:
        raise PhotoRefused("photo_type")
    if kind == "heic":
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[kind]]) as image:
                # The header gives the canvas size before any pixel is decoded.
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoRefused("photo_pixels")
                image.load()
                return _reencode(image, max_side)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused("photo_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise PhotoRefused("photo_broken") from None


_PIL_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}


def _reencode(image: Image.Image, max_side: int) -> CleanPhoto:
    image = ImageOps.exif_transpose(image)  # keep the orientation the phone meant, then drop the EXIF
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "P") and _has_alpha(image):
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85)  # no exif= / icc_profile=: nothing carried over
        content_type = "image/jpeg"
    return CleanPhoto(data=out.getvalue(), content_type=content_type, width=image.width, height=image.height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") or "transparency" in image.info


def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


# Pillow's own bomb check refuses (error) at 2× this and warns above it; the warning is an error here.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
