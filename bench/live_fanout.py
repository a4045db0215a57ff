"""Live-room fan-out: N Socket.IO clients in one event room, some sending at
a steady rate; delivery latency p50/p99, messages delivered per second and
messages lost, for one server process and for two sharing rooms through Redis.

The server runs the way the README deploys it: `gunicorn -w 1 --threads
1000 wsgi:app` (threading mode, simple-websocket), on a fresh SQLite
database in a temp folder made by a setup subprocess (users, API tokens and
a drop-in event room, inserted directly so 500 users take a second).
Clients are python-socketio AsyncClients on the websocket transport,
spread over --procs load-generator processes. Each message carries its send
time (CLOCK_MONOTONIC, shared by every process on the machine); latency is
receipt minus send, over every delivery to every client, the sender
included. Lost = deliveries expected (messages acked x clients) minus
deliveries seen after a drain. Loopback only; bounded in time and count.

    .venv/bin/python bench/live_fanout.py                     # 500 clients, 10 msg/s, 20 s, one and two processes
    .venv/bin/python bench/live_fanout.py --clients 100 --duration 10 --modes one
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

from _common import free_port, git_commit  # bench/ is on sys.path: this runs as a script

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_ARGS = ["-w", "1", "--threads", "1000"]  # as the README deploys it
NS = "/live"
MAX_CLIENTS = 2000
MAX_DURATION = 300


class BenchError(RuntimeError):
    """Something that makes the figures meaningless: stop and say what."""


# --- the site: database, users, tokens, the room (runs in a subprocess) -------------------------------

def setup_site(count: int, out: Path) -> None:
    """Make `count` members with API tokens and one always-open room; write them to `out`."""
    sys.path.insert(0, str(REPO))
    from app import create_app  # noqa: PLC0415 (only in the setup subprocess)
    from app.accounts import services as accounts  # noqa: PLC0415
    from app.accounts.models import User  # noqa: PLC0415
    from app.db_types import utcnow  # noqa: PLC0415
    from app.events import services as events  # noqa: PLC0415
    from app.extensions import db  # noqa: PLC0415

    app = create_app()
    with app.app_context():
        db.create_all()
        password_hash = accounts.hash_password("bench-password-not-used")  # hashed once, shared
        users = [User(username=f"bench_{n:04d}", email=f"bench_{n:04d}@bench.example", password_hash=password_hash,
                      display_name=f"Bench {n}", country="GB", timezone="UTC", role="member",
                      email_verified_at=utcnow())  # may chat
                 for n in range(count)]
        users[0].role = "admin"  # may open a drop-in room
        db.session.add_all(users)
        db.session.commit()
        tokens = [accounts.issue_token(user, "bench")[0] for user in users]
        event = events.create_event(users[0], title="Fan-out bench room", kind="connection_call", always_open=True,
                                    starts_at=utcnow(), duration_min=60)
        out.write_text(json.dumps({"event_id": event.id, "tokens": tokens}))


def site_env(tmp: Path, redis_url: str | None) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(FLASK_APP="wsgi", SECRET_KEY="bench-only-secret-key", DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
               SEARCH_INDEX_DIR=str(tmp / "search_index"), UPLOAD_DIR=str(tmp / "uploads"), PYTHONPATH=str(REPO))
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far (Linux /proc)."""
    total = 0.0
    with suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total += sum(cpu_seconds(int(child)) for child in children)
    return total


