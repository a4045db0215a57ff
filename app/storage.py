"""Files on disk under UPLOAD_DIR, always under names we generate.

No user-supplied name or path ever reaches the file system: callers get back
a random name and look files up by it, and lookups accept only names of the
shape we generate.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import datetime
from pathlib import Path

from flask import current_app

from app.extensions import db

_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.[a-z0-9]{1,5}$")
AREAS = {"avatars", "files", "thumbs", "covers", "evidence", "pending", "media", "photos"}


def _area_dir(area: str) -> Path:
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}")
    folder = Path(current_app.config["UPLOAD_DIR"]) / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(area: str, data: bytes, extension: str) -> str:
    """Write `data` under a fresh random name in `area`; return the name."""
    name = f"{secrets.token_urlsafe(24)}.{extension}"
    target = _area_dir(area) / name
    tmp = target.with_suffix(target.suffix + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, target)  # readers never see a half-written file
    return name


def commit_or_delete(*written: tuple[str, str | None]) -> None:
    """Commit the session; if the commit fails, roll it back and delete the
    files written for it (`(area, name)` pairs): no file outlives its row."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        for area, name in written:
            delete(area, name)
        raise


def without_folders(file_name: str | None) -> str:
    """The last part of a name a browser sent, which may carry its folders."""
    return (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]


def path_for(area: str, name: str) -> Path | None:
    """The file's path, or None when the name is not one we could have made."""
    if not name or not _NAME.match(name):
        return None
    path = _area_dir(area) / name
    return path if path.is_file() else None


def delete(area: str, name: str | None) -> None:
    path = path_for(area, name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)


def sweep(area: str, older_than: datetime) -> int:
    """Delete the files in `area` last written before `older_than`; how many."""
    cutoff = older_than.timestamp()
    swept = 0
    for path in _area_dir(area).iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                swept += 1
        except FileNotFoundError:  # another process swept it first
            continue
    return swept
