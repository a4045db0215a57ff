"""Post text: markdown rendered once (app.text), then @mentions turned into
profile links; and the markdown of a quote of an earlier post."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.text import clean_html, render_markdown

MENTION = re.compile(r"(?<![\w@./+-])@([A-Za-z0-9_]{3,30})(?![\w@])")
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
# Text inside these is left alone: a link already, or code.
_SKIP = {"a", "code", "pre"}
MAX_MENTIONS = 20


def _text_segments(html: str):
    """Yield (segment, is_text_to_scan) over cleaned HTML."""
    depth = 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            if name in _SKIP:
                depth += -1 if part.startswith("</") else 1
                depth = max(depth, 0)
            yield part, False
        else:
            yield part, depth == 0


def _candidates(html: str) -> list[str]:
    names: list[str] = []
    for segment, scan in _text_segments(html):
        if scan:
            for name in MENTION.findall(segment):
                name = name.lower()
                if name not in names:
                    names.append(name)
    return names[:MAX_MENTIONS]


def _known(names: list[str]) -> dict[str, User]:
    if not names:
        return {}
    users = db.session.scalars(select(User).where(User.username.in_(names), User.suspended_at.is_(None)))
    return {user.username: user for user in users}


def render_post(source: str) -> tuple[str, list[User]]:
    """Markdown to cleaned HTML with @mentions of real members linked to
    their profiles; returns the HTML and the members mentioned. A name that
    is nobody's stays plain text."""
    html = render_markdown(source)
    known = _known(_candidates(html))
    if not known:
        return html, []

    def link(match: re.Match) -> str:
        name = match.group(1).lower()
        if name not in known:
            return match.group(0)
        return f'<a href="/u/{name}">@{name}</a>'

    parts = [MENTION.sub(link, segment) if scan else segment for segment, scan in _text_segments(html)]
    # Cleaned once more: the links we added get the same rel as any other.
    return clean_html("".join(parts)), list(known.values())


def quote_markdown(post, author_name: str) -> str:
    """A markdown quote of an earlier post, linking back to it."""
    lines = (post.body_md or "").strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in lines[:40])
    if len(lines) > 40:
        quoted += "\n> …"
    name = author_name.replace("[", "").replace("]", "").replace("*", "")
    return f"> **{name}** [wrote](/p/{post.id}):\n>\n{quoted}\n\n"