@contextmanager
def server(env: dict, port: int, log_path: Path):
    """gunicorn as deployed, stopped however the block ends."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *SERVER_ARGS, "--no-control-socket", "-b", f"{HOST}:{port}", "wsgi:app"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                with suppress(OSError), socket.create_connection((HOST, port), timeout=1):
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


# --- the load generator (one asyncio loop per process) ---------------------------------------------

async def _clients(plan: dict, ready, go, report) -> None:
    import socketio  # noqa: PLC0415 (the worker process's own import)

    latencies: list[float] = []
    counts = {"received": 0, "sent": 0, "send_errors": 0, "connect_errors": 0}
    errors: dict[str, int] = {}
    clients = []
    gate = asyncio.Semaphore(25)

    async def connect(url: str, token: str):
        client = socketio.AsyncClient(reconnection=False)

        async def on_message(data):
            counts["received"] += 1
            latencies.append(time.monotonic() - float(data["text"].split()[1]))

        client.on("message", on_message, namespace=NS)
        async with gate:
            try:
                await client.connect(url, namespaces=[NS], transports=["websocket"], auth={"token": token},
                                     wait_timeout=30)
                ack = await client.call("join", {"event_id": plan["event_id"]}, namespace=NS, timeout=30)
                if not ack.get("ok"):
                    raise BenchError(f"join refused: {ack}")
            except Exception as error:  # noqa: BLE001 (counted and reported)
                counts["connect_errors"] += 1
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                return None
        return client

    made = await asyncio.gather(*(connect(url, token) for url, token in plan["clients"]))
    clients = [c for c in made if c is not None]
    ready.set()
    while not go.is_set():
        await asyncio.sleep(0.01)
    start = time.monotonic() + 0.2
    cpu_start = time.process_time()

    async def sender(index: int, client) -> None:
        senders = plan["senders_total"]
        period = senders / plan["rate"]
        offset = (plan["sender_offset"] + index) * period / senders
        number = 0
        while True:
            due = start + offset + number * period
            if due - start >= plan["duration"]:
                return
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            client_id = f"{plan['worker']}-{index}-{number}"
            body = f"bench {time.monotonic():.6f} {client_id}"
            try:
                ack = await client.call("send", {"event_id": plan["event_id"], "body": body, "client_id": client_id},
                                        namespace=NS, timeout=10)
            except Exception as error:  # noqa: BLE001 (counted and reported)
                counts["send_errors"] += 1
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            else:
                if ack.get("ok"):
                    counts["sent"] += 1
                else:
                    counts["send_errors"] += 1
                    code = ack.get("error", {}).get("code", "error")
                    errors[code] = errors.get(code, 0) + 1
            number += 1

    await asyncio.gather(*(sender(i, c) for i, c in enumerate(clients[:plan["senders_here"]])))
    await asyncio.sleep(plan["drain"])
    cpu = time.process_time() - cpu_start
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    report.put({"latencies": latencies, "clients": len(clients), "errors": errors, "cpu_s": cpu, **counts})


def worker(plan: dict, ready, go, report) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    import logging  # noqa: PLC0415

    logging.basicConfig(level=logging.ERROR)  # engineio chats about every closed socket
    asyncio.run(_clients(plan, ready, go, report))


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def run_mode(mode: str, args, site: dict, tmp: Path) -> dict:
    processes = 2 if mode == "two" else 1
    env = site_env(tmp, args.redis if mode == "two" else None)
    tokens = site["tokens"][:args.clients]
    with ExitStack() as stack:
        urls, pids = [], []
        for n in range(processes):
            port = free_port()
            pids.append(stack.enter_context(server(env, port, tmp / f"gunicorn-{mode}-{n}.log")).pid)
            urls.append(f"http://{HOST}:{port}")
        # Clients alternate between the servers; senders are the first clients.
        assigned = [(urls[i % processes], token) for i, token in enumerate(tokens)]
        context = multiprocessing.get_context("spawn")
        go = context.Event()
        report = context.Queue()
        workers, readies = [], []
        for w in range(args.procs):
            mine = assigned[w::args.procs]
            senders_here = len(range(w, args.senders, args.procs))
            plan = {"event_id": site["event_id"], "clients": mine, "senders_here": senders_here,
                    "senders_total": args.senders, "sender_offset": sum(len(range(v, args.senders, args.procs))
                                                                        for v in range(w)),
                    "rate": args.rate, "duration": args.duration, "drain": args.drain, "worker": f"{mode}{w}"}
            ready = context.Event()
            proc = context.Process(target=worker, args=(plan, ready, go, report), daemon=True)
            proc.start()
            workers.append(proc)
            readies.append(ready)
        deadline = time.monotonic() + 120
        for ready in readies:
            if not ready.wait(max(0.1, deadline - time.monotonic())):
                raise BenchError("clients did not all connect within 120 s")
        time.sleep(1)
        server_cpu = sum(cpu_seconds(pid) for pid in pids)
        go.set()
        parts = [report.get(timeout=args.duration + args.drain + 120) for _ in workers]
        server_cpu = sum(cpu_seconds(pid) for pid in pids) - server_cpu
        for proc in workers:
            proc.join(timeout=10)
    latencies = [x for part in parts for x in part["latencies"]]
    clients = sum(p["clients"] for p in parts)
    sent = sum(p["sent"] for p in parts)
    received = sum(p["received"] for p in parts)
    errors: dict[str, int] = {}
    for part in parts:
        for key, value in part["errors"].items():
            errors[key] = errors.get(key, 0) + value
    expected = sent * clients
    return {
        "mode": mode,
        "server_processes": processes,
        "clients": clients,
        "connect_errors": sum(p["connect_errors"] for p in parts),
        "senders": args.senders,
        "rate_per_s": args.rate,
        "duration_s": args.duration,
        "sent": sent,
        "send_errors": sum(p["send_errors"] for p in parts),
        "errors": errors,
        "expected_deliveries": expected,
        "delivered": received,
        "lost": max(0, expected - received),
        "delivered_per_s": round(received / args.duration, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else float("nan"),
        # CPU seconds used while sending and draining: the server(s), and the load generator.
        "server_cpu_s": round(server_cpu, 2),
        "loadgen_cpu_s": round(sum(p["cpu_s"] for p in parts), 2),
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'mode':<6} {'procs':>5} {'clients':>7} {'sent':>6} {'delivered':>10} {'lost':>5} "
          f"{'deliv/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>7} {'srv cpu':>8} {'gen cpu':>8}")
    for r in rows:
        errors = r["send_errors"] + r["connect_errors"]
        print(
            f"{r['mode']:<6} {r['server_processes']:>5} {r['clients']:>7} {r['sent']:>6} {r['delivered']:>10} "
            f"{r['lost']:>5} {r['delivered_per_s']:>8} {r['p50_ms']:>7} {r['p99_ms']:>7} {r['max_ms']:>7} {errors:>7} "
            f"{r['server_cpu_s']:>8} {r['loadgen_cpu_s']:>8}"
        )
        if r["errors"]:
            print(f"       errors: {r['errors']}")


def redis_reachable(url: str) -> bool:
    try:
        import redis  # noqa: PLC0415

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Live-room fan-out latency and loss.")
    parser.add_argument("--clients", type=int, default=500, help="clients in the room (default 500)")
    parser.add_argument("--senders", type=int, default=20, help="clients that send (default 20)")
    parser.add_argument("--rate", type=float, default=10, help="messages per second, all senders together (default 10)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of sending (default 20)")
    parser.add_argument("--drain", type=float, default=3, help="seconds to wait for stragglers (default 3)")
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes (default 2)")
    parser.add_argument("--modes", default="one,two", help="one (one server), two (two servers + Redis)")
    parser.add_argument("--redis", default=os.environ.get("STAFFROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="Redis for the two-process mode (loopback)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "live_fanout.json")
    parser.add_argument("--_setup", nargs=2, metavar=("COUNT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._setup:  # noqa: SLF001 (the bench drives the client's own setup)
        return args
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --duration up to {MAX_DURATION} s")
    if not 1 <= args.senders <= args.clients or args.rate <= 0 or args.procs < 1:
        parser.error("--senders 1..clients, --rate > 0, --procs >= 1")
    # Each sender's pace must stay under the room's rate limit (8 messages per 10 s).
    if args.rate / args.senders > 0.8:
        parser.error("each sender would exceed the room's 8 messages per 10 s: add --senders")
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if set(args.modes) - {"one", "two"}:
        parser.error("--modes is one, two or one,two")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args._setup:  # noqa: SLF001 (the bench drives the client's own setup)
        setup_site(int(args._setup[0]), Path(args._setup[1]))  # noqa: SLF001 (the bench drives the client's own setup)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(
        f"Live fan-out: {args.clients} clients, {args.senders} senders, {args.rate:g} msg/s for {args.duration:g} s, "
        f"gunicorn {' '.join(SERVER_ARGS)}, {args.procs} load processes, {os.cpu_count()} CPUs, load {load_before[0]}"
    )
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="staffroom-fanout-") as folder:
            tmp = Path(folder)
            out = tmp / "site.json"
            done = subprocess.run([sys.executable, __file__, "--_setup", str(args.clients), str(out)], cwd=REPO,
                                  env=site_env(tmp, None), capture_output=True, text=True, timeout=300)
            if done.returncode:
                raise BenchError(f"setup failed:\n{done.stdout}{done.stderr}")
            site = json.loads(out.read_text())
            for mode in args.modes:
                if mode == "two" and not redis_reachable(args.redis):
                    print(f"two: skipped, Redis not reachable at {args.redis}")
                    continue
                print(f"{mode}: running…", flush=True)
                rows.append(run_mode(mode, args, site, tmp))
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped.", file=sys.stderr)
        return 130
    print_table(rows)
    report = {
        "benchmark": "live_fanout", "server": f"gunicorn {' '.join(SERVER_ARGS)} wsgi:app", "transport": "websocket",
        "load_processes": args.procs, "cpu_count": os.cpu_count(), "machine": platform.platform(),
        "load_average_before": load_before, "git_commit": git_commit(),
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    return 0 if all(r["lost"] == 0 for r in rows) else 2


if __name__ == "__main__":
    sys.exit(main())
