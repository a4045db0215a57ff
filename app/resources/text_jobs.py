"""Reading the words inside uploaded files, and making their previews, after
the upload has been answered.

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
from app.resources import languages, text_extract
from app.resources.models import Resource, ResourceText, StoredFile
from app.search import jobs as search_jobs

log = logging.getLogger(__name__)
WORKER = "text_worker"
MAX_ATTEMPTS = 3
CHILD = Path(text_extract.__file__)
# Kinds whose job reads words; images get a job for their preview only.
TEXT_KINDS = set(text_extract.EXTRACTORS)
PREVIEW_KINDS = set(text_extract.PREVIEWERS)
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
    return kind in TEXT_KINDS or kind in PREVIEW_KINDS


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
    preview: str | None = None  # ready, none or failed (StoredFile.preview_status); None: not tried


def extract(path: Path, kind: str, *, memory_mb: int, seconds: int) -> Extraction:
    """Read `path` in a child process under the ceilings; never raises for
    what is in the file (only when no child could be started)."""
    with tempfile.TemporaryDirectory(prefix="staffroom-extract-") as out_dir:
        try:
            child = subprocess.run(child_command(path, kind, out_dir, memory_mb, seconds), capture_output=True,
                                   timeout=seconds * 2, env=child_environment(), cwd=out_dir, check=False)
        except subprocess.TimeoutExpired:  # run() has killed it
            log.warning("text extraction of a %s file took over %d s: stopped", kind, seconds * 2)
            return read_result(None, Path(out_dir), kind)
        return read_result(child, Path(out_dir), kind)


def child_command(path: Path, kind: str, out_dir: str, memory_mb: int, seconds: int) -> list[str]:
    return [sys.executable, "-I", "-X", "utf8", str(CHILD), kind, str(path), out_dir, str(memory_mb), str(seconds)]


def child_environment() -> dict[str, str]:
    """A bare environment: the child has no business with the app's secrets."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}


def read_result(child: subprocess.CompletedProcess | None, out_dir: Path, kind: str) -> Extraction:
    """What the child left: its report says how the text went (written before
    the preview was tried, so a child stopped while making the preview keeps
    its text); without one, the exit code says why."""
    report_file = out_dir / text_extract.REPORT
    if not report_file.exists():
        returncode = None if child is None else child.returncode
        if returncode is None or returncode == text_extract.EXIT_OVER_LIMIT or returncode < 0:
            log.warning("text extraction of a %s file went over its ceiling (exit %s)", kind, returncode)
            return Extraction(_status(kind, "too_large"), preview="failed")
        log.warning("text extraction of a %s file failed (exit %s): %s", kind, returncode, _output(child))
        return Extraction(_status(kind, "failed"), preview="failed")
    report = json.loads(report_file.read_text(encoding="utf-8") or "{}")
    text_file, thumb_file = out_dir / "text.txt", out_dir / "thumb.png"
    text = text_file.read_text(encoding="utf-8") if text_file.exists() else None
    thumb = thumb_file.read_bytes() if thumb_file.exists() else None
    preview = _preview_status(child, thumb, kind)
    if report.get("error"):
        log.warning("text extraction of a %s file failed: %s", kind, report["error"])
        return Extraction(_status(kind, "failed"), thumbnail=thumb, preview=preview)
    return Extraction(_status(kind, "indexed" if text else "none"), text, thumb, bool(report.get("truncated")),
                      preview)


def _preview_status(child: subprocess.CompletedProcess | None, thumb: bytes | None, kind: str) -> str:
    if thumb:
        return "ready"
    if child is None or child.returncode not in (text_extract.EXIT_OK, text_extract.EXIT_UNREADABLE):
        log.warning("the preview of a %s file stopped its reader (exit %s)", kind, child and child.returncode)
        return "failed"
    last_line = (child.stdout.decode(errors="replace").strip().splitlines() or ["{}"])[-1]
    try:
        made = json.loads(last_line).get("preview")
    except ValueError:
        made = None
    return "none" if made == text_extract.NONE else "failed"


