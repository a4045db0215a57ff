"""User text to safe HTML: markdown rendered once, at write time, then cleaned."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import nh3
from flask import current_app, has_app_context
from markdown_it import MarkdownIt
from werkzeug.exceptions import HTTPException

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}


# Every reader's browser fetches an image with the reader's cookies, so a
# source must be a route that answers with an image and changes nothing:
# never a download (it counts), a page (it counts views, marks things read)
# or another host (it learns who reads what).
IMAGE_ENDPOINTS = {"resources.thumb", "resources.preview", "accounts.avatar", "groups.cover", "programmes.badge"}
STATIC_IMAGES = "img/"
# What is left once a path is decoded: anything else is not one of ours.
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9_.\-/]*")


def site_image(src: str) -> str | None:
    """The path of one of the site's own images that `src` leads to, resolved
    as a browser and the server would resolve it; None for anything else.

    The resolved path is what gets written back, so the browser asks for
    exactly the path that was checked."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    # Servers decode %2e and %2f before routing; browsers read \ as /.
    path = unquote(parts.path).replace("\\", "/")
    if not _PLAIN_PATH.fullmatch(path) or path.startswith("//"):
        return None
    path = posixpath.normpath(path)
    if path.startswith("//") or not has_app_context():
        return None
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # no such route, or one that redirects
        return None
    if endpoint == "static":
        return path if args["filename"].startswith(STATIC_IMAGES) else None
    return path if endpoint in IMAGE_ENDPOINTS else None


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return site_image(value)
    return value


def render_markdown(source: str) -> str:
    """Markdown to cleaned HTML. Raw HTML in the source is shown as text."""
    html = _markdown.render(source or "")
    return clean_html(html)


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        attribute_filter=_own_images_only,
    )
