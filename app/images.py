"""Uploaded pictures (avatars, group covers): checked by their bytes, never
by their name, before anything is stored."""

from __future__ import annotations

import io

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from app.exceptions import UnsupportedMedia, ValidationFailed

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Decoded, an image costs 3-4 bytes a pixel: a 450 KB PNG of 12,000 x 12,000
# pixels took 4.7 s and ~430 MB inside the request before this bound (Pillow
# only warns below 179 megapixels). JPEG photos decode scaled down first.
MAX_PIXELS = 16_000_000


def open_upload(data: bytes, field: str, limit_mb: int, size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    """The upload as a loaded, upright image, decoded no larger than it must
    be to make a `size` picture; errors name `field`."""
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationFailed({field: f"Images up to {limit_mb} MB, please."})
    kind = filetype.guess(data)
    if kind is None or kind.mime not in IMAGE_TYPES:
        message = "That file is not a PNG, JPEG, GIF or WebP image."
        raise UnsupportedMedia(message, {field: message})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.draft("RGB", size)  # a JPEG decodes at 1/2 to 1/8 scale when that still covers `size`
        width, height = image.size
        if width * height > MAX_PIXELS:
            message = (f"That image is {width:,} × {height:,} pixels. "
                       f"Use one of at most {MAX_PIXELS // 1_000_000} megapixels.")
            raise UnsupportedMedia(message, {field: message})
        image.load()
    except Image.DecompressionBombError as error:  # Pillow's own bound, far above ours
        message = f"That image has too many pixels. Use one of at most {MAX_PIXELS // 1_000_000} megapixels."
        raise UnsupportedMedia(message, {field: message}) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        message = "That image could not be read. Try saving it again as PNG or JPEG."
        raise UnsupportedMedia(message, {field: message}) from error
    return ImageOps.exif_transpose(image)
