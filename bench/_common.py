"""What the bench scripts share: the commit a result belongs to, and a free
loopback port. (Imported as `_common`: the scripts run as scripts, so bench/
is on sys.path.)"""

from __future__ import annotations

import socket
import subprocess
from contextlib import suppress
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
