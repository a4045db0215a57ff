"""What each page of bench/run.py costs inside the process: SQL statements
and milliseconds per request through Flask's test client (no server, no
network), on the demo data and after the community grows.

One process, one database: `flask db upgrade`, `flask seed-demo` and a
1,000-post thread in a temp SQLite file (or --database-url, an empty
PostgreSQL database), the pages measured; then `--grow N` more of
everything (tests/bulk_rows.py: members, resources, threads, groups,
activities, events, RSVPs, chat, conversations, notifications ..., many of
them the signed-in member's own) and measured again. Ratios within one run
are what to compare; the machine's noise moves both columns.

Run: python bench/page_costs.py --grow 10000 [--requests 30] [--only home_member,events] [--profile home_member]
"""

from __future__ import annotations

import argparse
import contextvars
import cProfile
import logging
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from run import DEMO_LOGIN, DEMO_PASSWORD, PAGES  # noqa: E402 (bench/ on the path first)


def prepare(env: dict) -> str:
    """Migrate and seed; returns the 1,000-post thread's path."""
    for args in (["db", "upgrade"], ["seed-demo"], ["forum", "bench-thread", "--posts", "1000"]):
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, check=False)
        if done.returncode:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def sign_in(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"login": DEMO_LOGIN, "password": DEMO_PASSWORD, "csrf_token": token})
    if response.status_code not in (302, 303):
        raise SystemExit(f"sign-in answered {response.status_code}")
    return client


def measure(app, pages, thread: str, requests: int, profile: str | None) -> dict:
    from sqlalchemy import event  # noqa: PLC0415

    from app.extensions import db  # noqa: PLC0415

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    visitor, member = app.test_client(), sign_in(app)
    rows = {}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        for page in pages:
            client = member if page.needs_login else visitor
            path = page.path.format(forum_thread=thread)

            def get(client=client, path=path):  # each request in its own context, as served
                return contextvars.Context().run(client.get, path)

            response = get()
            if response.status_code != 200:
                raise SystemExit(f"{page.name}: {path} answered {response.status_code}")
            statements.clear()
            get()
            count = len(statements)
            profiler = cProfile.Profile() if profile == page.name else None
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            for _ in range(requests):
                get()
            ms = (time.perf_counter() - started) / requests * 1000
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            rows[page.name] = (count, ms)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grow", type=int, default=0, help="then add about N of everything and measure again")
    parser.add_argument("--requests", type=int, default=30, help="requests per page and size")
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--profile", help="a page name: print its cProfile (largest size)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of a temp SQLite file")
    args = parser.parse_args(argv)
    pages = [p for p in PAGES if p.name != "hello" and (not args.only or p.name in args.only.split(","))]
    with tempfile.TemporaryDirectory(prefix="staffroom-costs-") as folder:
        tmp = Path(folder)
        env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY="bench-only-secret-key", SEARCH_WORKER="off",
                   MAIL_WORKER="off", EVENT_SCHEDULER="off", SEARCH_INDEX_DIR=str(tmp / "search_index"),
                   UPLOAD_DIR=str(tmp / "uploads"),
                   DATABASE_URL=args.database_url or f"sqlite:///{tmp / 'costs.db'}")
        thread = prepare(env)
        os.environ.update(env)
        from app import create_app  # noqa: PLC0415 (after the environment is set)

        app = create_app({"RATELIMIT_ENABLED": False})
        logging.getLogger("staffroom.request").setLevel(logging.WARNING)  # one line a request: not here
        sizes = {"demo": measure(app, pages, thread, args.requests, None if args.grow else args.profile)}
        if args.grow:
            from app.accounts import services as accounts  # noqa: PLC0415
            from tests.bulk_rows import grow  # noqa: PLC0415

            with app.app_context():
                viewer = accounts.get_by_username(DEMO_LOGIN)
                started = time.perf_counter()
                grow(args.grow, viewer.id, group_id=1, event_id=1)
                print(f"grew by {args.grow:,} of everything in {time.perf_counter() - started:.1f} s")
            sizes[f"+{args.grow:,}"] = measure(app, pages, thread, args.requests, args.profile)
    names = list(sizes)
    print(f"{'page':22s}" + "".join(f"{name + ' queries':>16s}{name + ' ms':>12s}" for name in names))
    for page in pages:
        print(f"{page.name:22s}" + "".join(f"{sizes[n][page.name][0]:>16d}{sizes[n][page.name][1]:>12.1f}"
                                          for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
