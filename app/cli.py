"""Flask commands that span features: `flask search` (the index, and the
text jobs of uploads beside it) and `flask text` (stored HTML of every
feature). Each feature registers its own commands (its `cli.py`)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select, update

from app import background, i18n_catalogs
from app.config import ROOT
from app.extensions import db
from app.resources import text_jobs
from app.search import registry as search_registry
from app.search import service as search_service
from app.text import clean_html

search_cli = AppGroup("search", help="The full-text search index.")
text_cli = AppGroup("text", help="User text stored as HTML.")
i18n_cli = AppGroup("i18n", help="Translation catalogs (app/translations, static/i18n).")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Write the .mo files and the scripts' JSON catalogs from the .po files."""
    for path in i18n_catalogs.compile_all():
        click.echo(f"wrote {path.relative_to(ROOT)}")


@i18n_cli.command("check")
def i18n_check() -> None:
    """Fuzzy or untranslated entries, placeholder mismatches, stale compiled files."""
    found = [problem for locale in i18n_catalogs.TRANSLATED for problem in i18n_catalogs.problems(locale)]
    found += [f"stale: {path.relative_to(ROOT)} (run flask i18n compile)" for path in i18n_catalogs.stale()]
    for problem in found:
        click.echo(problem)
    if found:
        raise SystemExit(1)
    click.echo("Catalogs are complete and compiled.")


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
                    db.session.execute(update(table).where(*(c == v for c, v in zip(key, ids, strict=False)))
                                       .values({column.name: cleaned}))
                    changed += 1
    db.session.commit()
    click.echo(f"Stored texts cleaned again: {changed}.")


def register(app: Flask) -> None:
    app.cli.add_command(search_cli)
    app.cli.add_command(text_cli)
    app.cli.add_command(i18n_cli)
