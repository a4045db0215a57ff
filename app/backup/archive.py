"""The archive file: a gzipped tar with `manifest.json`, `database/...` and
`uploads/...`.

Writing goes to a hidden `.part` file renamed into place at the end, so an
interrupted run never leaves something that looks like a backup. Reading
never calls `tarfile.extract`: every member name is checked, then its bytes
are copied to a path we build ourselves while their checksum is taken, so a
hostile archive cannot write outside the staging folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath

from app.backup.errors import BackupError

MANIFEST = "manifest.json"
FORMAT = "staffroom-backup"
FORMAT_VERSION = 1
TOP_LEVEL = {"database", "uploads"}
MAX_MANIFEST_BYTES = 50 * 1024 * 1024
CHUNK = 1024 * 1024


class _HashingReader:
    """A file wrapper that hashes what tarfile reads from it."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = int(time.time())
    return info


class ArchiveWriter:
    """Collects files into `path`; only a clean exit makes `path` appear."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(f".{path.name}.part")
        self.files: dict[str, dict] = {}

    def __enter__(self) -> ArchiveWriter:
        self.handle = open(self.partial, "xb")  # noqa: SIM115 (closed in __exit__)
        self.tar = tarfile.open(fileobj=self.handle, mode="w:gz")
        return self

    def add_file(self, name: str, source: Path) -> None:
        """Add `source` as `name`, hashing the bytes as they are written."""
        with open(source, "rb") as handle:
            # Sized from the open handle: upload files are replaced, never
            # rewritten, so what we opened is what we copy.
            reader = _HashingReader(handle)
            self.tar.addfile(_tarinfo(name, os.fstat(handle.fileno()).st_size), reader)
        self.files[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}

    def add_manifest(self, manifest: dict) -> None:
        data = json.dumps({**manifest, "files": self.files}, indent=2, sort_keys=True).encode()
        self.tar.addfile(_tarinfo(MANIFEST, len(data)), io.BytesIO(data))

    def __exit__(self, kind, error, traceback) -> None:
        try:
            self.tar.close()
            self.handle.flush()
            os.fsync(self.handle.fileno())
        finally:
            self.handle.close()
            if kind is None:
                os.replace(self.partial, self.path)
            else:
                self.partial.unlink(missing_ok=True)


def member_path(name: str, directory: bool = False) -> PurePosixPath:
    """The member's relative path, or BackupError when it could escape the
    staging folder or is not something a backup contains."""
    path = PurePosixPath(name)
    if (not name or "\\" in name or "\x00" in name or path.is_absolute()
            or any(part in ("..", ".", "") for part in name.split("/"))):
        raise BackupError(f"Refusing the archive: member {name!r} has an unsafe path. Nothing was restored.")
    if name != MANIFEST and (path.parts[0] not in TOP_LEVEL or (len(path.parts) < 2 and not directory)):
        raise BackupError(f"Refusing the archive: unexpected member {name!r}. Nothing was restored.")
    return path


def _copy_member(source, target: Path) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(target, "xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _read_members(archive: Path, staging: Path) -> tuple[bytes, dict[str, dict]]:
    manifest_bytes = None
    found: dict[str, dict] = {}
    with tarfile.open(archive, mode="r:*") as tar:
        for member in tar:
            if member.isdir():
                member_path(member.name.rstrip("/"), directory=True)
                continue
            path = member_path(member.name)
            if not member.isfile():
                raise BackupError(f"Refusing the archive: {member.name!r} is a link or special file.")
            if member.name in found or (member.name == MANIFEST and manifest_bytes is not None):
                raise BackupError(f"Refusing the archive: {member.name!r} appears twice.")
            source = tar.extractfile(member)
            if member.name == MANIFEST:
                if member.size > MAX_MANIFEST_BYTES:
                    raise BackupError("Refusing the archive: its manifest is implausibly large.")
                manifest_bytes = source.read()
            else:
                found[member.name] = _copy_member(source, staging.joinpath(*path.parts))
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no {MANIFEST}: it is not a Staffroom backup.")
    return manifest_bytes, found


def _check_files(listed: dict, found: dict[str, dict]) -> None:
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    damaged = sorted(
        name for name in set(listed) & set(found)
        if not isinstance(listed[name], dict)
        or (listed[name].get("sha256"), listed[name].get("size")) != (found[name]["sha256"], found[name]["size"])
    )
    for problem, names in (("missing from the archive", missing), ("not in the manifest", extra),
                           ("checksum or size mismatch", damaged)):
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            raise BackupError(f"The archive is damaged or was altered: {problem}: {shown}. Nothing was restored.")


def extract_verified(archive: Path, staging: Path) -> dict:
    """Copy the archive's files under `staging`, check them against the
    manifest and return the manifest. Nothing outside `staging` is touched."""
    try:
        manifest_bytes, found = _read_members(archive, staging)
    except BackupError:
        raise
    except FileNotFoundError as error:
        raise BackupError(f"No such archive: {archive}.") from error
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{archive} is not a readable backup archive (damaged or not a .tar.gz): {error}.") from error
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"The archive's {MANIFEST} is not valid JSON: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Staffroom backup (its manifest has no format {FORMAT!r}).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"This backup has format version {manifest.get('format_version')}; "
                          f"this Staffroom reads version {FORMAT_VERSION}. Restore it with a matching release.")
    if not isinstance(manifest.get("files"), dict):
        raise BackupError(f"The archive's {MANIFEST} lists no files.")
    _check_files(manifest["files"], found)
    return manifest
