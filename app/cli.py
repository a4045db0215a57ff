"""Flask commands: seed-demo, users, search, resources, text."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select, update

from app import background, demo
from app.accounts import services as accounts
from app.exceptions import ServiceError
from app.extensions import db
from app.resources import importer, text_jobs
from app.search import registry as search_registry
from app.search import service as search_service
from app.text import clean_html

users_cli = AppGroup("users", help="Manage educator accounts.")
search_cli = AppGroup("search", help="The full-text search index.")
resources_cli = AppGroup("resources", help="The resource library.")
text_cli = AppGroup("text", help="User text stored as HTML.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add demo data even though the database has users.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has users.")
def seed_demo(force: bool, if_empty: bool) -> None:
    """Fill an empty database with demo educators and their content."""
    if accounts.count_users() and not force:
        if if_empty:
            click.echo("The database already has users; demo data not loaded.")
            return
        raise click.ClickException("The database already has users. Use --force to add demo data anyway.")
    demo.seed(click.echo)


@users_cli.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--email", prompt=True)
@click.option("--display-name", prompt="Display name")
@click.option("--country", prompt="Country (ISO code, e.g. GB)")
@click.password_option()
def create_admin(username: str, email: str, display_name: str, country: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = accounts.register(username=username, email=email, password=password,
                                 display_name=display_name, country=country, role="admin",
                                 email_verified=True)  # made by whoever runs the server
    except ServiceError as error:
        details = "; ".join(f"{field}: {message}" for field, message in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error
    click.echo(f"Admin {user.username} created.")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
def set_role(username: str, role: str) -> None:
    """Make a member a moderator or admin, or back."""
    user = accounts.get_by_username(username)
    if user is None:
        raise click.ClickException(f"No user {username}.")
    accounts.set_role(user, role)
    click.echo(f"{user.username} is now {role}.")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the index from the database (it is a cache of it)."""
    total = sum(searchable.count() for searchable in search_registry.TYPES.values())
    with click.progressbar(length=total, label="Indexing") as bar:
        count = search_service.reindex(progress=lambda n: bar.update(n - bar.pos))
    click.echo(f"Indexed {count} documents.")


@search_cli.command("status")
def search_status() -> None:
    """Compare database and index counts, and show pending jobs."""
    report = search_service.status()
    click.echo(f"{'type':<12} {'database':>9} {'index':>9}")
    for name, counts in report["types"].items():
        flag = "" if counts["database"] == counts["index"] else "  <- differs (drain or reindex)"
        click.echo(f"{name:<12} {counts['database']:>9} {counts['index']:>9}{flag}")
    click.echo(f"pending jobs: {report['pending_jobs']}")
    click.echo(f"files waiting for their text to be read: {text_jobs.pending()}")
    if report["needs_rebuild"]:
        click.echo("The index was missing or unreadable: run `flask search reindex`.")


@search_cli.command("worker")
@click.option("--once", is_flag=True, help="Drain what is pending and stop.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between checks for new jobs.")
def search_worker_command(once: bool, poll: float) -> None:
    """Apply index jobs as they come, and read the text of uploaded files in
    a thread beside (for deployments with several web processes)."""
    if search_service.writable_index().needs_rebuild:
        click.echo("Index missing or unreadable: rebuilding from the database.")
        search_service.reindex()
    if once:
        text_jobs.drain()
    else:
        text_jobs.start_worker(current_app._get_current_object(), poll_seconds=poll)
    background.run_in_foreground(search_service.drain, once=once, poll=poll,
                                 report=lambda handled: click.echo(f"applied {handled} index jobs"))


@resources_cli.command("import")
@click.argument("jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--files", "files_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder that the lines' \"file\" paths are relative to.")
@click.option("--owner", default="staffroom_admin", show_default=True,
              help="Username for lines without an \"owner\".")
def resources_import(jsonl: Path, files_dir: Path | None, owner: str) -> None:
    """Import resources from a JSON Lines file; safe to run twice."""
    default_owner = accounts.get_by_username(owner)
    if default_owner is None:
        raise click.ClickException(f"No user {owner}; pass --owner USERNAME.")
    with jsonl.open(encoding="utf-8") as handle:
        total = sum(1 for _ in handle)
    with jsonl.open(encoding="utf-8") as handle, click.progressbar(length=total, label="Importing") as bar:
        report = importer.import_lines(handle, files_dir=files_dir, default_owner=default_owner,
                                       on_line=lambda: bar.update(1))
    for number, message in report.errors:
        click.echo(f"line {number}: {message}", err=True)
    click.echo(f"Imported {report.imported}, already there {report.skipped}, failed {len(report.errors)}.")


@text_cli.command("reclean-images")
def text_reclean_images() -> None:
    """Clean stored HTML with images again, under today's rule for image
    sources: HTML is cleaned once, when written, so a source the rule
    allowed then stays until this runs."""
    changed = 0
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        for column in [c for c in table.columns if c.name.endswith("_html")]:
            rows = db.session.execute(select(*key, column).where(column.contains("<img"))).all()
            for *ids, html in rows:
                cleaned = clean_html(html)
                if cleaned != html:
                    db.session.execute(update(table).where(*(c == v for c, v in zip(key, ids)))
                                       .values({column.name: cleaned}))
                    changed += 1
    db.session.commit()
    click.echo(f"Stored texts cleaned again: {changed}.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(users_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(resources_cli)
    app.cli.add_command(text_cli)
