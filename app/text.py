"""User text to safe HTML: markdown rendered once, at write time, then cleaned."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urljoin, urlsplit

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
IMAGE_ENDPOINTS = {"resources.thumb", "resources.preview", "accounts.avatar", "groups.cover", "programmes.badge",
                   "forum.media_file"}
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


def markdown_to_text(source: str, base_url: str = "") -> str:
    """Markdown as plain text, for places that show no HTML (calendar apps):
    no markup left, a link as "text (address)", list items as "- " or "1. ",
    table rows as cells between " | ". Relative addresses are made absolute
    against `base_url`, so they work outside the site."""
    lines: list[str] = []
    depth = 0  # list nesting
    marker: str | None = None  # a list item's "- " or "2. ", for its first line
    row: list[str] | None = None
    for token in _markdown.parse(source or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                lines.append("")
        elif kind == "list_item_open":
            marker = "  " * (depth - 1) + (f"{token.info}. " if token.info else "- ")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append(" | ".join(row or []))
            row = None
        elif kind == "inline":
            text = _inline_text(token.children or [], base_url)
            if row is not None:
                row.append(text)
                continue
            indent = "  " * depth
            first, *rest = text.split("\n")
            lines.append((indent if marker is None else marker) + first)
            lines.extend(indent + line for line in rest)
            marker = None
        elif kind in ("fence", "code_block"):
            lines.extend(token.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "hr":
            lines.extend(["---", ""])
        elif kind in ("paragraph_close", "heading_close", "table_close") and depth == 0:
            lines.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _inline_text(children, base_url: str) -> str:
    out: list[str] = []
    links: list[tuple[int, str]] = []
    for child in children:
        if child.type in ("text", "code_inline", "image"):  # an image's content is its alt text
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "link_open":
            links.append((len(out), str(child.attrGet("href") or "")))
        elif child.type == "link_close" and links:
            start, href = links.pop()
            label = "".join(out[start:]).strip()
            address = urljoin(base_url.rstrip("/") + "/", href) if base_url else href
            if address and label not in (address, href, href.removeprefix("mailto:")):
                out.append(f" ({address})")
    return "".join(out)
