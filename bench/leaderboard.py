"""Leaderboard speed: one group of 1,000 members with 100,000 activities.

    .venv/bin/python bench/leaderboard.py [--members 1000] [--activities 100000] [--rounds 60]
        [--postgres postgresql://postgres@127.0.0.1:5432/test | --no-postgres]

For SQLite (a temp file) and PostgreSQL (a scratch schema, dropped at the
end) it builds the data with bulk inserts, runs ANALYZE, then times
`stats.leaderboard()` for this week, this month and all time (each one
aggregate query) and `stats.weekly_totals()` for one member (12 weeks, one
query). Prints a table and writes bench/results/leaderboard.json.
Target: leaderboard p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.extensions import db  # noqa: E402
from app.groups import stats, totals  # noqa: E402
from app.groups.models import Activity, Group, Membership  # noqa: E402

TARGET_P95_MS = 50
ZONE = "Australia/Sydney"
SPORTS = ["run"] * 8 + ["walk", "ride"]
VISIBILITY = ["groups"] * 7 + ["public"] * 2 + ["private"]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def build(members: int, count: int, seed: int) -> int:
    """Users, one running group with all of them, `count` activities over a year."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    created = now - timedelta(days=400)
    db.session.execute(sa.insert(User.__table__), [
        {"id": n, "username": f"runner{n:05d}", "email": f"runner{n:05d}@bench.example", "password_hash": "x",
         "display_name": f"Runner {n}", "role": "member", "timezone": ZONE, "bio_md": "", "bio_html": "",
         "auth_version": 1, "created_at": created} for n in range(1, members + 1)])
    db.session.execute(sa.insert(Group.__table__), [{
        "id": 1, "name": "Bench Runners", "description_md": "", "description_html": "", "focus": "running",
        "visibility": "public", "weekly_goal_m": 25_000, "group_goal_m": 5_000_000, "timezone": ZONE,
        "created_at": created, "updated_at": created}])
    db.session.execute(sa.insert(Membership.__table__), [
        {"group_id": 1, "user_id": n, "role": "owner" if n == 1 else "member", "joined_at": created}
        for n in range(1, members + 1)])
    batch = []
    for _n in range(1, count + 1):
        started = now - timedelta(seconds=rng.randint(60, 365 * 86400))
        distance = rng.randint(2000, 21000)
        batch.append({
            "user_id": rng.randint(1, members), "sport": rng.choice(SPORTS), "title": "Bench run", "notes_md": "",
            "notes_html": "", "distance_m": distance, "duration_s": int(distance * rng.uniform(0.28, 0.4)),
            "started_at": started, "started_on": started.date(), "timezone": ZONE,
            "visibility": rng.choice(VISIBILITY), "source": "manual", "created_at": started, "updated_at": started,
        })
        if len(batch) == 5000:
            db.session.execute(sa.insert(Activity.__table__), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(Activity.__table__), batch)
    totals.rebuild()  # bulk inserts bypass the services that keep totals in step
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"SELECT setval('users_id_seq', {members})"))
        db.session.commit()
    # What a database in service has done long since: statistics (and, on
    # PostgreSQL, the visibility map that lets it read covering indexes alone).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")
    return count


def time_call(call, rounds: int) -> dict:
    call()  # warm-up: plans, caches
    call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(_pct(samples, 95), 2),
            "max_ms": round(max(samples), 2)}


def run_backend(name: str, settings: dict, args) -> dict:
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        build(args.members, args.activities, args.seed)
        build_s = time.perf_counter() - started
        group = db.session.get(Group, 1)
        member = db.session.get(User, 1)
        rows = {}
        for period in ("week", "month", "all"):
            board = stats.leaderboard(group, period)
            rows[f"leaderboard_{period}"] = {**time_call(lambda p=period: stats.leaderboard(group, p), args.rounds),
                                             "rows": len(board.rows),
                                             "activities_counted": sum(r.activities for r in board.rows)}
        rows["leaderboard_all_by_time"] = time_call(lambda: stats.leaderboard(group, "all", "time"), args.rounds)
        rows["weekly_totals_12w"] = time_call(lambda: stats.weekly_totals(member, 12), args.rounds)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return {"backend": name, "build_s": round(build_s, 1), "results": rows}


def _commit() -> str:
    try:
        def git(*args) -> str:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

        sha, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
        return sha + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get("STAFFROOM_BENCH_POSTGRES",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "leaderboard.json"))
    args = parser.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory(prefix="staffroom-bench-") as tmp:
        base = {"SECRET_KEY": "bench", "SEARCH_WORKER": "off", "INSTANCE_PATH": Path(tmp) / "instance",
                "UPLOAD_DIR": str(Path(tmp) / "uploads"), "SEARCH_INDEX_DIR": str(Path(tmp) / "index")}
        results.append(run_backend("sqlite", {**base, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"}, args))
        if not args.no_postgres:
            url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
            schema = f"bench_{secrets.token_hex(4)}"
            admin = sa.create_engine(url)
            try:
                with admin.begin() as connection:
                    connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            except sa.exc.OperationalError as error:
                print(f"PostgreSQL not reachable ({error.orig}); skipped. Use --no-postgres to silence.")
            else:
                try:
                    results.append(run_backend("postgresql", {
                        **base, "SQLALCHEMY_DATABASE_URI": url,
                        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
                    }, args))
                finally:
                    with admin.begin() as connection:
                        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                    admin.dispose()

    print(f"\nLeaderboard: {args.members:,} members, {args.activities:,} activities, {args.rounds} rounds "
          f"(target p95 <= {TARGET_P95_MS} ms)\n")
    print(f"{'backend':<11} {'query':<26} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  ok")
    for result in results:
        for query, figures in result["results"].items():
            ok = "yes" if not query.startswith("leaderboard") or figures["p95_ms"] <= TARGET_P95_MS else "NO"
            print(f"{result['backend']:<11} {query:<26} {figures['p50_ms']:>8} {figures['p95_ms']:>8} "
                  f"{figures['max_ms']:>8}  {ok}")
    report = {
        "benchmark": "leaderboard", "members": args.members, "activities": args.activities, "rounds": args.rounds,
        "target_p95_ms": TARGET_P95_MS, "timezone": ZONE, "results": results,
        "cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
        "load_average_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
