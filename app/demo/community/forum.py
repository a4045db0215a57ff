"""Community discussions: 5,000 threads with 200,000 posts over the
categories members may post in, some very long; @mentions, replies to
earlier posts, helpful marks and accepted answers, with every counter the
forum keeps (post counts, last post, helpful totals, read positions)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo.community.words import DISCUSSIONS, FORMATS, LISTS, OPENINGS, QUESTIONS, SENTENCES, TAGS, TOPICS
from app.extensions import db
from app.forum.categories import slugify
from app.forum.markup import render_post
from app.forum.models import Category, Post, Reaction, Thread, ThreadState, ThreadTag
from app.i18n import N_
from app.text import render_markdown
from app.vocabulary import AGE_RANGES

BODIES = 1500  # distinct post texts, each rendered once
HIDDEN = 0.005  # replies a moderator hid
MENTIONS = 0.01  # replies that @mention someone


def _sizes(rng, threads: int, posts: int) -> list[int]:
    """Posts per thread (each at least its opener), adding up to `posts`:
    most threads are short (a median of about 20 at full size), a few run
    to several hundred posts (capped, or one thread would hold a tenth of them)."""
    weights = [min(rng.paretovariate(1.1), 40.0) for _ in range(threads)]
    extra, total = posts - threads, sum(weights)
    sizes = [1 + int(extra * weight / total) for weight in weights]
    for index in range(posts - sum(sizes)):
        sizes[index % threads] += 1
    return sizes


def _body(rng) -> str:
    parts = [rng.choice(OPENINGS)] if rng.random() < 0.3 else []
    parts += rng.sample(SENTENCES, rng.randint(1, 4))
    text = " ".join(parts)
    if rng.random() < 0.15:
        text += "\n\n" + rng.choice(LISTS)
    return text


def _title(rng, kind: str) -> tuple[str, str]:
    subject = rng.choice(list(TOPICS))
    topic = rng.choice(TOPICS[subject])
    pattern = rng.choice(QUESTIONS if kind == "question" else DISCUSSIONS)
    title = pattern.format(topic=topic, format=rng.choice(FORMATS), ages=rng.choice(list(AGE_RANGES)))
    return title[0].upper() + title[1:], topic.replace(" ", "-")


def seed_forum(world) -> None:
    rng, load, now = world.rng, world.load, world.now
    open_to_members = dict(db.session.execute(
        select(Category.slug, Category.id).where(Category.start_access == "members").order_by(Category.position)).all())
    asking = open_to_members.get("ask-the-community") or next(iter(open_to_members.values()))
    sizes = _sizes(rng, world.count("threads"), world.count("posts"))
    bodies = [(md, render_markdown(md)) for md in (_body(rng) for _ in range(BODIES))]
    thread_ids = load.ids(Thread.__table__, len(sizes))
    post_ids = iter(load.ids(Post.__table__, sum(sizes)))
    threads, posts, tags, reactions, states = [], [], [], [], []
    for thread_id, size in zip(thread_ids, sizes, strict=True):
        kind = "question" if rng.random() < 0.6 else "discussion"
        category_id = asking if kind == "question" and rng.random() < 0.7 else \
            rng.choice(list(open_to_members.values()))
        title, topic_tag = _title(rng, kind)
        asker = world.popular_member()
        started = now - timedelta(days=730 * rng.random() ** 1.4, minutes=rng.randrange(1440))
        span = min(now - started, timedelta(days=rng.expovariate(1 / 30)))
        moments = sorted(started + span * rng.random() for _ in range(size - 1))
        cast = [world.popular_member() for _ in range(max(2, min(size, 3 + size // 4)))]
        rows = []
        for number in range(1, size + 1):
            author = asker if number == 1 or rng.random() < 0.1 else rng.choice(cast)
            md, html = rng.choice(bodies)
            mentioned = None
            if number > 1 and rng.random() < MENTIONS:
                mentioned = rng.choice(cast + [asker])
                md = f"@{world.usernames[mentioned]} {md}"
                html, _users = render_post(md)
            reply_to = rows[rng.randrange(len(rows))]["id"] if number > 2 and rng.random() < 0.08 else None
            rows.append({"id": next(post_ids), "thread_id": thread_id, "number": number, "author_id": author,
                         "reply_to_id": reply_to, "body_md": md, "body_html": html,
                         "status": "hidden" if number > 1 and rng.random() < HIDDEN else "published",
                         "helpful_count": 0, "created_at": started if number == 1 else moments[number - 2]})
            if mentioned is not None and mentioned != author and rows[-1]["status"] == "published":
                world.notify(mentioned, "forum.mention", N_("%(name)s mentioned you in “%(title)s”"),
                             {"name": world.names[author], "title": title}, f"/p/{rows[-1]['id']}", author,
                             rows[-1]["created_at"], f"forum-post:{rows[-1]['id']}")
        published = [row for row in rows if row["status"] == "published"]
        for row in published[1:]:
            if rng.random() < 0.15:
                voters = {world.member() for _ in range(rng.randint(1, 5))} - {row["author_id"]}
                row["helpful_count"] = len(voters)
                reactions += [{"post_id": row["id"], "user_id": voter, "kind": "helpful",
                               "created_at": row["created_at"] + timedelta(hours=rng.uniform(1, 48))}
                              for voter in voters]
            if kind == "question" and row["author_id"] != asker and rng.random() < 0.5:
                world.notify(asker, "forum.answer", N_("%(name)s answered your question “%(title)s”"),
                             {"name": world.names[row["author_id"]], "title": title}, f"/p/{row['id']}",
                             row["author_id"], row["created_at"], f"forum-post:{row['id']}")
        accepted = None
        answers = [row for row in published[1:] if row["author_id"] != asker]
        if kind == "question" and answers and rng.random() < 0.55:
            best = max(answers, key=lambda row: (row["helpful_count"], -row["number"]))
            accepted = best["id"]
            world.notify(best["author_id"], "forum.accepted", N_("%(name)s accepted your answer to “%(title)s”"),
                         {"name": world.names[asker], "title": title}, f"/p/{accepted}", asker,
                         best["created_at"] + timedelta(hours=2), f"forum-accept:{accepted}")
        last = published[-1]
        threads.append({
            "id": thread_id, "category_id": category_id, "author_id": asker, "kind": kind, "title": title,
            "slug": slugify(title), "status": "published", "pinned": False, "locked": False,
            "accepted_post_id": accepted, "post_count": len(published), "last_number": size,
            "last_visible_number": last["number"], "view_count": size * rng.randint(3, 40),
            "helpful_count": sum(row["helpful_count"] for row in published),
            "last_posted_at": last["created_at"], "last_poster_id": last["author_id"], "created_at": started,
        })
        for name in sorted({topic_tag, *rng.sample(TAGS, rng.randint(0, 2))}):
            tags.append({"thread_id": thread_id, "name": name[:40]})
        read_up_to: dict[int, dict] = {}
        for row in rows:
            read_up_to[row["author_id"]] = row
        states += [{"user_id": user_id, "thread_id": thread_id, "last_read_number": row["number"],
                    "level": "watching", "updated_at": row["created_at"]} for user_id, row in read_up_to.items()]
        posts += rows
    load.write(Thread.__table__, threads)
    load.write(ThreadTag.__table__, tags)
    load.write(Post.__table__, posts)
    load.write(Reaction.__table__, reactions)
    load.write(ThreadState.__table__, states)
