"""Browser tests: the real app served over HTTP, driven by Playwright in Chromium.

Everything under tests/e2e is marked `e2e` (deselect with `-m "not e2e"`) and
runs on SQLite only: these fixtures build their own app and never touch the
root conftest's `database` fixture, so they are not repeated for PostgreSQL.

Fixtures:
  live_server  the app on http://127.0.0.1:<free port>, in a background thread
               (werkzeug, threaded: also serves Socket.IO websockets through
               simple-websocket). `.url`, `.app`, `.url_for_path("/x")`.
  browser      one headless Chromium for the whole session.
  new_page     factory: a page in a fresh browser context (own cookies), for
               a second or third user; closed after the test.
  page         the first such page.
  shot         `shot(page, "03-upload")`: a full-page screenshot into
               test-results/<test name>/, kept even when the test passes.
  translator   `translator("ar")("Library")`: a message as the compiled
               catalog gives it, so a test in another language reads what
               the page should say rather than repeating the translation.
  serve()      a context manager behind live_server, for a module-scoped
               server that several read-only tests share; serve_demo(seeded_demo,
               folder) the same on a copy of the demo site, which the
               `seeded_demo` fixture seeds once per run for every worker.

Pages use `live_server.url` as base URL (`page.goto("/register")`) and a 10 s
timeout. When a test fails, a screenshot and the HTML of every open page go
to test-results/<test name>/ (git-ignored).

Playwright's sync API keeps its asyncio event loop marked as running on the
main thread between calls, which would break any later test that calls
asyncio.run(). The loop is attached only while a browser test runs.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.support import Translations
from flask import Flask
from werkzeug.serving import make_server

from app import create_app, demo
from app.accounts import services as accounts
from app.db_types import utcnow
from app.events import services as events
from app.extensions import db
from app.resources import text_jobs
from app.search import service as search_service
from tests import services
from tests.conftest import SqliteDatabase, make_settings
from tests.helpers import PASSWORD

HERE = Path(__file__).resolve().parent
TIMEOUT_MS = 10_000
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_reports = pytest.StashKey[dict]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the mark must be there before `-m` deselects.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


# --- the live server ------------------------------------------------------


@dataclass
class LiveServer:
    app: Flask
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url_for_path(self, path: str) -> str:
        return self.url + path


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory):
    """The SQLite schema (db.create_all()), built once; each live server gets a copy."""
    return SqliteDatabase(tmp_path_factory.mktemp("e2e-sqlite"))


@contextmanager
def serve(database, folder: Path, **settings) -> Iterator[LiveServer]:
    """The app with a fresh copy of `database`, served over HTTP until the block ends."""
    app = create_app(make_settings(database, folder, **settings))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, host="127.0.0.1", port=server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        for name in ("search_worker", "text_worker"):
            worker = app.extensions.get(name)
            if worker is not None:
                worker.stop()
        database.reset(app)


class SeededDemo:
    """The demo data (`flask seed-demo`, its files read and indexed), seeded
    once per test run into a folder every xdist worker can read, then copied
    for each server: the database file, the uploads and the search index.
    Seeding takes about 20 s; three modules serve the demo site, and a
    module's tests may run on either worker. The first worker to ask seeds
    under a file lock; the others wait for it and copy."""

    PARTS = ("uploads", "search_index")

    def __init__(self, schema: SqliteDatabase, root: Path):
        self.folder = root / "seeded-demo"
        with open(root / "seeded-demo.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (self.folder / "ready").exists():
                shutil.rmtree(self.folder, ignore_errors=True)
                self._seed(schema)
                (self.folder / "ready").touch()

    def _seed(self, schema: SqliteDatabase) -> None:
        self.folder.mkdir(parents=True)
        app = create_app(make_settings(schema, self.folder))
        with app.app_context():
            demo.seed(lambda *_: None)
            text_jobs.drain()
            search_service.drain()
            db.session.remove()
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
        for name in ("search_worker", "text_worker"):
            if (worker := app.extensions.get(name)) is not None:
                worker.stop()

    def for_test(self, tmp_path) -> dict:
        for part in self.PARTS:
            shutil.copytree(self.folder / part, tmp_path / part, dirs_exist_ok=True)
        target = tmp_path / "test.db"
        shutil.copyfile(self.folder / "test.db", target)
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"}

    reset = SqliteDatabase.reset


@pytest.fixture(scope="session")
def seeded_demo(e2e_database, tmp_path_factory) -> SeededDemo:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base folder sits in the run's shared one.
    return SeededDemo(e2e_database, base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


@contextmanager
def serve_demo(seeded: SeededDemo, folder: Path) -> Iterator[LiveServer]:
    """`serve()` on a copy of the demo site (`seeded_demo`)."""
    with serve(seeded, folder) as server:
        yield server


@pytest.fixture
def live_server(e2e_database, tmp_path, app_settings):
    """The app with a fresh database, served over HTTP for this test.

    Settings are the root conftest's; override `app_settings` to add some.
    A module that only reads can share one server: `serve()` in a
    module-scoped fixture (see test_accessibility_browser.py)."""
    with serve(e2e_database, tmp_path, **app_settings) as server:
        yield server


# --- the browser ----------------------------------------------------------


class _PlaywrightLoop:
    """Detach Playwright's event loop from the main thread between tests."""

    def __init__(self):
        self.loop = asyncio._get_running_loop()  # noqa: SLF001 (Playwright leaves it set)

    def attach(self) -> None:
        if self.loop is not None:
            asyncio._set_running_loop(self.loop)  # noqa: SLF001

    @staticmethod
    def detach() -> None:
        asyncio._set_running_loop(None)  # noqa: SLF001


