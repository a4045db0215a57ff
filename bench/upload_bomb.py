"""Upload bombs: the request's time and the memory every process gains.

A security review uploaded a 545 KB .docx whose word/document.xml inflates to
187 MB: it was answered after 297 s and took the web worker from 221 MB to
about 4 GB, because the text was read inside the request. Now the upload is
stored and answered at once, and a child process reads the text on a budget
under a memory and time ceiling (app/resources/text_jobs.py).

One run: a fresh SQLite site in a temp folder, gunicorn as deployed (its
text worker thread on), one member with an API token. For each file: sample
the resident memory of gunicorn and every process under it each 5 ms, upload
through the API, time the answer, then poll until the text is read.
Targets: request < 0.5 s; worst growth of any process < 100 MB (an
extraction child counts from zero: its whole peak).

Run: .venv/bin/python bench/upload_bomb.py [--json PATH]
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import run  # bench/ is on sys.path when this runs as a script
from _common import HOST, REPO, free_port, git_commit

sys.path.insert(0, str(REPO))
from tests.resources.samples import docx_bomb_bytes, docx_bytes, pdf_bomb_bytes  # noqa: E402

REQUEST_TARGET_S = 0.5
GROWTH_TARGET_MB = 100
USERNAME, PASSWORD = "bench_bomb", "a-long-bench-password"
FILES = [
    # name, file name, bytes, what it tests
    ("docx, 187 MB of words", "bomb.docx", lambda: docx_bomb_bytes(187), "the review's file: the text budget"),
    ("docx, 187 MB of empty runs", "runs.docx", lambda: docx_bomb_bytes(187, words=False),
     "nothing to read: the decompressed-bytes budget"),
    ("pdf, 95,000 words on a page", "dense.pdf", lambda: pdf_bomb_bytes(95_000),
     "within pypdf's parsing budget: read under the memory ceiling"),
    ("pdf, 300,000 words on a page", "denser.pdf", lambda: pdf_bomb_bytes(300_000),
     "past the parsing budget: stopped, marked too_large"),
]


class MemorySampler(threading.Thread):
    """Resident memory of a process and all its descendants, every 5 ms."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.known = set(self._tree())
        self.first: dict[int, float] = {}
        self.peak: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for pid in self._tree():
                label = self._label(pid)
                if pid not in self.known and label != "extraction child":
                    # Forked but not yet exec'd: it still shares the worker's pages, and
                    # its VmHWM is the worker's. It is measured once it is the child.
                    continue
                # A process born during the run: its peak so far (VmHWM), so nothing between
                # samples is missed. One that was there: its resident memory now (its VmHWM
                # may be a peak from before the run).
                rss = _status_mb(pid, "VmRSS" if pid in self.known else "VmHWM")
                if rss is None:
                    continue
                self.first.setdefault(pid, rss)
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss)
                self.names.setdefault(pid, label)
            time.sleep(0.005)

    def _tree(self) -> list[int]:
        found, todo = [], [self.root_pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            # Each thread lists the children it started (the text worker's are not the main thread's).
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo.extend(int(child) for child in children.read_text().split())
                except OSError:
                    continue
        return found

    def _label(self, pid: int) -> str:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return str(pid)
        if b"text_extract.py" in command:
            return "extraction child"
        return "gunicorn master" if pid == self.root_pid else "gunicorn worker"

    def growth(self) -> list[tuple[str, float]]:
        """(process, MB gained) for each process; new ones count from zero."""
        rows = []
        for pid, peak in self.peak.items():
            start = self.first[pid] if pid in self.known else 0.0
            rows.append((self.names.get(pid, str(pid)), peak - start))
        return sorted(rows, key=lambda row: -row[1])


def _status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def api(port: int, method: str, path: str, token: str | None = None, body: bytes | None = None,
        content_type: str = "application/json") -> tuple[int, dict]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        conn.request(method, f"/api/v1{path}", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def create_member(env: dict) -> None:
    script = (
        "from app import create_app; from app.accounts import services as a; app = create_app()\n"
        "with app.app_context():\n"
        f"    a.register(email_verified=True, username={USERNAME!r}, email='bomb@bench.example', "
        f"password={PASSWORD!r}, "
        "display_name='Bench', country='GB')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode:
        raise run.BenchError(f"could not create the member:\n{done.stderr[-2000:]}")


def measure(port: int, token: str, gunicorn_pid: int, name: str, file_name: str, data: bytes) -> dict:
    sampler = MemorySampler(gunicorn_pid)
    sampler.start()
    time.sleep(0.3)  # a first sample of every process
    body, content_type = multipart({"title": name, "subject": "science", "license": "cc-by"}, file_name, data)
    started = time.perf_counter()
    status, created = api(port, "POST", "/resources", token, body, content_type)
    request_s = time.perf_counter() - started
    if status != 201:
        raise run.BenchError(f"upload of {file_name} answered {status}: {created}")
    text_status = created["text_status"]
    while text_status == "pending" and time.perf_counter() - started < 300:
        time.sleep(0.05)
        text_status = api(port, "GET", f"/resources/{created['id']}", token)[1]["text_status"]
    ready_s = time.perf_counter() - started
    time.sleep(0.2)
    sampler.stopped.set()
    sampler.join()
    growth = sampler.growth()
    return {"file": name, "bytes": len(data), "request_s": round(request_s, 3),
            "status_at_answer": created["text_status"], "ready_s": round(ready_s, 2), "text_status": text_status,
            "worst_growth_mb": round(growth[0][1], 1), "worst_process": growth[0][0],
            "growth_mb": {process: round(mb, 1) for process, mb in growth}}


def print_table(rows: list[dict]) -> None:
    print(f"\n{'file':<32} {'size KB':>8} {'request s':>10} {'ready s':>8} {'result':>10} "
          f"{'worst growth MB':>16}  process")
    for row in rows:
        print(f"{row['file']:<32} {row['bytes'] / 1024:>8.0f} {row['request_s']:>10.3f} {row['ready_s']:>8.2f} "
              f"{row['text_status']:>10} {row['worst_growth_mb']:>16.1f}  {row['worst_process']}")
    worst_request = max(row["request_s"] for row in rows)
    worst_growth = max(row["worst_growth_mb"] for row in rows)
    print(f"\nslowest request {worst_request:.3f} s (target < {REQUEST_TARGET_S}); "
          f"worst growth {worst_growth:.1f} MB (target < {GROWTH_TARGET_MB})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "upload_bomb.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="staffroom-bomb-") as folder:
        tmp = Path(folder)
        env = run.site_env(tmp)
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=REPO, env=env, check=True,
                       capture_output=True)
        create_member(env)
        port = free_port()
        with run.server(env, port, tmp / "gunicorn.log") as proc:
            token = api(port, "POST", "/tokens", body=json.dumps({"login": USERNAME, "password": PASSWORD})
                        .encode())[1]["token"]
            # Warm up: the first upload, read and search load code and open the index.
            measure(port, token, proc.pid, "warm-up", "warm.docx", docx_bytes("Warm up the worker"))
            api(port, "GET", "/search?q=warm", token)
            rows = [measure(port, token, proc.pid, name, file_name, make())
                    for name, file_name, make, _ in FILES]
    print_table(rows)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": git_commit(),
        "machine": platform.platform(), "targets": {"request_s": REQUEST_TARGET_S, "growth_mb": GROWTH_TARGET_MB},
        "results": rows}, indent=2))
    print(f"wrote {args.json}")
    ok = all(row["request_s"] < REQUEST_TARGET_S and row["worst_growth_mb"] < GROWTH_TARGET_MB for row in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
