"""Load and faults: the two-process deployment on PostgreSQL under a mixed
workload (browse, search, forum replies, shared resources, chat), while one
app process and then Redis are killed and started again.

Why: a scale-out deployment is only worth having if losing a process or
Redis costs some errors for a few seconds and never a saved post, resource
or chat message. The deployment is deploy/cluster.py's, as README.md
("Several processes") documents it: a fresh PostgreSQL database, one `flask
search worker`, two `gunicorn -w 1 --threads 100 wsgi:app`, all on loopback,
with a redis-server of the bench's own on a free port (the machine's shared
Redis is never stopped). The clients are in bench/_load_mix.py. Phases, each
--phase-seconds long after a short warm-up:

  steady        everything up
  a_killed      app process A gets SIGKILL; its clients move to B; A is
                started again at the end of the phase (its start counts here)
  a_back        A serves again
  redis_killed  redis-server gets SIGKILL; started again (empty) at the end
  redis_back    Redis is back

Then the clients stop sending, the chat clients keep listening (and
reconnecting, and catching up) for --drain seconds, and the database is
checked: every post, resource and chat message whose create was acknowledged
must be in it (lost = 0), and every chat client must have received every
acknowledged message, live or by backfill (missed = 0). The exit status is 2
when either is not 0. Loopback only; bounded in time (about 4 minutes with
the defaults, set-up included).

    .venv/bin/python bench/load_faults.py                      # warm-up + 5 phases x 24 s
    .venv/bin/python bench/load_faults.py --phase-seconds 10   # quicker
    .venv/bin/python bench/load_faults.py --catch-up-every 0   # chat clients as the browser: backfill on reconnect only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # bench/ scripts run as scripts; deploy/ is a package at the root

import _load_mix as mix  # noqa: E402 (bench/ is on sys.path as the script's folder)
from _common import git_commit  # noqa: E402

from deploy.cluster import Cluster, ClusterError, JsonClient, RedisServer, random_loopback  # noqa: E402

PASSWORD = "bench-password-2026"
HTTP_OPS = ("browse", "search", "post", "resource")
MAX_PHASE_SECONDS = 120
WARM_UP_SECONDS = 5


class BenchError(RuntimeError):
    """Something that makes the figures meaningless: stop and say what."""


# --- setup: members, an event room, a thread per writer, a few resources to find --------------------

def expect(reply, status: int, what: str):
    if reply.status != status:
        raise BenchError(f"{what}: HTTP {reply.status} {reply.body[:300]!r}")
    return reply.json()


def make_member(url: str, username: str) -> str:
    """Register through the API and return an API token (own client address:
    registrations are rate-limited per address)."""
    client = JsonClient(url, source=random_loopback())
    expect(client.post("/api/v1/users", json={"username": username, "email": f"{username}@bench.example",
                                              "password": PASSWORD, "display_name": username, "country": "GB"}),
           201, f"register {username}")
    return expect(client.post("/api/v1/tokens", json={"login": username, "password": PASSWORD}), 201, "sign in")[
        "token"
    ]


def make_site(cluster: Cluster, args) -> mix.Site:
    cluster.flask("forum", "ensure-categories")
    url = cluster.url("a")
    names = ["bench_host", *(f"bench_writer{n}" for n in range(args.writers)),
             *(f"bench_chat{n}" for n in range(args.chatters))]
    with ThreadPoolExecutor(4) as pool:  # each registration hashes a password
        tokens = dict(zip(names, pool.map(lambda name: make_member(url, name), names), strict=False))
    host = JsonClient(url, token=tokens["bench_host"])
    starts_at = datetime.now(timezone.utc) + timedelta(minutes=1)
    event = expect(host.post("/api/v1/events", json={
        "title": "Load and faults staff room", "kind": "connection_call", "starts_at": starts_at.isoformat(),
        "duration_min": 240}), 201, "create the event")
    categories = expect(host.get("/api/v1/categories"), 200, "categories")["items"]
    category_id = next(c["id"] for c in categories if c["slug"] == "ask-the-community")
    writers, pages = [], list(mix.PAGES)
    for n in range(args.writers):
        token = tokens[f"bench_writer{n}"]
        thread = expect(JsonClient(url, token=token).post("/api/v1/threads", json={
            "category_id": category_id, "title": f"Load test thread {n}", "body": "Replies arrive here."}),
            201, "create a thread")
        writers.append({"token": token, "thread_id": thread["id"]})
        pages.append(thread["html_url"])
    for word in mix.WORDS:  # something for the searches to find from the start
        expect(host.post("/api/v1/resources", json={
            "title": f"Introducing {word}", "description": f"Starter activities on {word}.",
            "url": f"https://lessons.example.org/{word}", "subject": "science", "age_ranges": ["7-11"],
            "tags": [word], "license": "cc-by"}), 201, "share a resource")
    return mix.Site(urls=cluster.urls, event_id=event["id"], writers=writers,
                    chatters=[tokens[f"bench_chat{n}"] for n in range(args.chatters)], pages=pages)


# --- the run: phases, faults ------------------------------------------------------------------------

def run_phases(cluster: Cluster, redis: RedisServer, load: mix.Load, args) -> list[dict]:
    recorder, phases = load.recorder, []
    failure: list[BaseException] = []

    def body():
        try:
            mix.run(load)
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            failure.append(error)

    def phase(name: str, seconds: float, before=None, after=None) -> None:
        recorder.phase = name
        started = time.monotonic()
        if before:
            before()
        deadline = started + seconds
        while time.monotonic() < deadline:
            if not thread.is_alive():
                raise BenchError(f"the load thread stopped: {failure[0] if failure else 'no error'}")
            time.sleep(0.2)
        if after:
            after()
        phases.append({"phase": name, "seconds": round(time.monotonic() - started, 1)})
        print(f"  {name}: {phases[-1]['seconds']} s", flush=True)

    thread = threading.Thread(target=body, name="load", daemon=True)
    thread.start()
    try:
        seconds = args.phase_seconds
        phase("warm_up", WARM_UP_SECONDS)
        phase("steady", seconds)
        phase("a_killed", seconds, before=lambda: cluster.kill("a"), after=lambda: cluster.restart("a"))
        phase("a_back", seconds)
        phase("redis_killed", seconds, before=redis.kill, after=redis.start)
        phase("redis_back", seconds)
    finally:
        recorder.phase = "drain"
        started = time.monotonic()
        load.stop.set()
        thread.join(args.drain + 60)
        phases.append({"phase": "drain", "seconds": round(time.monotonic() - started, 1)})
    if failure:
        raise BenchError(f"the load thread failed: {failure[0]!r}")
    return phases


# --- figures ---------------------------------------------------------------------------------------

def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))] * 1000, 1)


def phase_rows(recorder: mix.Recorder, phases: list[dict]) -> list[dict]:
    rows = []
    for info in phases:
        name = info["phase"]
        calls = [c for c in recorder.calls if c[0] == name]
        http = [c for c in calls if c[1] in HTTP_OPS]
        sends = [c for c in calls if c[1] == "chat send"]
        ok_http = [c[2] for c in http if c[3] == "ok"]
        ok_sends = [c[2] for c in sends if c[3] == "ok"]
        resyncs = {cause: n for (p, cause), n in recorder.resyncs.items() if p == name}
        rows.append(
            {
                **info,
                "http_ok": len(ok_http),
                "http_per_s": round(len(ok_http) / info["seconds"], 1),
                "http_p50_ms": percentile(ok_http, 50),
                "http_p99_ms": percentile(ok_http, 99),
                "http_errors": dict(Counter(f"{c[1]}: {c[3]}" for c in http if c[3] != "ok")),
                "chat_sent": len(ok_sends),
                "chat_p50_ms": percentile(ok_sends, 50),
                "chat_p99_ms": percentile(ok_sends, 99),
                "chat_errors": dict(
                    Counter(f"{c[1]}: {c[3]}" for c in calls if c[1].startswith("chat") and c[3] != "ok")
                ),
                "reconnects": resyncs.pop("reconnect", 0),
                "resyncs": resyncs,
            }
        )
    return rows


def op_rows(recorder: mix.Recorder) -> list[dict]:
    rows = []
    for op in (*HTTP_OPS, "chat send"):
        calls = [c for c in recorder.calls if c[1] == op and c[0] != "warm_up"]
        ok = [c[2] for c in calls if c[3] == "ok"]
        rows.append({"op": op, "ok": len(ok), "errors": len(calls) - len(ok),
                     "p50_ms": percentile(ok, 50), "p99_ms": percentile(ok, 99)})
    return rows


def integrity(cluster: Cluster, load: mix.Load) -> dict:
    """Acknowledged creates against the database, and chat deliveries."""
    acked = load.recorder.acked
    thread_ids = [w["thread_id"] for w in load.site.writers]
    checks = {
        "post": ("SELECT id FROM forum_posts WHERE id = ANY(%s)",
                 ("SELECT count(*) FROM forum_posts WHERE thread_id = ANY(%s) AND number > 1", (thread_ids,))),
        "resource": ("SELECT id FROM resources WHERE id = ANY(%s)",
                     ("SELECT count(*) FROM resources", None)),
        "chat": ("SELECT id FROM event_messages WHERE id = ANY(%s)",
                 ("SELECT count(*) FROM event_messages WHERE event_id = %s", (load.site.event_id,))),
    }
    result = {}
    for kind, (find, (count, params)) in checks.items():
        found = {row[0] for row in cluster.query(find, (sorted(acked[kind]),))}
        in_database = cluster.query(count, params)[0][0] - (len(mix.WORDS) if kind == "resource" else 0)
        result[kind] = {"acknowledged": len(acked[kind]), "found": len(found), "lost": len(acked[kind] - found),
                        "saved_without_ack": in_database - len(found)}
    chatters = load.chatters
    expected = acked["chat"]
    missed = {c.number: len(expected - c.seen) for c in chatters}
    phase_of = load.recorder.chat_phase
    result["chat_delivery"] = {
        "clients": len(chatters), "expected": len(expected) * len(chatters),
        "received": sum(len(expected & c.seen) for c in chatters),
        "by_backfill": dict(sum((c.backfilled for c in chatters), Counter())), "missed": sum(missed.values()),
        "clients_missing_some": sum(1 for n in missed.values() if n),
        "missed_by_phase_sent": dict(Counter(phase_of[i] for c in chatters for i in expected - c.seen)),
    }
    result["chat_delivery"]["clients_detail"] = [  # what each client went through, to explain a miss
        {"client": c.number, "missed": sorted(expected - c.seen), "history": c.history} for c in chatters]
    return result


def search_state(cluster: Cluster) -> dict:
    """Wait for the worker to drain the outbox, then compare index and database."""
    deadline = time.monotonic() + 30
    while (pending := cluster.query("SELECT count(*) FROM search_jobs")[0][0]) and time.monotonic() < deadline:
        time.sleep(0.5)
    status = cluster.flask("search", "status")
    counts = {}
    for line in status.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1].isdigit() and parts[2].isdigit():
            counts[parts[0]] = {"database": int(parts[1]), "index": int(parts[2])}
    return {"pending_jobs": pending, "types": counts}


def fmt(value) -> str:
    return "-" if value is None else f"{value:,}"


def print_report(phases: list[dict], ops: list[dict], check: dict, search: dict) -> None:
    print(f"\n{'phase':<13} {'s':>5} {'http/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'http err':>8} "
          f"{'chat ok':>7} {'chat p99':>8} {'chat err':>8} {'reconn':>6} {'resync':>6} {'c-up':>5}")
    for r in phases:
        print(f"{r['phase']:<13} {r['seconds']:>5} {r['http_per_s']:>7} {fmt(r['http_p50_ms']):>8} "
              f"{fmt(r['http_p99_ms']):>8} {sum(r['http_errors'].values()):>8} {r['chat_sent']:>7} "
              f"{fmt(r['chat_p99_ms']):>8} {sum(r['chat_errors'].values()):>8} {r['reconnects']:>6} "
              f"{r['resyncs'].get('resync', 0):>6} {r['resyncs'].get('catch-up', 0):>5}")
    for r in phases:
        errors = {**r["http_errors"], **r["chat_errors"],
                  **{f"join: {k}": v for k, v in r["resyncs"].items() if k not in ("catch-up", "resync")}}
        if errors:
            print(f"  {r['phase']}: " + ", ".join(f"{k} x{v}" for k, v in sorted(errors.items())))
    print(f"\n{'operation':<10} {'ok':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}   (all phases after warm-up)")
    for r in ops:
        print(f"{r['op']:<10} {r['ok']:>7} {r['errors']:>7} {fmt(r['p50_ms']):>8} {fmt(r['p99_ms']):>8}")
    print(f"\n{'created':<10} {'acked':>7} {'in db':>7} {'lost':>5} {'saved, no ack':>14}")
    for kind in ("post", "resource", "chat"):
        c = check[kind]
        print(f"{kind:<10} {c['acknowledged']:>7} {c['found']:>7} {c['lost']:>5} {c['saved_without_ack']:>14}")
    d = check["chat_delivery"]
    backfill = ", ".join(f"{n} after a {cause}" for cause, n in d["by_backfill"].items()) or "none"
    print(f"\nchat delivery: {d['clients']} clients, {d['expected']} expected, {d['received']} received "
          f"(by backfill: {backfill}), missed {d['missed']}"
          + (f" (by phase sent: {d['missed_by_phase_sent']})" if d["missed"] else ""))
    print(f"search: {search['pending_jobs']} jobs pending at the end; index vs database: "
          + ", ".join(f"{k} {v['index']}/{v['database']}" for k, v in search["types"].items()))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mixed load on two app processes while one of them and Redis fail.")
    parser.add_argument("--phase-seconds", type=float, default=24, help="length of each of the 5 phases (default 24)")
    parser.add_argument("--visitors", type=int, default=4, help="clients browsing and searching (default 4)")
    parser.add_argument("--writers", type=int, default=2, help="clients posting replies and resources (default 2)")
    parser.add_argument("--chatters", type=int, default=6, help="members chatting in the room (default 6)")
    parser.add_argument(
        "--chat-every", type=float, default=2.0, help="seconds between one member's messages (default 2)"
    )
    parser.add_argument("--catch-up-every", type=float, default=10,
                        help="seconds between a chat client's joins with since_id while connected; 0: only "
                             "after a reconnect, as the browser does (default 10)")
    parser.add_argument("--drain", type=float, default=12,
                        help="seconds chat clients keep listening, reconnecting and catching up after the "
                             "run (default 12)")
    parser.add_argument("--threads", type=int, default=100, help="gunicorn --threads per process (default 100)")
    parser.add_argument("--postgres", default=os.environ.get("STAFFROOM_TEST_DATABASE_URL")
                        or "postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server to make the bench's own database in (loopback)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "load_faults.json")
    parser.add_argument("--keep-logs", type=Path, help="copy the processes' logs here at the end")
    args = parser.parse_args(argv)
    if not 5 <= args.phase_seconds <= MAX_PHASE_SECONDS:
        parser.error(f"--phase-seconds 5..{MAX_PHASE_SECONDS}")
    if not (1 <= args.visitors <= 32 and 1 <= args.writers <= 8 and 1 <= args.chatters <= 32):
        parser.error("--visitors 1..32, --writers 1..8, --chatters 1..32")
    if args.chat_every < 1.25:  # the room allows 8 messages per 10 s per member
        parser.error("--chat-every at least 1.25 s")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"Load and faults: {args.visitors} visitors, {args.writers} writers, {args.chatters} chatters; "
          f"5 phases x {args.phase_seconds:g} s; {os.cpu_count()} CPUs, load average {load_before[0]}", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="staffroom-faults-") as folder:
            tmp = Path(folder)
            redis = RedisServer(tmp / "redis")
            try:
                redis.start()
                cluster = Cluster(args.postgres, redis.url, tmp, threads=args.threads, tag="bench",
                                  # Writers post faster than flood control allows; the members
                                  # register through the API and post at once, with no mailbox.
                                  env={"FORUM_POSTS_PER_MINUTE": "0", "REQUIRE_EMAIL_VERIFICATION": "0"})
                with cluster:
                    print("deployment up; making members, a room, threads…", flush=True)
                    site = make_site(cluster, args)
                    load = mix.Load(site, mix.Recorder(), threading.Event(), visitors=args.visitors,
                                    chat_every=args.chat_every, catch_up_every=args.catch_up_every,
                                    drain=args.drain)
                    phases = phase_rows(load.recorder, run_phases(cluster, redis, load, args))
                    check = integrity(cluster, load)
                    search = search_state(cluster)
                    if args.keep_logs:
                        shutil.copytree(cluster.logs, args.keep_logs, dirs_exist_ok=True)
            finally:
                redis.stop()
    except (BenchError, ClusterError) as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; every process stopped, the database dropped.", file=sys.stderr)
        return 130
    ops = op_rows(load.recorder)
    print_report(phases, ops, check, search)
    report = {
        "benchmark": "load_faults", "deployment": f"2 x gunicorn -w 1 --threads {args.threads} wsgi:app, "
        "1 x flask search worker, PostgreSQL, redis-server", "args": {k: str(v) for k, v in vars(args).items()},
        "cpu_count": os.cpu_count(), "machine": platform.platform(), "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()], "git_commit": git_commit(),
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "phases": phases, "operations": ops, "integrity": check, "search": search,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    lost = sum(check[k]["lost"] for k in ("post", "resource", "chat")) + check["chat_delivery"]["missed"]
    return 2 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
