"""Reading the words inside uploaded files, after the upload has been answered.

An upload stores its bytes and writes a `text_jobs` row in the same
transaction (the outbox pattern of the search index); the resource shows
"preparing the text for search" until a worker has run the job. The worker
is a thread of the web process (SEARCH_WORKER=thread) or of
`flask search worker`, and runs each extraction in a child process with a
memory and time ceiling (`text_extract.py`), so a file built to explode
costs that child, never a web process. The result is written to the
resource, whose change queues its search index job.

A job is claimed before it runs (attempts + 1, not before now + a lease),
so a worker that dies mid-file leaves a job that is retried later, at most
MAX_ATTEMPTS times, and then marked failed: never retried forever.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import ForeignKey, Integer, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app import background, storage
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.resources import text_extract
from app.resources.models import Resource, ResourceText, StoredFile

log = logging.getLogger(__name__)
WORKER = "text_worker"
MAX_ATTEMPTS = 3
CHILD = Path(text_extract.__file__)
# Kinds whose job reads words; images get a job for their preview only.
TEXT_KINDS = set(text_extract.EXTRACTORS)
FINAL = ("indexed", "failed", "too_large", "none")


class TextJob(db.Model):
    __tablename__ = "text_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    # The file to read: a job whose resource has since got another file is dropped.
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    resource: Mapped[Resource] = relationship()
    file: Mapped[StoredFile] = relationship()


def needs_job(kind: str) -> bool:
    return kind in TEXT_KINDS or kind == "image"


def enqueue(resource: Resource, stored: StoredFile) -> None:
    """Queue `stored`, the new file of `resource`, to be read once this transaction commits."""
    db.session.add(TextJob(resource=resource, file=stored))
    background.wake_after_commit(db.session(), WORKER)


# Running one extraction -------------------------------------------------------------

@dataclass
class Extraction:
    status: str  # indexed, none, failed or too_large
    text: str | None = None
    thumbnail: bytes | None = None
    truncated: bool = False


def extract(path: Path, kind: str, *, memory_mb: int, seconds: int) -> Extraction:
    """Read `path` in a child process under the ceilings; never raises for
    what is in the file (only when no child could be started)."""
    with tempfile.TemporaryDirectory(prefix="staffroom-extract-") as out_dir:
        command = [sys.executable, "-I", "-X", "utf8", str(CHILD), kind, str(path), out_dir,
                   str(memory_mb), str(seconds)]
        # A bare environment: the child has no business with the app's secrets.
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
        try:
            child = subprocess.run(command, capture_output=True, timeout=seconds * 2, env=environment,
                                   cwd=out_dir, check=False)
        except subprocess.TimeoutExpired:  # run() has killed it
            log.warning("text extraction of a %s file took over %d s: stopped", kind, seconds * 2)
            return Extraction(_status(kind, "too_large"))
        return _read_result(child, Path(out_dir), kind)


def _read_result(child: subprocess.CompletedProcess, out_dir: Path, kind: str) -> Extraction:
    if child.returncode == text_extract.EXIT_OVER_LIMIT or child.returncode < 0:
        log.warning("text extraction of a %s file went over its ceiling (exit %s)", kind, child.returncode)
        return Extraction(_status(kind, "too_large"))
    if child.returncode != text_extract.EXIT_OK:
        log.warning("text extraction of a %s file failed (exit %s): %s", kind, child.returncode,
                    child.stdout.decode(errors="replace")[-500:] or child.stderr.decode(errors="replace")[-500:])
        return Extraction(_status(kind, "failed"))
    report = json.loads(child.stdout.decode() or "{}")
    text_file, thumb_file = out_dir / "text.txt", out_dir / "thumb.png"
    text = text_file.read_text(encoding="utf-8") if text_file.exists() else None
    thumb = thumb_file.read_bytes() if thumb_file.exists() else None
    return Extraction(_status(kind, "indexed" if text else "none"), text, thumb, bool(report.get("truncated")))


def _status(kind: str, status: str) -> str:
    """An image has no text to read: a preview that could not be made leaves it "none"."""
    return status if kind in TEXT_KINDS else "none"


# The queue ------------------------------------------------------------------------

def drain(limit: int | None = None) -> int:
    """Run every job that is due, one at a time; returns how many were run."""
    handled = 0
    while limit is None or handled < limit:
        now = utcnow()
        job = db.session.scalar(select(TextJob).where(TextJob.run_after <= now).order_by(TextJob.id).limit(1))
        if job is None:
            db.session.commit()
            return handled
        # Claimed for longer than the child may run, by an update that matches
        # only if no other worker claimed the job since it was read.
        claimed = db.session.execute(update(TextJob).where(TextJob.id == job.id, TextJob.attempts == job.attempts)
                                     .values(attempts=job.attempts + 1,
                                             run_after=now + timedelta(seconds=_seconds() * 3 + 30))).rowcount
        db.session.commit()
        if claimed:
            _run(job)
            handled += 1
    return handled


def pending() -> int:
    return db.session.scalar(select(func.count(TextJob.id))) or 0


def _seconds() -> int:
    return int(current_app.config["TEXT_EXTRACT_SECONDS"])


def _run(job: TextJob) -> None:
    job_id = job.id
    resource = _resource_for(job)
    if resource is None:
        _finish(job_id)  # deleted, or a newer file has its own job
        return
    if job.attempts > MAX_ATTEMPTS:
        log.warning("text extraction of resource %s gave up after %d attempts", resource.id, MAX_ATTEMPTS)
        _finish(job_id, Extraction("failed"))
        return
    copied = _already_read(resource)
    if copied is not None:
        _finish(job_id, copied)
        return
    path, kind = storage.path_for("files", resource.file.storage_name), resource.file.kind
    if path is None:
        log.warning("resource %s: its stored file is missing", resource.id)
        _finish(job_id, Extraction("failed"))
        return
    db.session.commit()  # no transaction held open while the child works
    try:
        result = extract(path, kind, memory_mb=current_app.config["TEXT_EXTRACT_MEMORY_MB"], seconds=_seconds())
    except OSError:  # no child could be started: try again later
        log.exception("could not start a text extraction")
        db.session.execute(update(TextJob).where(TextJob.id == job_id)
                           .values(run_after=utcnow() + timedelta(seconds=30 * 2 ** job.attempts)))
        db.session.commit()
        return
    _finish(job_id, result)


def _resource_for(job: TextJob) -> Resource | None:
    """The job's resource, if it still has the job's file."""
    resource = db.session.scalar(select(Resource).where(Resource.id == job.resource_id)
                                 .options(selectinload(Resource.text)))
    if resource is None or resource.file_id != job.file_id or resource.file is None:
        return None
    return resource


def _already_read(resource: Resource) -> Extraction | None:
    """The result for another resource with the same bytes, if it has one."""
    twin = db.session.scalar(
        select(Resource).where(Resource.file_id == resource.file_id, Resource.id != resource.id,
                               Resource.text_status.in_(FINAL))
        .options(selectinload(Resource.text)).limit(1))
    if twin is None or (resource.file.kind == "image" and resource.file.thumb_name is None):
        return None
    return Extraction(twin.text_status, twin.text.body if twin.text else None)


def _finish(job_id: int, result: Extraction | None = None) -> None:
    """Write the result (when the resource still has the file it was for) and drop the job."""
    written = None
    job = db.session.get(TextJob, job_id)
    resource = _resource_for(job) if job is not None and result is not None else None
    if resource is not None:
        if result.thumbnail and resource.file.thumb_name is None:
            written = storage.save("thumbs", result.thumbnail, "png")
            resource.file.thumb_name = written
        resource.text = ResourceText(body=result.text) if result.text else None
        resource.text_status = result.status  # a change: the search index job is queued with it
    db.session.execute(delete(TextJob).where(TextJob.id == job_id))
    storage.commit_or_delete(("thumbs", written))


# The worker -----------------------------------------------------------------------

def _make(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.OutboxWorker(app, WORKER, drain, poll_seconds=poll_seconds or app.config["SEARCH_POLL_SECONDS"])


def start_worker(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.start_worker(app, WORKER, lambda: _make(app, poll_seconds))


def register(app: Flask) -> None:
    """Run the jobs in a thread of the web process, beside the search worker."""
    if app.config["SEARCH_WORKER"] == "thread":
        background.start_with_first_request(app, WORKER, lambda: _make(app))
