"""The one index writer of a web process: a thread that drains the outbox.

It wakes when a transaction that wrote index jobs commits (so a saved
resource is findable in well under a second), and also polls, to pick up jobs
written by other processes or left behind by a crash. Deployments with
several processes set SEARCH_WORKER=off on the web processes and run
`flask search worker` once instead.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.search import service
from app.search.jobs import WAKE_FLAG

log = logging.getLogger(__name__)
EXTENSION = "search_worker"


class SearchWorker:
    def __init__(self, app: Flask, poll_seconds: float = 2.0):
        self.app = app
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name="search-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def run(self) -> None:
        with self.app.app_context():
            self._rebuild_if_needed()
        while not self.stopped.is_set():
            self.wake.wait(self.poll_seconds)
            self.wake.clear()
            if self.stopped.is_set():
                break
            with self.app.app_context():
                try:
                    service.drain()
                except Exception:  # keep the worker alive; jobs stay queued
                    log.exception("search index drain failed; will retry")
                    db.session.rollback()
                finally:
                    db.session.remove()

    def _rebuild_if_needed(self) -> None:
        try:
            if service.writable_index().needs_rebuild:
                log.warning("search index missing or unreadable: rebuilding from the database")
                service.reindex()
        except Exception:
            log.exception("search index rebuild failed")
            db.session.rollback()
        finally:
            db.session.remove()


def start_worker(app: Flask) -> SearchWorker:
    worker = app.extensions.get(EXTENSION)
    if worker is None:
        worker = SearchWorker(app, poll_seconds=app.config["SEARCH_POLL_SECONDS"])
        app.extensions[EXTENSION] = worker
        worker.start()
    return worker


def register(app: Flask) -> None:
    """Start the worker thread with the first request (not for CLI commands)."""
    if app.config["SEARCH_WORKER"] != "thread":
        return
    lock = threading.Lock()

    def ensure_worker():
        if EXTENSION not in app.extensions:
            with lock:
                start_worker(app)

    app.before_request(ensure_worker)


@event.listens_for(Session, "after_commit")
def _wake_worker(session: Session) -> None:
    if session.info.pop(WAKE_FLAG, None):
        try:
            worker = current_app.extensions.get(EXTENSION)
        except RuntimeError:  # committed outside an app context
            return
        if worker is not None:
            worker.wake.set()