def _output(child: subprocess.CompletedProcess) -> str:
    return child.stdout.decode(errors="replace")[-500:] or child.stderr.decode(errors="replace")[-500:]


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
        _finish(job_id, Extraction("failed", preview="failed"))
        return
    copied = _already_read(resource)
    if copied is not None:
        _finish(job_id, copied)
        return
    path, kind = storage.path_for("files", resource.file.storage_name), resource.file.kind
    if path is None:
        log.warning("resource %s: its stored file is missing", resource.id)
        _finish(job_id, Extraction("failed", preview="failed"))
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
    """The result for another resource with the same bytes, if it has one
    (the preview is the bytes' own: there only once it was tried)."""
    if resource.file.preview_status is None:
        return None
    twin = db.session.scalar(
        select(Resource).where(Resource.file_id == resource.file_id, Resource.id != resource.id,
                               Resource.text_status.in_(FINAL))
        .options(selectinload(Resource.text)).limit(1))
    if twin is None:
        return None
    return Extraction(twin.text_status, twin.text.body if twin.text else None)


def _finish(job_id: int, result: Extraction | None = None) -> None:
    """Write the result (when the resource still has the file it was for) and drop the job."""
    written = None
    job = db.session.get(TextJob, job_id)
    resource = _resource_for(job) if job is not None and result is not None else None
    if resource is not None:
        written = _keep_preview(resource.file, result)
        resource.text = ResourceText(body=result.text) if result.text else None
        resource.text_status = result.status  # a change: the search index job is queued with it
        if resource.language_detected and result.text:
            languages.detect(resource, result.text)  # the file's words say more than the title
    db.session.execute(delete(TextJob).where(TextJob.id == job_id))
    storage.commit_or_delete(("thumbs", written))


def _keep_preview(stored: StoredFile, result: Extraction) -> str | None:
    """Store a new preview of `stored`'s bytes; returns the thumbnail written, if any.
    Every resource sharing the bytes shows it in search results: their index
    entries are queued again."""
    if result.preview is None:
        return None
    written = None
    if result.thumbnail and stored.thumb_name is None:
        written = storage.save("thumbs", result.thumbnail, "png")
        stored.thumb_name = written
    stored.preview_status = "ready" if stored.thumb_name else result.preview
    if written:
        sharing = db.session.scalars(select(Resource.id).where(Resource.file_id == stored.id)).all()
        search_jobs.enqueue(f"resource:{resource_id}" for resource_id in sharing)
    return written


def queue_missing_previews(limit: int | None = None) -> int:
    """Queue a job for each stored file whose preview was never tried (files
    uploaded before previews: `flask resources previews`), through one
    resource that has it. Returns how many were queued."""
    waiting = select(TextJob.file_id)
    statement = (select(func.min(Resource.id), StoredFile.id).join(StoredFile, Resource.file_id == StoredFile.id)
                 .where(StoredFile.preview_status.is_(None), StoredFile.kind.in_(PREVIEW_KINDS),
                        StoredFile.id.not_in(waiting))
                 .group_by(StoredFile.id).order_by(StoredFile.id))
    if limit:
        statement = statement.limit(limit)
    rows = db.session.execute(statement).all()
    for resource_id, file_id in rows:
        db.session.add(TextJob(resource_id=resource_id, file_id=file_id))
    if rows:
        background.wake_after_commit(db.session(), WORKER)
    db.session.commit()
    return len(rows)


# The worker -----------------------------------------------------------------------

def _make(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.OutboxWorker(app, WORKER, drain, poll_seconds=poll_seconds or app.config["SEARCH_POLL_SECONDS"])


def start_worker(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.start_worker(app, WORKER, lambda: _make(app, poll_seconds))


def register(app: Flask) -> None:
    """Run the jobs in a thread of the web process, beside the search worker."""
    if app.config["SEARCH_WORKER"] == "thread":
        background.start_with_first_request(app, WORKER, lambda: _make(app))
