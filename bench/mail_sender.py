"""The mail sender loop: mails sent per second, and what a burst costs.

One run: a fresh SQLite site in a temp folder, aiosmtpd on a free loopback
port (the tests' SmtpServer), N mails queued through `outbox.queue`, then
the sender drains them, first with one SMTP connection per batch of 50 (as
deployed), then with one connection per mail, for comparison. Then a burst:
50 members each get 10 reply notifications from one thread; one round of
the loop (past the delay) must send each member one mail.

Run: .venv/bin/python bench/mail_sender.py [--mails 500] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import REPO, git_commit

sys.path.insert(0, str(REPO))
from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.db_types import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from app.mail import outbox, sender  # noqa: E402
from app.notifications import services as notifications  # noqa: E402
from tests.mailbox import SmtpServer  # noqa: E402


def make_app(folder: Path, server: SmtpServer):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "INSTANCE_PATH": folder,
                      "SECRET_KEY": "bench-" + "x" * 40, "MAIL_WORKER": "off", "SEARCH_WORKER": "off",
                      "UPLOAD_DIR": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "index"),
                      **server.settings()})
    with app.app_context():
        db.create_all()
    return app


def members(count: int, prefix: str) -> list[User]:
    users = [User(username=f"{prefix}{n}", email=f"{prefix}{n}@school.example", password_hash="x",
                  display_name=f"Member {n}") for n in range(count)]
    db.session.add_all(users)
    db.session.commit()
    return users


def send_rate(server: SmtpServer, users: list[User], count: int, batch: int) -> dict:
    for n in range(count):
        outbox.queue(users[n % len(users)], "notifications", f"Bench mail {n}",
                     {"items": [{"text": "Pizza fractions", "link": outbox.absolute_url("people.home")}], "more": 0})
    db.session.commit()
    server.clear()
    sender.BATCH, before = batch, sender.BATCH
    try:
        started = time.perf_counter()
        sent = sender.drain()
        seconds = time.perf_counter() - started
    finally:
        sender.BATCH = before
    assert sent == count and len(server.wait_for(count)) == count, (sent, len(server.mails))
    return {"mails": count, "mails_per_connection": batch, "seconds": round(seconds, 3),
            "mails_per_second": round(count / seconds, 1)}


def burst(server: SmtpServer, users: list[User], replies: int) -> dict:
    server.clear()
    for n in range(replies):
        for user in users:
            notifications.notify(user, "forum.watching", "Gary replied in “Fractions with pizza”", f"/p/{n + 1}",
                                 dedupe_key=f"bench-post:{n}")
        db.session.commit()
    started = time.perf_counter()
    sent = sender.tick(utcnow() + timedelta(minutes=5))
    seconds = time.perf_counter() - started
    per_member = Counter(address for mail in server.wait_for(sent) for address in mail.rcpt_tos)
    return {"members": len(users), "notifications_each": replies, "mails": sent,
            "mails_per_member": sorted(set(per_member.values())), "seconds": round(seconds, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "mail_sender.json")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    server = SmtpServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="staffroom-mail-bench-") as folder:
            app = make_app(Path(folder), server)
            with app.app_context():
                users = members(100, "reader")
                rates = [send_rate(server, users, args.mails, 50),
                         send_rate(server, users, min(args.mails, 200), 1)]
                burst_result = burst(server, members(50, "watcher"), 10)
    finally:
        server.stop()
    print(f"{'SMTP connections':<28} {'mails':>6} {'seconds':>8} {'mails/s':>8}")
    for row in rates:
        label = "one per 50 mails" if row["mails_per_connection"] == 50 else "one per mail"
        print(f"{label:<28} {row['mails']:>6} {row['seconds']:>8} {row['mails_per_second']:>8}")
    print(f"\nburst: {burst_result['members']} members x {burst_result['notifications_each']} notifications"
          f" -> {burst_result['mails']} mails, mails per member {burst_result['mails_per_member']},"
          f" {burst_result['seconds']} s")
    result = {"bench": "mail_sender", "commit": git_commit(), "python": platform.python_version(),
              "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "rates": rates, "burst": burst_result}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")


if __name__ == "__main__":
    main()
