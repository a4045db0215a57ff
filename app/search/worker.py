"""The one index writer of a web process: a thread that drains the outbox.

It wakes when a transaction that wrote index jobs commits (so a saved
resource is findable in well under a second), and also polls, to pick up jobs
written by other processes or left behind by a crash. Deployments with
several processes set SEARCH_WORKER=off on the web processes and run
`flask search worker` once instead.
"""

from __future__ import annotations

import logging

from flask import Flask

from app import background
from app.extensions import db
from app.search import service

log = logging.getLogger(__name__)
EXTENSION = "search_worker"


class SearchWorker(background.OutboxWorker):
    def __init__(self, app: Flask, poll_seconds: float = 2.0):
        super().__init__(app, EXTENSION, service.drain, poll_seconds, prepare=self._rebuild_if_needed)

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


def _make(app: Flask) -> SearchWorker:
    return SearchWorker(app, poll_seconds=app.config["SEARCH_POLL_SECONDS"])


def start_worker(app: Flask) -> SearchWorker:
    return background.start_worker(app, EXTENSION, lambda: _make(app))


def register(app: Flask) -> None:
    """Start the worker thread with the first request (not for CLI commands)."""
    if app.config["SEARCH_WORKER"] == "thread":
        background.start_with_first_request(app, EXTENSION, lambda: _make(app))
