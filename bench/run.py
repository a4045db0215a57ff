"""Page speed: requests/s of each page next to a bare Flask app's "hello".

Why a ratio: absolute req/s depend on the machine and on what else it is
doing; the share of a bare route served by the same gunicorn, in the same
run, tells whether a page does too much work. The bare app
(bench/bare_app.py: Flask, no extension, one route) is the floor; the
app's own `/_bench/hello` carries the app's per-request overhead, so each
page is shown as % of both.

One run: a fresh database per scale (a SQLite file in a temp folder, or a
database of its own on --database-url's PostgreSQL server), migrated and
seeded; the bare app measured first; then, per scale, the app under
gunicorn as deployed, one sign-in through the real form, a 200 check of
every page, each page under wrk (bench/loadgen.py without wrk) after a
warm-up; the bare app measured again last, so drift shows.
Add a page with one line in PAGES. Run: make bench BENCH_ARGS="--duration 5"
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import namedtuple
from contextlib import ExitStack, contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import loadgen  # bench/run.py runs as a script, so bench/ is on sys.path
import psycopg
from _common import free_port, where_and_when, write_report
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
HOST = "127.0.0.1"
SERVER_ARGS = ["-w", "1", "--threads", "100"]  # as the README deploys it
DEMO_LOGIN, DEMO_PASSWORD = "gary_w", "Staffroom-demo-2026"  # from `flask seed-demo`
# Flask-Login's session protection hashes the User-Agent: every request of
# the signed-in session (login, checks, load) must send the same one.
USER_AGENT = "staffroom-bench"
SIGNED_IN_MARK = 'action="/logout"'  # the sign-out form in base.html
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
HELLO = "/_bench/hello"  # served by the app (STAFFROOM_BENCH=1) and by bench/bare_app.py
# The data each page is measured on: `flask seed-demo` with these arguments.
# `community` is the 10,000-member dataset of issue 20 (part 2).
SEEDS = {"demo": ["seed-demo"], "community": ["seed-demo", "--scale", "community"]}
SCALE_CHOICES = {"demo": ["demo"], "community": ["community"], "both": ["demo", "community"]}


# A page to load: name (table, --only), path, and whether to send the signed-in cookie.
Page = namedtuple("Page", "name path needs_login", defaults=(False,))
# "hello" is the baseline the ratio column divides by; it is always measured.
PAGES = [
    Page("hello", HELLO),
    Page("home", "/"),
    Page("home_member", "/", needs_login=True),
    Page("group", "/groups/1", needs_login=True),  # "Staffroom Runners" from seed-demo: 7 members, 8 weeks of runs
    # {forum_thread}: a 1,000-post thread made by `flask forum bench-thread` (see prepare_database).
    Page("forum_thread", "{forum_thread}?page=5"),
    Page("forum_thread_member", "{forum_thread}?page=5", needs_login=True),
    Page("forum_category", "/discuss/c/ask-the-community", needs_login=True),
    Page("events", "/events", needs_login=True),
    # Event 1 is the demo's open connection call: its room with the last 50 messages.
    Page("event_room", "/events/1/room", needs_login=True),
    Page("people_directory", "/people?subject=mathematics", needs_login=True),
    Page("messages_inbox", "/messages", needs_login=True),
    Page("programme_experts", "/programmes/experts"),  # the demo's latest cohort: 9 experts in 9 countries
    Page("schools_near", "/schools?near=london"),
]


class BenchError(RuntimeError):
    """Something that makes the figures meaningless: stop and say what."""


def site_env(tmp: Path, database_url: str, redis_url: str | None = None, run_id: str = "") -> dict:
    """The environment of the app's subprocesses: files inside `tmp`, the
    given database, Redis only when asked for (under keys of this run's own)."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # none unless --redis-url: keep the run self-contained
    env.update(FLASK_APP="wsgi", STAFFROOM_BENCH="1", SECRET_KEY="bench-only-secret-key",
               DATABASE_URL=database_url,
               SEARCH_INDEX_DIR=str(tmp / "search_index"), UPLOAD_DIR=str(tmp / "uploads"))
    if redis_url:
        # Rate-limit counters and the Socket.IO channel of this run only, so
        # a shared Redis (another run, a `make run`) is not counted into.
        env.update(REDIS_URL=redis_url, RATELIMIT_KEY_PREFIX=f"staffroom-bench-{run_id}",
                   SOCKETIO_CHANNEL=f"staffroom-bench-{run_id}")
    return env


def seed_failure(scale: str, output: str) -> str:
    """What to say when `flask seed-demo` failed for `scale`."""
    if scale != "demo" and "No such option" in output and "--scale" in output:
        return (f"`flask seed-demo` has no --scale option in this checkout, so there is no "
                f"{scale}-size dataset to measure (issue 20, part 2: `flask seed-demo --scale "
                f"community`). Run with --scale demo, or on a branch that has it.")
    return f"flask {' '.join(SEEDS[scale])} failed:\n{output}"


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=env, capture_output=True, text=True)


