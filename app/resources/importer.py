"""Bulk import of resources from JSON Lines (`flask resources import`).

One JSON object a line:
    {"external_id": "cisi-12", "title": "...", "description": "...", "subject": "science",
     "age_ranges": ["11-14"], "tags": ["reading"], "license": "cc-by", "language": "en",
     "url": "https://..."  or  "file": "relative/path/in/--files/dir.pdf",
     "owner": "username"}
A bad line is reported with its number and skipped; the rest are imported.
Lines whose external_id is already in the database are skipped, so running
the same file twice imports nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.accounts import services as accounts
from app.exceptions import ServiceError
from app.extensions import db
from app.resources import services
from app.resources.models import Resource

FIELDS = {"external_id", "title", "description", "subject", "age_ranges", "tags", "license",
          "language", "url", "file", "owner", "status"}


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _file_upload(name: str, files_dir: Path | None) -> services.Upload:
    if files_dir is None:
        raise ValueError("a file is named but no --files folder was given")
    root = files_dir.resolve()
    path = (root / name).resolve()
    if root not in path.parents or not path.is_file():
        raise ValueError(f"file {name!r} is not inside the --files folder")
    return services.Upload(path.read_bytes(), path.name)


def _import_line(record: dict, files_dir: Path | None, default_owner) -> bool:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    unknown = set(record) - FIELDS
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
    external_id = record.get("external_id")
    if not external_id or not isinstance(external_id, str):
        raise ValueError("external_id is required")
    if db.session.scalar(select(Resource.id).where(Resource.external_id == external_id)):
        return False
    owner = accounts.get_by_username(record["owner"]) if record.get("owner") else default_owner
    if owner is None:
        raise ValueError(f"no user {record.get('owner')!r}")
    upload = _file_upload(record["file"], files_dir) if record.get("file") else None
    services.create_resource(
        owner, title=record.get("title", ""), description=record.get("description", ""),
        subject=record.get("subject", "other"), age_ranges=record.get("age_ranges", []),
        tags=record.get("tags", []), license=record.get("license", "all-rights-reserved"),
        language=record.get("language", "en"), url=record.get("url"), upload=upload,
        status=record.get("status", "published"), external_id=external_id,
    )
    return True


def import_lines(lines: Iterable[str], *, files_dir: Path | None, default_owner,
                 on_line: Callable[[], None] | None = None) -> ImportReport:
    report = ImportReport()
    for number, line in enumerate(lines, start=1):
        if on_line:
            on_line()
        if not line.strip():
            continue
        try:
            imported = _import_line(json.loads(line), files_dir, default_owner)
        except ServiceError as error:
            db.session.rollback()
            details = "; ".join(f"{k}: {v}" for k, v in error.fields.items()) or error.message
            report.errors.append((number, details))
        except (ValueError, TypeError, OSError) as error:  # JSONDecodeError is a ValueError
            db.session.rollback()
            report.errors.append((number, str(error)))
        else:
            if imported:
                report.imported += 1
            else:
                report.skipped += 1
    return report
