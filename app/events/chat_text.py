"""Chat lines to safe HTML, once, when they are sent: everything escaped,
then links and @mentions made into anchors. No markdown in the room."""

from __future__ import annotations

import re
from html import escape

URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{3,30})\b")
_TRAILING = ".,;:!?)]}'\""


def mentioned_usernames(text: str) -> list[str]:
    names: list[str] = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).lower()
        if name not in names:
            names.append(name)
    return names[:20]


def _link(url: str) -> tuple[str, str]:
    """Split trailing punctuation off a URL ("see https://x.org." ends the sentence)."""
    tail = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    return url, tail


def _mentions(segment: str, known: set[str]) -> str:
    out, last = [], 0
    for match in MENTION.finditer(segment):
        name = match.group(1).lower()
        if name not in known:
            continue
        out.append(escape(segment[last:match.start()]))
        out.append(f'<a class="mention" href="/u/{escape(name)}">@{escape(match.group(1))}</a>')
        last = match.end()
    out.append(escape(segment[last:]))
    return "".join(out)


def render_chat(text: str, known_usernames: set[str] | frozenset[str] = frozenset()) -> str:
    """Escape the text, then link http(s) URLs and @mentions of real members."""
    out, last = [], 0
    for match in URL.finditer(text):
        url, tail = _link(match.group(0))
        if len(url) <= len("https://"):
            continue
        out.append(_mentions(text[last:match.start()], known_usernames))
        href = escape(url, quote=True)
        out.append(f'<a href="{href}" rel="nofollow ugc noopener" target="_blank">{escape(url)}</a>{escape(tail)}')
        last = match.end()
    out.append(_mentions(text[last:], known_usernames))
    return "".join(out).replace("\n", "<br>")
