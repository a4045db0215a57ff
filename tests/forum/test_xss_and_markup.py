"""User text is neutralized everywhere it shows: posts, titles and tags.
Markdown is rendered once, mentions link real members, quotes and code work."""

from __future__ import annotations

import re

from app.forum import services
from app.forum.markup import render_post

ATTACKS = [
    "<script>alert('x')</script>",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![remote](https://evil.example/track.png)",
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    "<style>body{display:none}</style>",
    '<a href="#" onclick="alert(1)" style="position:fixed">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "[x](vbscript:msgbox(1))",
]


def assert_inert(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<svg" not in lowered and "<style" not in lowered and "<iframe" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered), html  # no event-handler attribute on any tag
    assert not re.search(r"<[^>]+style\s*=", lowered), html
    assert not re.search(r'(href|src)\s*=\s*"(javascript|data|vbscript):', lowered), html
    assert "evil.example/track.png" not in lowered or "<img" not in lowered


def test_rendered_posts_are_inert(app):
    for attack in ATTACKS:
        html, _mentioned = render_post(f"Look at this {attack} please")
        assert_inert(html)


def test_attacks_in_posts_titles_and_tags_are_neutralized_on_every_page(client, auth, make_user, category):
    me = auth.as_role()
    body = "\n\n".join(ATTACKS)
    title = "<script>alert('title')</script> <img src=x onerror=alert(1)>"
    thread = services.create_thread(me, category(), title=title, body=body, kind="question",
                                    tags=["<script>alert(1)</script>", "<svg onload=alert(1)>", "ok"],
                                    enforce_limits=False)
    assert thread.tags == ["ok", "scriptalert1script", "svg-onloadalert1"]
    services.reply(thread, make_user(), body, enforce_limits=False)
    pages = [f"/t/{thread.id}-{thread.slug}", "/discuss", "/discuss/c/ask-the-community",
             f"/p/{services.first_post(thread).id}/history", f"/t/{thread.id}/reply"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        body_part = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        assert_inert(body_part)
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in body_part, path


def test_api_returns_cleaned_html_and_escapes_nothing_twice(api_for, make_user, category):
    me = make_user()
    client = api_for(me)
    response = client.post("/threads", json={"category_id": category().id, "title": "<b>Bold</b> title here",
                                              "body": "<script>alert(1)</script> **fine**", "kind": "question"})
    assert response.status_code == 201, response.get_json()
    thread = response.get_json()
    assert thread["title"] == "<b>Bold</b> title here"  # JSON carries text; pages escape it
    detail = client.get(f"/threads/{thread['id']}").get_json()
    first = detail["posts"]["items"][0]
    assert "<script" not in first["body_html"] and "<strong>fine</strong>" in first["body_html"]


def test_links_get_nofollow_and_images_only_from_our_uploads(app):
    html, _ = render_post("[site](https://example.org) ![ours](/resources/7/thumb) ![theirs](https://x.example/a.png)")
    assert 'rel="nofollow ugc noopener"' in html
    assert 'src="/resources/7/thumb"' in html and "x.example" not in html


def test_mention_of_a_member_links_and_an_unknown_name_stays_plain(app, make_user):
    make_user("leyla_m")
    html, mentioned = render_post("Thanks @leyla_m and @nobody_here! Mail me at amira@leyla_m.example")
    assert '<a href="/u/leyla_m" rel="nofollow ugc noopener">@leyla_m</a>' in html
    assert "@nobody_here" in html and 'href="/u/nobody_here"' not in html
    assert [user.username for user in mentioned] == ["leyla_m"]
    assert "amira@leyla_m.example" in html  # an email address is not a mention


def test_mentions_are_not_made_inside_code_or_links(app, make_user):
    make_user("leyla_m")
    html, mentioned = render_post("`@leyla_m` and\n\n```\n@leyla_m\n```\n\n[@leyla_m](https://example.org)")
    assert "/u/leyla_m" not in html and mentioned == []


def test_code_blocks_and_quotes_render(app):
    html, _ = render_post("> quoted line\n\n```python\nprint('<hi>')\n```")
    assert "<blockquote>" in html and "quoted line" in html
    assert '<pre><code class="language-python">' in html and "print('&lt;hi&gt;')" in html


def test_quote_button_prefills_a_quote_that_links_back(client, auth, make_thread, add_replies):
    auth.as_role()
    thread = make_thread()
    reply = add_replies(thread, 1, body="Use the meeting options")[0]
    page = client.get(f"/t/{thread.id}/reply?quote={reply.id}").get_data(as_text=True)
    assert f"[wrote](/p/{reply.id}):" in page and "&gt; Use the meeting options" in page
    assert f'name="reply_to" type="hidden" value="{reply.id}"' in page
