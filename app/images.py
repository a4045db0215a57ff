"""Uploaded pictures (avatars, group covers): checked by their bytes, never
by their name, before anything is stored."""

from __future__ import annotations

import io

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from app.exceptions import UnsupportedMedia, ValidationFailed

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def open_upload(data: bytes, field: str, limit_mb: int) -> Image.Image:
    """The upload as a loaded, upright image; errors name `field`."""
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
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        message = "That image could not be read. Try saving it again as PNG or JPEG."
        raise UnsupportedMedia(message, {field: message}) from error
    return ImageOps.exif_transpose(image)
