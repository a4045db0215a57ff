"""Backup and restore, for the CLI and for tests alike.

`create_backup` dumps the database first and copies the uploads after it, so
every file the dumped rows refer to is already on disk (files are written
before the row that names them is committed, and never rewritten).
`restore_backup` checks the whole archive before it touches anything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app

from app import config as settings
from app.backup import databases
from app.backup.archive import FORMAT, FORMAT_VERSION, ArchiveWriter, extract_verified, member_path
from app.backup.errors import BackupError
from app.extensions import db
from app.search import service as search_service


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    warnings: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict
    row_counts: dict[str, int]
    files: int
    indexed: int


def code_revision() -> list[str]:
    """The Alembic head(s) this code's migrations end at."""
    directory = Path(current_app.extensions["migrate"].directory)
    if not directory.is_absolute():
        directory = settings.ROOT / directory
    return sorted(ScriptDirectory(str(directory)).get_heads())


def _archive_path(output: Path | None) -> Path:
    name = f"staffroom-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    if output is None:
        output = Path(current_app.instance_path) / "backups"
        output.mkdir(parents=True, exist_ok=True)
    path = output / name if output.is_dir() else output
    if path.exists():
        raise BackupError(f"{path} already exists; choose another --output.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    uploads = Path(current_app.config["UPLOAD_DIR"]).resolve()
    if path.parent.resolve().is_relative_to(uploads):
        raise BackupError("Write the backup outside UPLOAD_DIR (it would end up in the next backup).")
    return path


def _upload_files(uploads: Path):
    """(member name, path) of every finished upload, in a stable order."""
    for folder, dirs, names in os.walk(uploads):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if name.endswith(".part") or path.is_symlink() or not path.is_file():
                continue  # half-written, or not something the app made
            yield "uploads/" + path.relative_to(uploads).as_posix(), path


def _add_uploads(archive: ArchiveWriter, uploads: Path, warnings: list[str]) -> tuple[int, int]:
    count = size = 0
    for name, path in _upload_files(uploads):
        try:
            member_path(name)
            archive.add_file(name, path)
        except FileNotFoundError:
            warnings.append(f"{name} was deleted while the backup ran; left out.")
            continue
        except BackupError:
            warnings.append(f"{name} is not a name the app makes; left out.")
            continue
        count += 1
        size += archive.files[name]["size"]
    return count, size


def create_backup(output: Path | None = None) -> BackupResult:
    """Write one archive (database, uploads, manifest) and return where it went.

    `output` is a folder (a timestamped name is chosen) or a file name;
    by default instance/backups/.
    """
    database = databases.for_engine(db.engine)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    path = _archive_path(Path(output) if output else None)
    description = database.describe()
    warnings: list[str] = []
    db.session.remove()
    try:
        with tempfile.TemporaryDirectory(prefix=".staffroom-backup-", dir=path.parent) as work, \
                ArchiveWriter(path) as archive:
            dump = Path(work) / "database"
            counts, revision = database.dump(dump)
            archive.add_file(database.member, dump)
            dump.unlink()  # give the space back before the uploads are copied
            files, size = _add_uploads(archive, uploads, warnings)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app": "staffroom",
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "alembic_revision": revision,
                "database": {**description, "row_counts": counts},
                "uploads": {"files": files, "bytes": size},
            }
            archive.add_manifest(manifest)
    except OSError as error:
        raise BackupError(f"The backup failed and no archive was written: {error}") from error
    if revision != code_revision():
        warnings.append(f"The database is at migration {_show(revision)} but the code is at "
                        f"{_show(code_revision())}: run `flask db upgrade` and back up again.")
    return BackupResult(path, {**manifest, "files": archive.files}, warnings)


def _show(revision: list[str] | None) -> str:
    return ", ".join(revision) if revision else "(none recorded)"


def _check_compatible(manifest: dict, database) -> None:
    stored = manifest.get("database") or {}
    if stored.get("dialect") != database.dialect:
        raise BackupError(f"This backup holds a {stored.get('dialect')} database, but this instance is configured "
                          f"for {database.dialect}. Set DATABASE_URL to a {stored.get('dialect')} database.")
    if stored.get("file") != database.member or database.member not in manifest["files"]:
        raise BackupError("The archive's manifest does not name its database file. Nothing was restored.")
    revision, heads = manifest.get("alembic_revision") or [], code_revision()
    if revision != heads:
        raise BackupError(
            f"The backup's database is at migration {_show(revision)}, but this code expects {_show(heads)}. "
            f"Restore it with the Staffroom release whose migrations end at {_show(revision)}, then update the "
            f"code and run `flask db upgrade`; or upgrade the source instance and take a new backup.")


def _check_empty(database, uploads: Path, force: bool) -> None:
    rows = databases.content_rows(database.row_counts())
    files = sum(1 for _ in _upload_files(uploads)) if uploads.exists() else 0
    if (rows or files) and not force:
        busiest = ", ".join(f"{name}: {n}" for name, n in sorted(rows.items(), key=lambda item: -item[1])[:3])
        raise BackupError(
            f"This instance is not empty: the database has {sum(rows.values())} rows"
            f"{f' ({busiest})' if busiest else ''} and the upload folder has {files} files. "
            "Restore into an empty instance (a new DATABASE_URL and UPLOAD_DIR), or pass --force to replace "
            "its database with the backup's (uploads of the same name are overwritten, others stay).")


def _restore_uploads(staged: Path, uploads: Path) -> int:
    count = 0
    for name, path in _upload_files(staged):
        target = uploads.joinpath(*Path(name).parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        count += 1
    return count


def _check_counts(manifest: dict, counts: dict[str, int]) -> None:
    expected = manifest["database"].get("row_counts") or {}
    wrong = [f"{name}: {counts.get(name, 0)} rows, expected {n}"
             for name, n in sorted(expected.items()) if counts.get(name, 0) != n]
    if wrong:
        raise BackupError("The restored database does not match the manifest (" + "; ".join(wrong[:5]) + "). "
                          "Do not use this instance; restore again with --force or from another backup.")


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    """Restore `archive` into the configured database and UPLOAD_DIR, then
    rebuild the search index. Refuses a non-empty instance unless `force`."""
    database = databases.for_engine(db.engine)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    # Staged beside UPLOAD_DIR so files move into place without a second copy.
    with tempfile.TemporaryDirectory(prefix=".staffroom-restore-", dir=uploads.parent) as work:
        staging = Path(work)
        manifest = extract_verified(Path(archive), staging)
        _check_compatible(manifest, database)
        database.check_target(manifest["database"])
        _check_empty(database, uploads, force)
        # Everything is checked; from here on the instance changes.
        try:
            database.restore(staging / database.member)
            files = _restore_uploads(staging / "uploads", uploads)
        except OSError as error:
            raise BackupError(f"The restore stopped part-way ({error}). Free the space or fix the "
                              "permissions, then run it again with --force.") from error
    counts = database.row_counts()
    _check_counts(manifest, counts)
    db.session.remove()
    indexed = search_service.reindex()
    return RestoreResult(manifest, counts, files, indexed)
