"""flaskr-style fixtures: app, client, auth, api, make_user.

Every test gets a fresh database and a fresh upload folder and search index.
The suite runs on SQLite always and, when STAFFROOM_TEST_DATABASE_URL is set,
again on PostgreSQL (one schema per test session, dropped at the end).
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
from datetime import timedelta

import pytest
import sqlalchemy as sa
from jinja2 import BytecodeCache

from app import create_app, rate_limits
from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db, socketio
from app.mail import sender as mail_sender
from app.resources import text_jobs
from app.search import service as search_service
from tests import services
from tests.helpers import PASSWORD, ApiClient, Client
from tests.mailbox import SmtpServer

# Events made through the real service (make_event, live_event), for every package's tests.
pytest_plugins = ["tests.events.fixtures"]

# Tests that take tens of seconds each. They go first: pytest-xdist hands out
# the rest as workers free up, so no worker is left alone with a long one at
# the end of the run (collection order would put the fuzzing last). None
# uses the `database` fixture, so pytest's grouping by its two values stays.
LONG_RUNNING = ("tests/test_api_fuzz.py", "tests/test_integer_params.py", "tests/e2e/test_phone_width_browser.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in LONG_RUNNING)  # stable: False first


@pytest.hookimpl(tryfirst=True)  # before pytest applies parametrize marks and fixture values
def pytest_generate_tests(metafunc):
    """`one_database` tests check words, files or pictures, not SQL: SQLite only."""
    if "database" in metafunc.fixturenames and metafunc.definition.get_closest_marker("one_database"):
        # As a mark, which the fixture's own values give way to.
        metafunc.definition.add_marker(pytest.mark.parametrize("database", ["sqlite"], indirect=True, scope="session"))


def pytest_collection_finish(session):
    """What the imports made lives all run long: moved out of the collector's
    way, a full collection scans only what the tests make (each test's app),
    which took a third of the run's time when it also scanned the libraries."""
    gc.collect()
    gc.freeze()


class SqliteDatabase:
    """A schema built once into a template file, copied for each test."""

    name = "sqlite"

    def __init__(self, folder):
        self.template = folder / "template.db"
        app = create_app(self.settings(self.template, folder))
        with app.app_context():
            db.create_all()
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()

    @staticmethod
    def settings(path, folder) -> dict:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "INSTANCE_PATH": folder / "instance"}

    def for_test(self, tmp_path) -> dict:
        target = tmp_path / "test.db"
        shutil.copyfile(self.template, target)
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"}

    def reset(self, app) -> None:
        with app.app_context():
            db.engine.dispose()

    def close(self) -> None:
        pass


class PostgresDatabase:
    """One schema for the session; tables emptied after each test.

    Emptied with DELETE, children first, and only the tables a test wrote
    to (found in one query): a TRUNCATE of `users` cascades to the ~40
    tables that refer to it and took 70-200 ms, a test's few DELETEs take
    about 3. Every sequence then starts again at 1 (a rolled-back insert
    advances one too). The schema has no foreign-key cycles to order around."""

    name = "postgresql"

    def __init__(self, url, folder):
        self.url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        self.schema = f"test_{os.getpid()}_{secrets.token_hex(4)}"
        self.engine = sa.create_engine(self.url)
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{self.schema}"')
        app = create_app({**self.for_test(None), "INSTANCE_PATH": folder / "instance"})
        with app.app_context():
            db.create_all()
            self.tables = [table.name for table in db.metadata.sorted_tables]  # parents first
            db.engine.dispose()
        self.used_tables_sql = " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {self.quoted(name)})" for name in self.tables)
        self.restart_sequences_sql = (
            "SELECT setval(s.oid, 1, false) FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace "
            f"WHERE s.relkind = 'S' AND n.nspname = '{self.schema}'")

    def quoted(self, table: str) -> str:
        return f'"{self.schema}"."{table}"'

    def engine_options(self) -> dict:
        return {"connect_args": {"options": f"-csearch_path={self.schema}"}}

    def for_test(self, tmp_path) -> dict:
        return {"SQLALCHEMY_DATABASE_URI": self.url, "SQLALCHEMY_ENGINE_OPTIONS": self.engine_options()}

    def reset(self, app) -> None:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                used = {name for (name,) in connection.exec_driver_sql(self.used_tables_sql)}
                for name in reversed(self.tables):
                    if name in used:
                        connection.exec_driver_sql(f"DELETE FROM {self.quoted(name)}")
                connection.exec_driver_sql(self.restart_sequences_sql).all()
            db.engine.dispose()

    def close(self) -> None:
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{self.schema}" CASCADE')
        self.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "postgresql":
        backend = PostgresDatabase(services.need_postgres(), folder)
    else:
        backend = SqliteDatabase(folder)
    yield backend
    backend.close()