def prepare_database(env: dict, scale: str = "demo") -> tuple[dict, dict]:
    """Migrate, seed at `scale`, make the long thread, and build the search
    index if the seeding left it behind the database (else the app's index
    worker rebuilds it in the background of the first pages measured).
    Returns what page paths may name ({forum_thread}) and each step's seconds."""
    steps = {"db upgrade": ["db", "upgrade"], "seed": SEEDS[scale],
             "bench-thread": ["forum", "bench-thread", "--posts", "1000"]}
    seconds, outputs = {}, {}
    for step, args in steps.items():
        started = time.perf_counter()
        done = flask(env, *args)
        seconds[step] = round(time.perf_counter() - started, 1)
        outputs[step] = done.stdout
        if done.returncode:
            output = f"{done.stdout}{done.stderr}"
            raise BenchError(seed_failure(scale, output) if step == "seed"
                             else f"flask {' '.join(args)} failed:\n{output}")
    status = flask(env, "search", "status")
    if status.returncode or index_behind(status.stdout):
        started = time.perf_counter()
        done = flask(env, "search", "reindex")
        seconds["search reindex"] = round(time.perf_counter() - started, 1)
        if done.returncode:
            raise BenchError(f"flask search reindex failed:\n{done.stdout}{done.stderr}")
    return {"forum_thread": outputs["bench-thread"].strip().splitlines()[-1]}, seconds  # it prints its path


def index_behind(status: str) -> bool:
    """Whether `flask search status` says the index does not hold what the database does."""
    return "differs" in status or "flask search reindex" in status or "pending jobs: 0" not in status


