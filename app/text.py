"""User text to safe HTML: markdown rendered once, at write time, then cleaned."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

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


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    # Images may only come from our own uploads, never from another host.
    if tag == "img" and attribute == "src":
        return value if value.startswith("/media/") else None
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