class SharedTemplateCache(BytecodeCache):
    """Compiled templates kept in memory for the whole test process.

    Each test makes its own app, whose Jinja environment would compile every
    template it renders again (about 0.1 s a page, and garbage for the
    collector); Jinja checks each template's source checksum on load.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source):
        # Compiled code depends on which filters and tests existed when it was
        # compiled (an unknown filter becomes a stub that raises): keyed by them too.
        kind = hash((frozenset(environment.filters), frozenset(environment.tests)))
        return super().get_bucket(environment, f"{name}|{kind}", filename, source)

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplateCache()


def make_settings(database, tmp_path, **extra) -> dict:
    return {
        "TESTING": True,
        "TEMPLATE_BYTECODE_CACHE": TEMPLATES,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": tmp_path / "instance",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",  # still argon2id, just fast
        # Tests drain the search outbox themselves (`index_now`), so results
        # never depend on a background thread's timing.
        "SEARCH_WORKER": "off",
        # Likewise mail: tests send it with `mail_now`.
        "MAIL_WORKER": "off",
        **database.for_test(tmp_path),
        **extra,
    }


@pytest.fixture
def app_settings():
    """Extra settings for the `app` fixture; override in a module to change them."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_settings):
    app = create_app(make_settings(database, tmp_path, **app_settings))
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
    database.reset(app)


@pytest.fixture
def live(app):
    """Socket.IO test clients on /live: `live(flask_client)` signs in with
    that client's session cookie, `live(token="...")` with an API token."""
    made = []

    def connect(flask_client=None, token=None):
        socket = socketio.test_client(app, namespace="/live", flask_test_client=flask_client,
                                      auth={"token": token} if token else None)
        made.append(socket)
        return socket

    yield connect
    for socket in made:
        if socket.is_connected("/live"):
            socket.disconnect("/live")
    rate_limits.reset_limits()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def index_now(app):
    """Read the text of uploaded files, then apply pending search index jobs;
    returns how many index jobs were applied."""

    def drain() -> int:
        text_jobs.drain()
        return search_service.drain()

    return drain


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free loopback port; the app's mail goes to it."""
    server = SmtpServer().start()
    app.config.update(server.settings())
    yield server
    server.stop()


@pytest.fixture
def mail_now(app):
    """One round of the mail sender loop, as its thread would run it:
    notifications due for mail are batched into mails, then everything due
    is sent. `after` (seconds) runs it that far in the future, past the
    notification delay or a retry's backoff. Returns how many were sent."""

    def run(after: float = 0) -> int:
        return mail_sender.tick(utcnow() + timedelta(seconds=after) if after else None)

    return run


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create an educator through the real registration service
    (`verified=False`: one who has not followed the mailed link yet)."""
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, role: str = "member", verified: bool = True, **fields):
        n = next(counter)
        username = username or f"teacher{n}"
        defaults = {
            "email": f"{username}@school.example",
            "password": PASSWORD,
            "display_name": f"Teacher {n}",
            "country": "GB",
            "timezone": "Europe/London",
        }
        defaults.update(fields)
        # Verified unless asked: most tests are about what members do once
        # they have confirmed their address (tests/accounts check the gate).
        return accounts.register(username=username, role=role, email_verified=verified, **defaults)

    return make


class AuthActions:
    def __init__(self, client, make_user):
        self.client = client
        self.make_user = make_user

    def login(self, login: str, password: str = PASSWORD, remember: bool = False):
        data = {"login": login, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.submit("/login", data)

    def logout(self):
        return self.client.submit("/logout", {}, page="/")

    def as_role(self, role: str = "member", **fields):
        user = self.make_user(role=role, **fields)
        response = self.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture
def client_for(app):
    """`client_for(user)`: a separate browser signed in as `user` through the login form."""

    def make(user) -> Client:
        browser = app.test_client()
        response = browser.submit("/login", {"login": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return make


@pytest.fixture
def api_for(app):
    """`api_for(user)`: a separate API client holding a bearer token for `user`."""

    def make(user) -> ApiClient:
        client = ApiClient(app.test_client())
        client.login(user.username)
        return client

    return make