def postgres_admin_url(url: str) -> str:
    """`url` as psycopg takes it (no SQLAlchemy driver suffix)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def fresh_database(server_url: str | None, folder: Path, name: str):
    """A database no one else uses, for the block: a SQLite file in `folder`
    without `server_url`, else a new database on that PostgreSQL server,
    dropped afterwards (only that one: its name is this run's own)."""
    if not server_url:
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    admin = postgres_admin_url(server_url)
    database = f"staffroom_bench_{name}_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        yield with_database(server_url, database)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@contextmanager
def server(env: dict, port: int, log_path: Path, target: str = "wsgi:app", cwd: Path = REPO):
    """Run gunicorn on `target` until the block ends, however it ends (error,
    Ctrl-C). The app and the bare app get the same flags (SERVER_ARGS)."""
    with open(log_path, "wb") as log:
        # --no-control-socket: its default path is shared with any other
        # gunicorn on the machine (`make run`). A new session: Ctrl-C reaches
        # only us, and we stop the server in order.
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *SERVER_ARGS, "--no-control-socket",
             "-b", f"{HOST}:{port}", target],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                with suppress(OSError):
                    if fetch(port, HELLO)[0] == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
            proc.port = port
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def fetch(port: int, path: str, jar: dict | None = None, form: dict | None = None):
    """One request, no redirect followed: (status, Location, body). Cookies the
    server sets go into `jar`, so it holds the session the server last issued."""
    headers = {"User-Agent": USER_AGENT}
    if jar:
        headers["Cookie"] = cookie_header(jar)
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET" if form is None else "POST", path,
                     body=None if form is None else urlencode(form), headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        if jar is not None:
            for line in response.headers.get_all("Set-Cookie") or []:
                jar.update((name, morsel.value) for name, morsel in SimpleCookie(line).items())
        return response.status, response.getheader("Location"), text
    finally:
        conn.close()


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def sign_in(port: int) -> dict:
    """Sign in through the real form (GET, CSRF token, POST); return the jar."""
    jar: dict = {}
    status, _, html = fetch(port, "/login", jar)
    token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]*)"', html)
    if status != 200 or not token:
        raise BenchError(f"GET /login answered {status} without a csrf_token field")
    form = {"login": DEMO_LOGIN, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    status, location, html = fetch(port, "/login", jar, form=form)
    if status not in (302, 303):
        raise BenchError(f"signing in as {DEMO_LOGIN} answered {status}, not a redirect:\n{html[:500]}")
    fetch(port, location or "/", jar)  # consumes the "Welcome back" flash
    return jar


def check_page(port: int, page: Page, jar: dict) -> None:
    """Fail loudly unless the page answers 200 (and signed in, if it should)."""
    status, location, html = fetch(port, page.path, jar if page.needs_login else None)
    where = f"{page.name} ({page.path})"
    if status != 200:
        raise BenchError(f"{where} answered {status}, " + (
            f"a redirect to {location}" if location else f"not 200:\n{html[:500]}"))
    if page.needs_login and SIGNED_IN_MARK not in html:
        raise BenchError(f"{where} did not render signed in (no sign-out form)")


def parse_wrk(output: str) -> dict:
    """Requests/sec, the 50% and 99% latency lines and the error counts.

    wrk prints the error lines only when there are errors; it counts 3xx as
    success, which is why every page is checked for a plain 200 first.
    """
    def find(pattern: str) -> tuple:
        match = re.search(pattern, output, re.M)
        if not match:
            raise BenchError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return match.groups()

    def latency_ms(pct: str) -> float:
        value, unit = find(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m|h)\s*$")
        return float(value) * {"us": 0.001, "ms": 1, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]

    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(map(int, sockets.groups() if sockets else ())) + int(non_2xx.group(1) if non_2xx else 0)
    return {"requests": int(find(r"^\s*(\d+) requests in")[0]),
            "requests_per_s": float(find(r"^Requests/sec:\s+([\d.]+)")[0]),
            "p50_ms": latency_ms("50"), "p99_ms": latency_ms("99"), "errors": errors}


def load(tool: str, port: int, page: Page, jar: dict, duration: float, connections: int) -> dict:
    """Load one page for `duration` seconds: requests, requests_per_s, p50_ms, p99_ms, errors."""
    url = f"http://{HOST}:{port}{page.path}"
    headers = {"User-Agent": USER_AGENT}
    if page.needs_login:
        headers["Cookie"] = cookie_header(jar)
    if tool == "python":
        return loadgen.run(url, duration=duration, connections=connections, headers=headers)
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60)
    if done.returncode:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of gunicorn's master `pid` and its workers so
    far, from /proc; 0.0 where there is no /proc."""
    def own(p: int) -> float:
        with suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
        return 0.0

    with suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return own(pid) + sum(own(int(child)) for child in children)
    return 0.0


def settle(server_proc, *, idle_share: float = 0.05, window: float = 0.5, limit: float = 60.0) -> float:
    """Wait until the server is idle (under `idle_share` of a core over
    `window` seconds, at most `limit` seconds); returns the seconds waited.

    The app starts its worker threads with the first request, and on seeded
    data they have work (mail to send, jobs to drain): measured meanwhile,
    the first page pays for it."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = server_cpu_seconds(server_proc.pid)
        time.sleep(window)
        if server_cpu_seconds(server_proc.pid) - before <= idle_share * window:
            break
    return round(time.monotonic() - started, 1)


def measure_page(tool: str, server_proc, page: Page, jar: dict, duration: float, connections: int) -> dict:
    """Warm up, load, check the page still answers as it should: one row,
    with the server's CPU time a request (which other work on the machine
    moves much less than requests/s)."""
    port = server_proc.port
    warmup = float(max(1, min(3, round(duration / 5))))  # wrk takes whole seconds
    print(f"  {page.name:<20} {page.path}  warm-up {warmup:g}s, then {duration:g}s", flush=True)
    load(tool, port, page, jar, warmup, connections)
    cpu_before = server_cpu_seconds(server_proc.pid)
    result = load(tool, port, page, jar, duration, connections)
    cpu = server_cpu_seconds(server_proc.pid) - cpu_before
    check_page(port, page, jar)  # still 200 after the load (session intact)
    result["cpu_us"] = 1e6 * cpu / result["requests"] if result["requests"] else 0.0
    return {"name": page.name, "path": page.path, "needs_login": page.needs_login,
            **{k: round(v, 2) for k, v in result.items()}}


