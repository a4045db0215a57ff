"""`flask backup create` and `flask backup restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.backup import service
from app.backup.errors import BackupError

backup_cli = AppGroup("backup", help="Back up and restore the database and uploads.")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


@backup_cli.command("create")
@click.option("--output", type=click.Path(path_type=Path),
              help="Folder or file name for the archive (default: instance/backups/).")
def create(output: Path | None) -> None:
    """Write one archive: database, uploads and a manifest of counts and checksums."""
    try:
        result = service.create_backup(output)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    manifest = result.manifest
    rows = sum(manifest["database"]["row_counts"].values())
    click.echo(f"Backup written to {result.path} ({_size(result.path.stat().st_size)}).")
    click.echo(f"  database: {manifest['database']['dialect']}, {rows} rows in "
               f"{len(manifest['database']['row_counts'])} tables, migration "
               f"{', '.join(manifest['alembic_revision']) or '(none)'}")
    click.echo(f"  uploads:  {_count(manifest['uploads']['files'], 'file')}, {_size(manifest['uploads']['bytes'])}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the database even though this instance has data.")
def restore(archive: Path, force: bool) -> None:
    """Restore an archive into this (empty) instance and rebuild the search index."""
    try:
        result = service.restore_backup(archive, force=force)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    manifest = result.manifest
    click.echo(f"Restored the backup of {manifest['created_at']} ({manifest['database']['dialect']}).")
    width = max((len(name) for name in result.row_counts), default=5)
    click.echo(f"{'table':<{width}} {'rows':>8}")
    for name, count in result.row_counts.items():
        if count:
            click.echo(f"{name:<{width}} {count:>8}")
    click.echo(f"Row counts match the manifest in all {len(result.row_counts)} tables.")
    click.echo(
        f"Uploads: {_count(result.files, 'file')} restored. Search index rebuilt: {_count(result.indexed, 'document')}."
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
