"""Background threads that drain an outbox table: the search index jobs and
the text extraction jobs share this shape.

A worker runs `drain()` in an app context when a transaction that wrote its
jobs commits (so the work starts at once) and every `poll_seconds` (to pick
up jobs written by other processes or left behind by a crash). A failing
drain is logged and retried on the next wake; its jobs stay queued.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)
_WAKE = "wake_workers"


class OutboxWorker:
    def __init__(self, app: Flask, name: str, drain: Callable[[], object], poll_seconds: float,
                 prepare: Callable[[], None] | None = None):
        self.app = app
        self.name = name
        self.drain = drain
        self.prepare = prepare
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, name=name.replace("_", "-"), daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def run(self) -> None:
        if self.prepare is not None:
            self._step(self.prepare, "preparing")
        while not self.stopped.is_set():
            self.wake.wait(self.poll_seconds)
            self.wake.clear()
            if self.stopped.is_set():
                break
            self._step(self.drain, "drain")

    def _step(self, work: Callable, what: str) -> None:
        with self.app.app_context():
            try:
                work()
            except Exception:  # keep the thread alive; jobs stay queued
                log.exception("%s: %s failed; will retry", self.name, what)
                db.session.rollback()
            finally:
                db.session.remove()


def run_in_foreground(step: Callable[[], int], *, once: bool, poll: float, report: Callable[[int], None]) -> None:
    """The loop of a `flask ... worker` command: run `step` (which returns how
    much it did), report what it did, and poll until stopped (or once)."""
    while True:
        done = step()
        if done:
            report(done)
        if once:
            return
        time.sleep(poll)


_START = threading.Lock()  # one worker of a name per app, however many threads ask at once


def start_worker(app: Flask, name: str, make: Callable[[], OutboxWorker]) -> OutboxWorker:
    """The app's worker called `name`, started once however many threads ask."""
    worker = app.extensions.get(name)
    if worker is None:
        with _START:
            worker = app.extensions.get(name)
            if worker is None:
                worker = make()
                app.extensions[name] = worker
                worker.start()
    return worker


def start_with_first_request(app: Flask, name: str, make: Callable[[], OutboxWorker]) -> None:
    """Start the worker with the first request (CLI commands start none)."""

    def ensure_worker():
        if name not in app.extensions:
            start_worker(app, name, make)

    app.before_request(ensure_worker)


def wake_after_commit(session: Session, name: str) -> None:
    """Wake the worker called `name` once this session's transaction commits."""
    session.info.setdefault(_WAKE, set()).add(name)


@event.listens_for(Session, "after_commit")
def _wake_workers(session: Session) -> None:
    names = session.info.pop(_WAKE, None)
    if not names:
        return
    try:
        extensions = current_app.extensions
    except RuntimeError:  # committed outside an app context
        return
    for name in names:
        worker = extensions.get(name)
        if worker is not None:
            worker.wake.set()


@event.listens_for(Session, "after_rollback")
def _forget_wakes(session: Session) -> None:
    session.info.pop(_WAKE, None)
