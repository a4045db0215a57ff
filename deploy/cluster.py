"""The scale-out deployment on one machine, started the way README.md's
"Several processes" section deploys it, for tests/test_scale_out.py and
bench/load_faults.py.

Why one module: the test and the benchmark must run the same deployment as
the documentation, so its commands live in one place. `Cluster` makes a
fresh PostgreSQL database (a unique name, dropped at the end), runs
`flask db upgrade`, starts one `flask search worker` (which builds the index)
and two `gunicorn -w 1 --threads N wsgi:app` on free loopback ports,
all with the same DATABASE_URL, REDIS_URL, SEARCH_INDEX_DIR, UPLOAD_DIR and
SECRET_KEY, and SEARCH_WORKER=off and SEARCH_INDEX_READ_ONLY=1 (the app
processes only read the index). One process can be
killed (SIGKILL, like a crash) and started again on its port. `RedisServer`
is a private redis-server for runs that stop Redis on purpose.

Nothing outlives a run: every process gets its own session (a Ctrl-C in the
terminal reaches only us, and we stop them in order) and is killed by the
kernel if we die first (PR_SET_PDEATHSIG); gunicorn's worker exits when its
master does.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json as jsonlib
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
APPS = ("a", "b")
PR_SET_PDEATHSIG = 1
INDEX_NAME = "MAIN"  # app/search/engine.py's index name in the folder


class ClusterError(RuntimeError):
    """A setup step failed or a process did not come up; the message has its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGKILL it when the parent dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: cleanup relies on stop() alone
        pass


class Process:
    """One long-running process of the deployment; its output goes to `log`
    (appended to across restarts)."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path, port: int | None = None):
        self.name, self.argv, self.env, self.log, self.port = name, argv, env, log, port
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(self.argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True,
                                          preexec_fn=_die_with_parent)

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send_signal(self, signum: int) -> None:
        """Signal the process and its children (its session's group), while
        the process has not been reaped: after that its id may be another's."""
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL the process and its children (gunicorn's worker), as a crash would."""
        if self.popen is not None:
            self.send_signal(signal.SIGKILL)
            self.popen.wait()

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL after `timeout` (gunicorn stops its worker first)."""
        if self.popen is None:
            return
        self.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)
        self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def http_status(url: str, timeout: float = 2) -> int | None:
    """The HTTP status of a GET, or None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return urlunsplit(parts._replace(path="/" + name))


class Cluster:
    """PostgreSQL database + one search worker + two app processes on one Redis.

    Use as a context manager; `url("a")`, `kill("a")`, `restart("a")`,
    `flask(...)` and `query(...)` while it runs.
    """

    def __init__(self, postgres_url: str, redis_url: str, workdir: Path, *, threads: int = 100,
                 search_poll: float = 0.5, env: dict | None = None, tag: str = "cluster"):
        self.admin_url = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.database = f"staffroom_{tag}_{secrets.token_hex(4)}"
        self.database_url = _with_database(self.admin_url, self.database)
        self.redis_url = redis_url
        self.workdir = Path(workdir)
        self.threads = threads
        self.search_poll = search_poll
        self.logs = self.workdir / "logs"
        self.env = {
            **os.environ, "FLASK_APP": "wsgi", "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url, "REDIS_URL": redis_url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SEARCH_INDEX_DIR": str(self.workdir / "search_index"), "UPLOAD_DIR": str(self.workdir / "uploads"),
            # Each app process only reads the index; the one worker writes it.
            "SEARCH_WORKER": "off", "SEARCH_INDEX_READ_ONLY": "1",
            # Runs sharing one Redis must not hear each other's rooms.
            "SOCKETIO_CHANNEL": f"staffroom-{self.database}",
            # ... nor count each other's sign-in failures.
            "RATELIMIT_KEY_PREFIX": self.database,
            **(env or {}),
        }
        self.apps: dict[str, Process] = {}
        self.worker: Process | None = None
        self._database_made = False

    # -- lifecycle ----------------------------------------------------------------------------------

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> Cluster:
        try:
            self.logs.mkdir(parents=True, exist_ok=True)
            self._create_database()
            self.flask("db", "upgrade")
            self.worker = Process("search-worker", [sys.executable, "-m", "flask", "search", "worker", "--poll",
                                                    str(self.search_poll)], self.env, self.logs / "search-worker.log")
            self.worker.start()
            for name in APPS:
                port = free_port()
                self.apps[name] = Process(name, self.gunicorn_argv(port), self.env, self.logs / f"app-{name}.log", port)
                self.apps[name].start()
            # The app processes open the index at their first search: it
            # must exist by then, and only the worker may create it.
            self.wait_for_index()
            for name in APPS:
                self.wait_ready(name)
        except BaseException:
            self.stop()
            raise
        return self

    def gunicorn_argv(self, port: int) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", str(self.threads), "-b", f"{HOST}:{port}",
                "--no-control-socket", "--graceful-timeout", "3", "wsgi:app"]

    def stop(self) -> None:
        """Stop every process, then drop the database; safe to call twice."""
        processes = [p for p in [*self.apps.values(), self.worker] if p is not None and p.popen is not None]
        for process in processes:  # all at once: each may take its graceful timeout
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.stop()
        if self._database_made:
            self._admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self._database_made = False

    # -- single processes ---------------------------------------------------------------------------

    def url(self, name: str) -> str:
        return f"http://{HOST}:{self.apps[name].port}"

    @property
    def urls(self) -> list[str]:
        return [self.url(name) for name in APPS]

    def kill(self, name: str) -> None:
        self.apps[name].kill()

    def restart(self, name: str, timeout: float = 60) -> None:
        """Start an app process again on its port (after `kill`) and wait until it serves."""
        if self.apps[name].running:
            self.apps[name].stop()
        self.apps[name].start()
        self.wait_ready(name, timeout)

    def wait_ready(self, name: str, timeout: float = 60) -> None:
        """Until GET /healthz answers 200 (or, on a build without it, GET /)."""
        process, base = self.apps[name], self.url(name)
        deadline = time.monotonic() + timeout
        while True:
            if not process.running:
                raise ClusterError(f"app process {name} exited:\n{process.log_tail()}")
            status = http_status(base + "/healthz")
            if status == 200 or (status == 404 and http_status(base + "/") == 200):
                return
            if time.monotonic() > deadline:
                raise ClusterError(f"app process {name} did not serve within {timeout} s:\n{process.log_tail()}")
            time.sleep(0.2)

    def wait_for_index(self, timeout: float = 120) -> None:
        """Until the search worker has built the index (its first commit after creating it)."""
        from whoosh import index as windex  # noqa: PLC0415 (only the launcher reads the index folder)

        folder = self.env["SEARCH_INDEX_DIR"]
        deadline = time.monotonic() + timeout
        while True:
            if not self.worker.running:
                raise ClusterError(f"the search worker exited:\n{self.worker.log_tail()}")
            with contextlib.suppress(Exception):  # absent, or being written right now
                if windex.exists_in(folder, indexname=INDEX_NAME):
                    ix = windex.open_dir(folder, indexname=INDEX_NAME)
                    try:
                        if ix.latest_generation() >= 1:
                            return
                    finally:
                        ix.close()
            if time.monotonic() > deadline:
                raise ClusterError(f"no search index after {timeout} s:\n{self.worker.log_tail()}")
            time.sleep(0.2)

    # -- commands and the database --------------------------------------------------------------------

    def flask(self, *args: str, timeout: float = 180) -> str:
        """Run a `flask` command against the cluster's database; returns its output."""
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=self.env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if done.returncode:
            raise ClusterError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        return done.stdout

    def query(self, sql: str, params: tuple | dict | None = None) -> list[tuple]:
        import psycopg  # noqa: PLC0415 (only callers that read the database need the driver)

        with psycopg.connect(self.database_url, connect_timeout=10) as connection:
            return connection.execute(sql, params).fetchall()

    def _admin(self, sql: str) -> None:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)

    def _create_database(self) -> None:
        self._admin(f'CREATE DATABASE "{self.database}"')
        self._database_made = True


