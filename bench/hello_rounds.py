"""The app's own hello against the bare Flask app, in rounds, for the
per-request overhead on a busy machine.

bench/run.py measures the bare app twice in a run; on a shared machine the
bare app alone moves by half between the two. Here each round starts a
fresh gunicorn (the flags of bench/run.py) for the bare app, the app, and
optionally the app of another checkout (`--other`, e.g. a `git worktree` of
an older commit), loads each one's `/_bench/hello` for a visitor in turn,
and the ratios are taken within the round; the table shows every round and
the median. Server CPU time a request is shown too (it moves less).

The hello of a visitor needs no row, so the database is a migrated, empty
SQLite file (the schema is there for the worker threads the first request
starts).

Run: .venv/bin/python bench/hello_rounds.py [--rounds 5] [--duration 5] [--other PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import run
from _common import REPO, free_port, git_commit, where_and_when, write_report


def measure(others: dict[str, Path], rounds: int, duration: float, connections: int, tool: str) -> dict:
    hello = run.Page("hello", run.HELLO)
    targets = {"bare": ("bare_app:app", run.BENCH), "app": ("wsgi:app", REPO),
               **{name: ("wsgi:app", path) for name, path in others.items()}}
    rows: dict[str, list[dict]] = {name: [] for name in targets}
    with tempfile.TemporaryDirectory(prefix="staffroom-hello-") as tmp_name:
        tmp = Path(tmp_name)
        env = run.site_env(tmp, f"sqlite:///{tmp / 'empty.db'}")
        done = run.flask(env, "db", "upgrade")
        if done.returncode:
            raise run.BenchError(f"flask db upgrade failed:\n{done.stdout}{done.stderr}")
        for number in range(rounds):
            for name, (target, cwd) in targets.items():
                port = free_port()
                with run.server(dict(env, PYTHONPATH=str(cwd)), port, tmp / f"{name}.log", target, cwd) as proc:
                    row = run.measure_page(tool, proc, hello, {}, duration, connections)
                rows[name].append(row)
                print(f"round {number + 1} {name:<8} {row['requests_per_s']:8.1f} req/s, "
                      f"{row['cpu_us']:6.0f} µs CPU a request", flush=True)
    return rows


def summary(rows: dict[str, list[dict]]) -> dict:
    """Per app: % of bare's req/s and bare's CPU a request as % of its own, per round and median."""
    bare = rows["bare"]
    out = {}
    for name, runs in rows.items():
        if name == "bare":
            continue
        pairs = list(zip(runs, bare, strict=True))
        pct = [round(100 * r["requests_per_s"] / b["requests_per_s"], 1) for r, b in pairs]
        cpu = [round(100 * b["cpu_us"] / r["cpu_us"], 1) if r["cpu_us"] else 0.0 for r, b in pairs]
        out[name] = {"pct_bare": pct, "pct_bare_median": statistics.median(pct), "cpu_pct_bare": cpu,
                     "cpu_pct_bare_median": statistics.median(cpu),
                     "cpu_us_median": statistics.median(r["cpu_us"] for r in runs)}
    out["bare"] = {"requests_per_s_median": statistics.median(b["requests_per_s"] for b in bare),
                   "cpu_us_median": statistics.median(b["cpu_us"] for b in bare)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5, help="seconds of load per server and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--other", type=Path, action="append", default=[],
                        help="another checkout whose app is measured too (repeatable)")
    parser.add_argument("--tool", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "hello_rounds.json")
    args = parser.parse_args(argv)
    others = {f"other{i + 1}": path.resolve() for i, path in enumerate(args.other)}
    load_before = [round(x, 2) for x in os.getloadavg()]
    try:
        rows = measure(others, args.rounds, args.duration, args.connections, args.tool)
    except run.BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    figures = summary(rows)
    print()
    for name, fig in figures.items():
        if name == "bare":
            print(f"bare: {fig['requests_per_s_median']:.0f} req/s, {fig['cpu_us_median']:.0f} µs CPU (medians)")
        else:
            print(f"{name}: % bare {fig['pct_bare']} median {fig['pct_bare_median']}; CPU % bare "
                  f"{fig['cpu_pct_bare']} median {fig['cpu_pct_bare_median']}; {fig['cpu_us_median']:.0f} µs CPU")
    report = {"benchmark": "hello_rounds", "tool": args.tool, "rounds": args.rounds, "duration_s": args.duration,
              "connections": args.connections, "server": f"gunicorn {' '.join(run.SERVER_ARGS)}",
              "others": {name: {"path": str(path), "git_commit": git_commit(path)} for name, path in others.items()},
              "load_average_before": load_before, **where_and_when(), "summary": figures, "rows": rows}
    write_report(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
