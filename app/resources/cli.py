"""`flask resources import`: bulk import into the library."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.accounts import services as accounts
from app.resources import importer, text_jobs

resources_cli = AppGroup("resources", help="The resource library.")


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


@resources_cli.command("previews")
@click.option("--limit", type=click.IntRange(min=1), help="Queue at most this many files.")
def resources_previews(limit: int | None) -> None:
    """Queue a preview for every file uploaded before previews existed (safe to run twice).
    The text worker (`flask search worker`, or the web process's thread) makes them."""
    queued = text_jobs.queue_missing_previews(limit)
    click.echo(f"Files queued for a preview: {queued}.")