def measure(args: argparse.Namespace) -> dict:
    """Prepare a database per scale, then load the bare app, every page at
    every scale, and the bare app again. Returns the report's figures."""
    run_id = secrets.token_hex(4)
    seeding, rows, bare = {}, [], []
    with tempfile.TemporaryDirectory(prefix="staffroom-bench-") as tmp_name, ExitStack() as databases:
        tmp = Path(tmp_name)
        sites = {}
        for scale in args.scales:  # every database before any load: seeding is heavy
            folder = tmp / scale
            folder.mkdir()
            url = databases.enter_context(fresh_database(args.database_url, folder, scale))
            env = site_env(folder, url, args.redis_url, run_id)
            print(f"Preparing the {scale} database (flask db upgrade, flask {' '.join(SEEDS[scale])})...",
                  flush=True)
            paths, seeding[scale] = prepare_database(env, scale)
            print(f"  seeded in {sum(seeding[scale].values()):.1f}s "
                  f"({', '.join(f'{k} {v:g}s' for k, v in seeding[scale].items())})", flush=True)
            sites[scale] = env, [p._replace(path=p.path.format(**paths)) for p in args.pages]
        bare_page, bare_port = Page("bare", HELLO), free_port()
        with server(dict(os.environ), bare_port, tmp / "bare.log", "bare_app:app", cwd=BENCH) as bare_server:
            check_page(bare_port, bare_page, {})
            print("bare Flask app (bench/bare_app.py), first:", flush=True)
            bare.append({"when": "first", **measure_page(args.tool, bare_server, bare_page, {},
                                                         args.duration, args.connections)})
            for scale, (env, pages) in sites.items():
                print(f"app, {scale} data:", flush=True)
                port = free_port()
                with server(env, port, tmp / f"{scale}.log") as app_server:
                    jar = sign_in(port) if any(p.needs_login for p in pages) else {}
                    for page in pages:
                        check_page(port, page, jar)
                    waited = settle(app_server)
                    print(f"  (the app's worker threads settled in {waited:g}s)", flush=True)
                    for page in pages:
                        row = measure_page(args.tool, app_server, page, jar, args.duration, args.connections)
                        rows.append({"scale": scale, **row})
            print("bare Flask app, last:", flush=True)
            bare.append({"when": "last", **measure_page(args.tool, bare_server, bare_page, {},
                                                        args.duration, args.connections)})
    add_ratios(rows, bare)
    return {"seeding_s": seeding, "bare": bare, "pages": rows}


def add_ratios(rows: list[dict], bare: list[dict]) -> None:
    """`pct_bare`: requests/s as % of the bare app's (the mean of its first
    and last run); `pct_hello`: as % of the app's own hello at the same scale;
    `cpu_pct_bare`: the bare app's server CPU time a request as % of the page's."""
    bare_rps = sum(b["requests_per_s"] for b in bare) / len(bare) if bare else 0.0
    bare_cpu = sum(b.get("cpu_us", 0.0) for b in bare) / len(bare) if bare else 0.0
    hello = {r["scale"]: r["requests_per_s"] for r in rows if r["name"] == "hello"}
    for row in rows:
        row["pct_bare"] = round(100 * row["requests_per_s"] / bare_rps, 1) if bare_rps else 0.0
        base = hello.get(row["scale"])
        row["pct_hello"] = round(100 * row["requests_per_s"] / base, 1) if base else 0.0
        # The same share in server CPU time a request: bare's over the page's.
        row["cpu_pct_bare"] = round(100 * bare_cpu / row["cpu_us"], 1) if row.get("cpu_us") else 0.0


def slower(demo: dict, community: dict) -> float:
    """Time per request at community size over time at demo size (1.5 = 50% slower)."""
    return round(demo["requests_per_s"] / community["requests_per_s"], 2) if community["requests_per_s"] else 0.0


