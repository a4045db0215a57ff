"""Tags, as the library and the forum both keep them: lower case, words
joined by hyphens, at most MAX_TAG_LENGTH characters (the tag columns' size)."""

from __future__ import annotations

import re

MAX_TAG_LENGTH = 40

_SPACES = re.compile(r"[\s_]+")
_JUNK = re.compile(r"[^\w-]+", re.UNICODE)


def normalize_tag(raw: str) -> str:
    """'#Group Work!' -> 'group-work'; '' when nothing is left."""
    tag = _SPACES.sub("-", (raw or "").strip().lower().lstrip("#"))
    return _JUNK.sub("", tag).strip("-")[:MAX_TAG_LENGTH]


def normalize_tags(raw) -> list[str]:
    """A comma-separated string or a list, as distinct tags in their first order."""
    if isinstance(raw, str):
        raw = raw.split(",")
    tags: list[str] = []
    for value in raw or []:
        tag = normalize_tag(str(value))
        if tag and tag not in tags:
            tags.append(tag)
    return tags
