"""Page speed: requests/s of each page next to a bare "hello" on the same server.

Why a ratio: the bar is relative to a bare route (measured on a prototype,
a 20-post thread page served about 14% of hello; a forum that renders
markdown on every view, 0.9%); absolute req/s depend on the machine, the
ratio tells whether a page does too much work.

One run, one server: a fresh SQLite database in a temp folder, gunicorn as
deployed, one sign-in through the real form, a 200 check of every page, then
each page under wrk (bench/loadgen.py without wrk) after a warm-up.
Add a page with one line in PAGES. Run: make bench BENCH_ARGS="--duration 5"
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import namedtuple
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import loadgen  # bench/run.py runs as a script, so bench/ is on sys.path
from _common import free_port, git_commit

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_ARGS = ["-w", "1", "--threads", "100"]  # as the README deploys it
DEMO_LOGIN, DEMO_PASSWORD = "gary_w", "Staffroom-demo-2026"  # from `flask seed-demo`
# Flask-Login's session protection hashes the User-Agent: every request of
# the signed-in session (login, checks, load) must send the same one.
USER_AGENT = "staffroom-bench"
SIGNED_IN_MARK = 'action="/logout"'  # the sign-out form in base.html


# A page to load: name (table, --only), path, and whether to send the signed-in cookie.
Page = namedtuple("Page", "name path needs_login", defaults=(False,))
# "hello" is the baseline the ratio column divides by; it is always measured.
PAGES = [
    Page("hello", "/_bench/hello"),
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


def site_env(tmp: Path) -> dict:
    """The environment of every subprocess: everything inside `tmp`."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # one process: keep the run self-contained
    env.update(FLASK_APP="wsgi", STAFFROOM_BENCH="1", SECRET_KEY="bench-only-secret-key",
               DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
               SEARCH_INDEX_DIR=str(tmp / "search_index"), UPLOAD_DIR=str(tmp / "uploads"))
    return env


def prepare_database(env: dict) -> dict:
    """Migrate and seed; returns what page paths may name ({forum_thread})."""
    for args in (["db", "upgrade"], ["seed-demo"], ["forum", "bench-thread", "--posts", "1000"]):
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return {"forum_thread": done.stdout.strip().splitlines()[-1]}  # bench-thread prints its path


@contextmanager
def server(env: dict, port: int, log_path: Path):
    """Run gunicorn until the block ends, however it ends (error, Ctrl-C)."""
    with open(log_path, "wb") as log:
        # --no-control-socket: its default path is shared with any other
        # gunicorn on the machine (`make run`). A new session: Ctrl-C reaches
        # only us, and we stop the server in order.
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *SERVER_ARGS, "--no-control-socket",
             "-b", f"{HOST}:{port}", "wsgi:app"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                with suppress(OSError):
                    if fetch(port, "/_bench/hello")[0] == 200:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
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


def measure(pages: list[Page], tool: str, duration: float, connections: int) -> list[dict]:
    """Prepare the site, start the server, check then load every page."""
    warmup = float(max(1, min(3, round(duration / 5))))  # wrk takes whole seconds
    rows = []
    with tempfile.TemporaryDirectory(prefix="staffroom-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = site_env(tmp)
        print("Preparing a fresh database (flask db upgrade, flask seed-demo)...", flush=True)
        paths = prepare_database(env)
        pages = [page._replace(path=page.path.format(**paths)) for page in pages]
        port = free_port()
        with server(env, port, tmp / "gunicorn.log"):
            jar = sign_in(port) if any(p.needs_login for p in pages) else {}
            for page in pages:
                check_page(port, page, jar)
            for page in pages:
                print(f"  {page.name:<16} {page.path}  warm-up {warmup:g}s, then {duration:g}s", flush=True)
                load(tool, port, page, jar, warmup, connections)
                result = load(tool, port, page, jar, duration, connections)
                check_page(port, page, jar)  # still 200 after the load (session intact)
                rows.append({"name": page.name, "path": page.path, "needs_login": page.needs_login,
                             **{k: round(v, 2) for k, v in result.items()}})
    hello = next(r["requests_per_s"] for r in rows if r["name"] == "hello")
    for row in rows:
        row["ratio_to_hello_pct"] = round(100 * row["requests_per_s"] / hello, 1) if hello else 0.0
    return rows


def print_table(rows: list[dict]) -> None:
    header = f"{'page':<16} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'% hello':>8} {'errors':>7}"
    print("\n" + header + "\n" + "-" * len(header))
    for r in rows:
        print(f"{r['name']:<16} {r['requests_per_s']:>11.1f} {r['p50_ms']:>8.2f} "
              f"{r['p99_ms']:>8.2f} {r['ratio_to_hello_pct']:>8.1f} {r['errors']:>7}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    names = [p.name for p in PAGES]
    parser = argparse.ArgumentParser(description="Page speed against a bare hello route.")
    parser.add_argument("--duration", type=float, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--only", help=f"comma-separated pages ({', '.join(names)}); hello is always kept")
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
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind like Ctrl-C: server stopped
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"Page speed: {args.tool}, {args.connections} connections, {args.duration:g}s per page, "
          f"gunicorn {' '.join(SERVER_ARGS)}, {os.cpu_count()} CPUs, load {load_before[0]}")
    try:
        rows = measure(args.pages, args.tool, args.duration, args.connections)
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; server stopped.", file=sys.stderr)
        return 130
    print_table(rows)
    report = {  # load_average_before: other work on the box skews req/s
        "benchmark": "pages", "tool": args.tool, "duration_s": args.duration, "connections": args.connections,
        "server": f"gunicorn {' '.join(SERVER_ARGS)} wsgi:app", "cpu_count": os.cpu_count(),
        "machine": platform.platform(), "load_average_before": load_before, "git_commit": git_commit(),
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "pages": rows}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