@pytest.fixture(scope="session")
def _playwright():
    chromium = services.need_chromium()
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415 (optional dependency)

    playwright = sync_playwright().start()
    loop = _PlaywrightLoop()
    try:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
    except BaseException:
        playwright.stop()
        raise
    expect.set_options(timeout=TIMEOUT_MS)
    loop.detach()
    try:
        yield browser, loop
    finally:
        loop.attach()
        try:
            browser.close()
        finally:
            playwright.stop()  # ends the loop and clears it from the thread


@pytest.fixture(scope="session")
def browser(_playwright):
    return _playwright[0]


@pytest.fixture(autouse=True)
def _playwright_event_loop(_playwright):
    """Playwright's loop is attached only while a browser test runs."""
    loop = _playwright[1]
    loop.attach()
    yield
    loop.detach()


def _artifact_dir(request) -> Path:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])[:120]
    return request.config.rootpath / "test-results" / name


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a new browser context: one context per user."""
    contexts = []

    def make(**context_options):
        options = {"base_url": live_server.url, "locale": "en-GB", **context_options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make

    reports = request.node.stash.get(_reports, {})
    failed = any(report.failed for report in reports.values())
    try:
        if failed:
            folder = _artifact_dir(request)
            folder.mkdir(parents=True, exist_ok=True)
            pages = [p for context in contexts for p in context.pages]
            for number, open_page in enumerate(pages, start=1):
                try:
                    open_page.screenshot(path=folder / f"page-{number}.png", full_page=True)
                    (folder / f"page-{number}.html").write_text(open_page.content(), encoding="utf-8")
                except Exception as error:  # noqa: BLE001 (a broken page must not hide the failure)
                    print(f"could not save page {number}: {error}")
            print(f"screenshots and HTML of the failed test: {folder}")
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shot(request):
    """`shot(page, "03-upload")` saves a full-page screenshot to
    test-results/<test name>/03-upload.png, kept whether the test passes or
    not, so a person can look through a journey afterwards."""
    folder = _artifact_dir(request)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    take.folder = folder
    return take


# --- shared steps -----------------------------------------------------------


def educator(username: str, display_name: str, **fields):
    """A confirmed member made through the registration service (call it in an
    app context): <username>@school.example, the tests' password, in Britain
    on London time unless `fields` say otherwise."""
    return accounts.register(email_verified=True, username=username, email=f"{username}@school.example",
                             password=PASSWORD, display_name=display_name,
                             **{"country": "GB", "timezone": "Europe/London", **fields})


def sign_in(page, username: str, name: str | None = None, password: str = PASSWORD) -> None:
    """Sign in through the login form; `name` also checks the greeting uses it.
    A demo member's password is `app.demo.people.MEMBER_PASSWORD`."""
    from playwright.sync_api import expect  # noqa: PLC0415 (optional dependency)

    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome back, {name}." if name else "Welcome back")


@cache
def translator(locale: str):
    """The compiled catalog's gettext for `locale` (English gives each
    message back as it is), the .mo files the server itself reads."""
    folder = Path(__file__).resolve().parents[2] / "app" / "translations"
    return Translations.load(str(folder), [locale]).gettext


def wait_until_live(page, timeout: float = 10.0) -> None:
    """Wait for the page's Socket.IO connection. Polled from Python: the
    page's CSP (no unsafe-eval) refuses Playwright's in-page polling of a
    string predicate, while a single evaluate goes through the DevTools
    protocol."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("() => Boolean(window.staffroomLive && window.staffroomLive.connected)"):
        assert time.monotonic() < deadline, "the live connection never came up"
        page.wait_for_timeout(50)


@pytest.fixture
def open_room(live_server) -> int:
    """Amira (host) and Gary, and a connection call whose room is open now: its id."""
    with live_server.app.app_context():
        amira = educator("amira_h", "Amira Haddad", country="SA", timezone="Asia/Riyadh")
        educator("gary_w", "Gary Williams")
        event = events.create_event(amira, title="Open connection call", kind="connection_call",
                                    starts_at=utcnow() + timedelta(days=1), duration_min=120)
        event.starts_at = utcnow() - timedelta(minutes=5)  # the service refuses starts in the past
        event.ends_at = event.starts_at + timedelta(minutes=120)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id
