"""`flask forum ...` commands."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import insert, select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.forum import categories, media, services
from app.forum.markup import render_post
from app.forum.models import Category, Post, Thread
from app.notifications import services as notifications

forum_cli = AppGroup("forum", help="Discussions and Q&A.")


@forum_cli.command("ensure-categories")
def ensure_categories() -> None:
    """Create the default categories that are missing."""
    made = categories.ensure_defaults()
    click.echo(f"Created {len(made)} categories." if made else "All default categories exist.")


@forum_cli.command("bench-thread", hidden=True)
@click.option("--posts", default=1000, show_default=True, help="Posts in the thread, the opener included.")
@click.option("--category", "category_slug", default="tools-and-tips", show_default=True)
def bench_thread(posts: int, category_slug: str) -> None:
    """Make one long thread for bench/run.py and print its path."""
    categories.ensure_defaults()
    category = db.session.scalar(select(Category).where(Category.slug == category_slug))
    authors = list(db.session.scalars(select(User).where(User.suspended_at.is_(None)).order_by(User.id).limit(12)))
    if category is None or not authors:
        raise click.ClickException("Run `flask seed-demo` first: the bench thread needs members and categories.")
    thread = services.create_thread(
        authors[0], category, title="A thousand replies: what is your favourite classroom routine?",
        body="Share the one routine that makes your lessons run smoothly.", kind="discussion",
        tags=["routines"], enforce_limits=False)
    start = utcnow() - timedelta(minutes=posts)
    rows = []
    for number in range(2, posts + 1):
        body = (f"Routine {number}: we start with a **two-minute** silent starter on the board, then "
                f"a quick *think-pair-share*. It settles the class and I can take the register.\n\n"
                f"- works for ages 11-16\n- needs no devices")
        html, _mentioned = render_post(body)
        rows.append({"thread_id": thread.id, "number": number, "author_id": authors[number % len(authors)].id,
                     "body_md": body, "body_html": html, "status": "published", "helpful_count": number % 3,
                     "created_at": start + timedelta(minutes=number)})
    for chunk in range(0, len(rows), 500):
        db.session.execute(insert(Post.__table__), rows[chunk:chunk + 500])
    thread = db.session.get(Thread, thread.id)
    thread.last_number = posts
    db.session.flush()
    services.refresh_thread(thread)
    db.session.commit()
    notifications.deliver_pending()
    click.echo(f"/t/{thread.id}-{thread.slug}")


@forum_cli.command("prune-images")
def prune_images() -> None:
    """Delete the post images no post used within a day of their upload."""
    count = media.prune()
    click.echo(f"Deleted {count} unused image{'s' if count != 1 else ''}.")
