"""What each piece of the app's per-request overhead costs, in µs.

bench/run.py shows the app's own `/_bench/hello` as a share of a bare Flask
app's (bench/bare_app.py); this says where the difference goes. In one
process, without a server: a visitor's GET /_bench/hello goes through the
whole WSGI stack (Socket.IO's middleware, Flask, every hook) N times, with a
timer around every before/after/teardown hook, the session's open and save
and the middleware. The bare app is timed in the same run, interleaved.

The app is built as bench/run.py builds it (production settings: JSON
request log, the limiter, STAFFROOM_BENCH=1), on an empty SQLite file with
the tables made: the hello of a visitor should not need any row.

Run: .venv/bin/python bench/overhead.py [--requests 3000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from functools import wraps
from pathlib import Path

import bare_app  # bench/ is on sys.path: this runs as a script
from _common import REPO, where_and_when, write_report

HELLO = "/_bench/hello"
ENVIRON = {  # what gunicorn hands the app for `wrk http://127.0.0.1:8000/_bench/hello`
    "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": HELLO, "QUERY_STRING": "",
    "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "HTTP_HOST": "127.0.0.1:8000",
    "HTTP_USER_AGENT": "staffroom-bench", "wsgi.url_scheme": "http", "wsgi.multithread": True,
    "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0),
}


def build_app(tmp: Path, repo: Path):
    """The app of the checkout in `repo` (this one by default; another, e.g.
    a `git worktree` of an older commit, for a before/after)."""
    sys.path.insert(0, str(repo))
    os.environ.pop("REDIS_URL", None)
    os.environ.update(STAFFROOM_BENCH="1", SECRET_KEY="bench-only-secret-key",
                      DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", SEARCH_INDEX_DIR=str(tmp / "search_index"),
                      UPLOAD_DIR=str(tmp / "uploads"))
    from app import create_app  # noqa: PLC0415 (from `repo`, known only now)
    from app.extensions import db  # noqa: PLC0415

    app = create_app()
    with app.app_context():
        db.create_all()
    # gunicorn sends stderr to a file or journald: do not time a terminal.
    for handler in logging.getLogger().handlers:
        handler.setStream(open(tmp / "requests.log", "w"))  # noqa: SIM115 (lives as long as the process)
    return app


def call(wsgi) -> int:
    environ = dict(ENVIRON, **{"wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr})
    status = []
    body = wsgi(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])


def per_request_us(wsgi, requests: int) -> float:
    """CPU time of this thread a request: what other processes on a busy
    machine take is not counted (wall time would be)."""
    started = time.thread_time()
    for _ in range(requests):
        call(wsgi)
    return (time.thread_time() - started) / requests * 1e6


def hook_name(func) -> str:
    func = getattr(func, "func", func)  # functools.partial (Flask-Limiter's after_request)
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__qualname__", repr(func)).replace(".<locals>", "")
    return f"{module.split('.')[0] if module.startswith('flask') else module}: {name}"


class Timers:
    """CPU seconds of this thread spent in each timed piece while `on`, and
    how many calls; `calibrate` measures what a timer adds to what it reads."""

    def __init__(self):
        self.spent = defaultdict(float)
        self.calls = defaultdict(int)
        self.on = False
        self.own_cost = 0.0

    def wrap(self, label: str, func):
        spent, calls = self.spent, self.calls

        @wraps(func)
        def timed(*args, **kwargs):
            if not self.on:
                return func(*args, **kwargs)
            started = time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[label] += time.thread_time() - started
                calls[label] += 1
        return timed

    def calibrate(self, calls: int = 20000) -> None:
        """The time a timer reads around a function that does nothing, which
        `piece_us` takes off each call."""
        noop = self.wrap("(calibration)", lambda: None)
        self.on = True
        for _ in range(calls):
            noop()
        self.on = False
        self.own_cost = self.spent.pop("(calibration)") / self.calls.pop("(calibration)")

    def piece_us(self, label: str, requests: int) -> float:
        return (self.spent[label] - self.calls[label] * self.own_cost) / requests * 1e6


def instrument(app, timers: Timers):
    """Put a timer around every hook, the session and the middleware; returns
    the instrumented WSGI callable (the app's own stays as it is)."""
    for kind in ("before_request_funcs", "after_request_funcs", "teardown_request_funcs"):
        for funcs in getattr(app, kind).values():
            funcs[:] = [timers.wrap(f"{kind.split('_')[0]}: {hook_name(f)}", f) for f in funcs]
    app.teardown_appcontext_funcs[:] = [timers.wrap(f"teardown (app context): {hook_name(f)}", f)
                                        for f in app.teardown_appcontext_funcs]
    session = app.session_interface
    session.open_session = timers.wrap("session: open", session.open_session)
    session.save_session = timers.wrap("session: save", session.save_session)
    app.wsgi_app_inner = app.wsgi_app
    inner = timers.wrap("(inside the middleware)", app.wsgi_app.wsgi_app if hasattr(app.wsgi_app, "wsgi_app")
                        else app.wsgi_app)
    if hasattr(app.wsgi_app, "wsgi_app"):
        app.wsgi_app.wsgi_app = inner
    return timers.wrap("(whole request)", app.wsgi_app)


def measure(requests: int, rounds: int, repo: Path = REPO) -> dict:
    """The bare app, the app as it runs, and a second app of the same
    settings with timers, all in this process, interleaved."""
    tmp = Path(tempfile.mkdtemp(prefix="staffroom-overhead-"))
    app = build_app(tmp / "plain", repo)
    timed_app, timers = build_app(tmp / "timed", repo), Timers()
    timed = instrument(timed_app, timers)
    wsgis = {"bare": bare_app.app.wsgi_app, "app": app.wsgi_app, "timed": timed}
    for wsgi in wsgis.values():
        assert call(wsgi) == 200
        per_request_us(wsgi, 300)  # warm-up: first-request work, caches
    timers.spent.clear()
    timers.calls.clear()
    figures = {name: [] for name in wsgis}
    for _ in range(rounds):  # interleaved, so a busy moment hits all three
        for name, wsgi in wsgis.items():
            timers.on = name == "timed"
            figures[name].append(per_request_us(wsgi, requests))
    timers.on = False
    timers.calibrate()
    total = requests * rounds
    pieces = {label: timers.piece_us(label, total) for label in timers.spent}
    app_us = statistics.median(figures["app"])
    whole, inside = pieces.pop("(whole request)"), pieces.pop("(inside the middleware)")
    hooks = sum(pieces.values())
    pieces["Socket.IO / Engine.IO middleware"] = whole - inside
    # The rest of the untimed app's time: what Flask does around the hooks
    # (the nested timers' own cost inflates `inside`, so it is not used).
    pieces["Flask itself (contexts, routing, view, response)"] = app_us - hooks - (whole - inside)
    return {"bare_us": statistics.median(figures["bare"]), "app_us": app_us,
            "timed_app_us": statistics.median(figures["timed"]), "timer_cost_us": timers.own_cost * 1e6,
            "pieces_us": dict(sorted(pieces.items(), key=lambda kv: -kv[1]))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per round (default 3000)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds, app and bare interleaved (default 7)")
    parser.add_argument("--repo", type=Path, default=REPO,
                        help="measure the app of another checkout (default: this one)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "overhead.json")
    args = parser.parse_args(argv)
    load_before = [round(x, 2) for x in os.getloadavg()]
    figures = measure(args.requests, args.rounds, args.repo.resolve())
    print(f"\nGET {HELLO}, a visitor, {args.requests} x {args.rounds} requests in process, load {load_before[0]}")
    print(f"bare Flask app      {figures['bare_us']:7.1f} µs a request (CPU time, median round)")
    print(f"the app             {figures['app_us']:7.1f} µs a request "
          f"= {100 * figures['bare_us'] / figures['app_us']:.0f}% of bare's rate in process")
    print(f"the app, timed      {figures['timed_app_us']:7.1f} µs a request, of which "
          f"(each timer's own {figures['timer_cost_us']:.2f} µs taken off):")
    for label, us in figures["pieces_us"].items():
        print(f"  {us:7.1f}  {label}")
    report = {"benchmark": "overhead", "requests": args.requests, "rounds": args.rounds, "path": HELLO,
              "load_average_before": load_before, "repo": str(args.repo), **where_and_when(args.repo), **figures}
    write_report(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