def table(report: dict) -> list[str]:
    """The printed table: one block of columns per scale, side by side."""
    rows, bare = report["pages"], report["bare"]
    scales = list(dict.fromkeys(r["scale"] for r in rows))
    by_page = {}
    for row in rows:
        by_page.setdefault(row["name"], {})[row["scale"]] = row
    cols = "".join(f" {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'% bare':>7} {'% hello':>8} {'err':>5}"
                   f" {'cpu µs':>7} {'cpu %b':>7}" for _ in scales)
    width = 9 + 8 + 8 + 7 + 8 + 5 + 7 + 7 + 8  # one scale's columns and their spaces
    head = " " * 21 + "".join(f" {s + ' data':<{width - 1}}" for s in scales)
    header = f"{'page':<21}{cols}" + (f" {'x slower':>9}" if len(scales) == 2 else "")
    lines = ["", head.rstrip(), header, "-" * len(header)]
    for b in bare:
        lines.append(f"{'bare (' + b['when'] + ')':<21} {b['requests_per_s']:>9.1f} {b['p50_ms']:>8.2f} "
                     f"{b['p99_ms']:>8.2f} {'':>7} {'':>8} {b['errors']:>5} {b.get('cpu_us', 0):>7.0f}")
    for name, per_scale in by_page.items():
        line = f"{name:<21}"
        for scale in scales:
            r = per_scale.get(scale)
            line += (f" {r['requests_per_s']:>9.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
                     f"{r['pct_bare']:>7.1f} {r['pct_hello']:>8.1f} {r['errors']:>5} "
                     f"{r.get('cpu_us', 0):>7.0f} {r.get('cpu_pct_bare', 0):>7.1f}") if r else " " * width
        if len(scales) == 2 and len(per_scale) == 2:
            line += f" {slower(per_scale[scales[0]], per_scale[scales[1]]):>9.2f}"
        lines.append(line)
    if len(bare) == 2 and bare[0]["requests_per_s"]:
        drift = 100 * (bare[1]["requests_per_s"] / bare[0]["requests_per_s"] - 1)
        lines.append(f"\nbare drift from first to last: {drift:+.1f}% (% bare divides by their mean)")
    for scale, steps in report["seeding_s"].items():
        lines.append(f"seeding {scale}: {sum(steps.values()):.1f}s ("
                     + ", ".join(f"{k} {v:g}s" for k, v in steps.items()) + ")")
    return lines


def redacted(url: str | None) -> str | None:
    """`url` without its password, for the results file."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1))
    return urlunsplit(parts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    names = [p.name for p in PAGES]
    parser = argparse.ArgumentParser(description="Page speed against a bare Flask app and the app's own hello.")
    parser.add_argument("--duration", type=float, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--only", help=f"comma-separated pages ({', '.join(names)}); hello is always kept")
    parser.add_argument("--scale", choices=list(SCALE_CHOICES), default="demo",
                        help="data to measure on: demo (`flask seed-demo`), community (`flask seed-demo "
                             "--scale community`) or both, side by side (default demo)")
    parser.add_argument("--database-url", metavar="postgresql://...",
                        help="a PostgreSQL server to measure on: the bench makes a database of its own "
                             "there and drops it at the end (default: a fresh SQLite file)")
    parser.add_argument("--redis-url", metavar="redis://...",
                        help="REDIS_URL for the app (default: none, everything in process)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "pages.json",
                        help="where to write the results (default bench/results/pages.json)")
    parser.add_argument("--tool", choices=["wrk", "python"],
                        default="wrk" if shutil.which("wrk") else "python",
                        help="load generator (default: wrk if installed, else bench/loadgen.py)")
    args = parser.parse_args(argv)
    wanted = {n.strip() for n in (args.only or ",".join(names)).split(",") if n.strip()}
    if wanted - set(names):
        parser.error(f"unknown page(s) {', '.join(sorted(wanted - set(names)))}; known: {', '.join(names)}")
    args.pages = [p for p in PAGES if p.name in wanted or p.name == "hello"]  # hello: the baseline
    if args.duration <= 0 or args.connections < 1:
        parser.error("--duration and --connections must be positive")
    if args.database_url and urlsplit(args.database_url).scheme.split("+")[0] not in ("postgresql", "postgres"):
        parser.error("--database-url must be a postgresql:// URL (without it: a fresh SQLite file)")
    if args.redis_url and urlsplit(args.redis_url).scheme not in ("redis", "rediss"):
        parser.error("--redis-url must be a redis:// or rediss:// URL")
    args.scales = SCALE_CHOICES[args.scale]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind like Ctrl-C: server stopped
    load_before = [round(x, 2) for x in os.getloadavg()]
    database = "postgresql" if args.database_url else "sqlite"
    print(f"Page speed: {args.tool}, {args.connections} connections, {args.duration:g}s per page, "
          f"gunicorn {' '.join(SERVER_ARGS)}, {database}, redis {'yes' if args.redis_url else 'no'}, "
          f"{', '.join(args.scales)} data, {os.cpu_count()} CPUs, load {load_before[0]}")
    try:
        figures = measure(args)
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped, databases dropped.", file=sys.stderr)
        return 130
    report = {  # load_average_before: other work on the box skews req/s
        "benchmark": "pages", "tool": args.tool, "duration_s": args.duration, "connections": args.connections,
        "server": f"gunicorn {' '.join(SERVER_ARGS)}", "bare_app": "bench/bare_app.py",
        "database": database, "database_server": redacted(args.database_url),
        "redis_url": redacted(args.redis_url), "scales": args.scales,
        "load_average_before": load_before, **where_and_when(), **figures}
    print("\n".join(table(report)))
    write_report(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
