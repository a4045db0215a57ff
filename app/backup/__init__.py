"""Backups: `flask backup create` and `flask backup restore`.

An archive holds the database (a SQLite online backup or a PostgreSQL
custom-format dump), the uploaded files and a manifest with row counts and
checksums. The search index is left out on purpose: it is a cache that
`restore` rebuilds from the restored database.
"""

from flask import Flask

from app.backup import cli
from app.backup.errors import BackupError
from app.backup.service import create_backup, restore_backup

__all__ = ["BackupError", "create_backup", "register", "restore_backup"]


def register(app: Flask) -> None:
    """`flask backup`."""
    app.cli.add_command(cli.backup_cli)