class RedisServer(Process):
    """A private redis-server on a free loopback port, without persistence,
    for runs that stop and start Redis (never the machine's shared one)."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise ClusterError("redis-server not found (apt-get install redis-server)")
        port = free_port()
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        super().__init__("redis", [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no",
                                   "--dir", str(workdir)], dict(os.environ), workdir / "redis.log", port)
        self.url = f"redis://{HOST}:{port}/0"

    def start(self, timeout: float = 10) -> None:
        super().start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if not self.running or time.monotonic() > deadline:
                raise ClusterError(f"redis-server did not start:\n{self.log_tail()}")
            time.sleep(0.1)


# -- a small JSON client ----------------------------------------------------------------------------

def random_loopback() -> str:
    """A source address in 127.0.0.0/8 other than 127.0.0.1."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return jsonlib.loads(self.body) if self.body else None


class JsonClient:
    """HTTP calls to one app process, with a bearer token, from a chosen
    loopback source address.

    Why the source address: sign-ins and registrations are rate-limited per
    client address, in Redis, where the counters of other runs sharing that
    Redis stay for up to an hour. A random 127.x.y.z gives a run counters of
    its own (Linux answers the whole 127.0.0.0/8 on the loopback device).
    """

    def __init__(self, base_url: str, token: str | None = None, source: str | None = None):
        self.base = urlsplit(base_url)
        self.token = token
        self.source = source

    def request(self, method: str, path: str, json=None, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 30) -> Reply:
        headers = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=timeout,
                                                source_address=(self.source, 0) if self.source else None)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs) -> Reply:
        return self.request("POST", path, json=json, **kwargs)
