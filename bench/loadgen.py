"""A small HTTP load generator, used by bench/run.py only when wrk is missing.

Why it exists: the page benchmarks must run on any machine with the venv,
and wrk is a system package that may not be installed. This keeps the same
shape as `wrk -c N -d S`: N keep-alive connections, each sending its next
request as soon as the previous answer is read, for a fixed duration.

Why its figures are lower than wrk's: it is pure Python, so its threads share
one GIL and it competes with the server for the same cores. Compare pages
with each other (the ratio to "hello") rather than with wrk runs.

Standalone use: python bench/loadgen.py http://127.0.0.1:5000/ -d 5 -c 16
"""

from __future__ import annotations

import argparse
import http.client
import threading
import time
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _worker(host: str, port: int, path: str, headers: dict, deadline: float,
            latencies: list[float], errors: list[int]) -> None:
    """One keep-alive connection: request, read the whole answer, repeat.

    Latencies and errors go to per-thread lists (no lock on the hot path);
    a socket error counts once and the connection is opened again.
    """
    conn = None
    while True:
        start = time.perf_counter()
        if start >= deadline:
            break
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                errors[0] += 1
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors[0] += 1
            if conn is not None:
                conn.close()
            conn = None
            continue
        latencies.append(time.perf_counter() - start)
    if conn is not None:
        conn.close()


def run(url: str, *, duration: float, connections: int, headers: dict | None = None) -> dict:
    """Load `url` for `duration` seconds over `connections` connections.

    Returns requests, requests_per_s, p50_ms, p99_ms and errors (non-2xx
    answers plus socket errors), the same keys bench/run.py reads from wrk.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = dict(headers or {})
    per_thread = [([], [0]) for _ in range(connections)]
    started = time.perf_counter()
    deadline = started + duration
    threads = [
        threading.Thread(target=_worker, daemon=True,
                         args=(parts.hostname, parts.port or 80, path, headers, deadline, lat, err))
        for lat, err in per_thread
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(value for lat, _ in per_thread for value in lat)
    return {
        "requests": len(latencies),
        "requests_per_s": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "errors": sum(err[0] for _, err in per_thread),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    parser.add_argument("-c", "--connections", type=int, default=32)
    parser.add_argument("-H", "--header", action="append", default=[],
                        help='extra header, "Name: value" (repeatable)')
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    result = run(args.url, duration=args.duration, connections=args.connections,
                 headers={k.strip(): v.strip() for k, v in headers.items()})
    print(f"{result['requests_per_s']:.1f} req/s  p50 {result['p50_ms']:.2f} ms  "
          f"p99 {result['p99_ms']:.2f} ms  errors {result['errors']}  ({result['requests']} requests)")


if __name__ == "__main__":
    main()
