"""What the bench scripts share: the commit and machine a result belongs to,
writing it, and a free loopback port. (Imported as `_common`: the scripts run as scripts, so bench/
is on sys.path.)"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def git_commit(repo: Path = REPO) -> str | None:
    """The checked-out commit (with -dirty when files differ), for the results file."""
    with suppress(OSError):
        return subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"],
                              cwd=repo, capture_output=True, text=True).stdout.strip() or None
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def where_and_when(repo: Path = REPO) -> dict:
    """What a results file says of the run: machine, Python, cores, load
    average now (other work on the box skews the figures), commit and time."""
    return {"machine": platform.platform(), "python": platform.python_version(), "cpu_count": os.cpu_count(),
            "load_average_after": [round(x, 2) for x in os.getloadavg()], "git_commit": git_commit(repo),
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def write_report(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {path}")
