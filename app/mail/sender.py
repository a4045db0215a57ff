"""Sending what is in the outbox: over SMTP, or into instance/mail/*.eml
when MAIL_SERVER is unset (a laptop: the log line gives the link to follow).

Rows are claimed before they are sent (attempts + 1 and a lease, by a
conditional UPDATE), so two senders never send one mail and a sender that
dies mid-batch leaves mail that is retried when the lease runs out. A
server that is down or answers 4xx puts the batch back with exponential
backoff; a 5xx for a mail, or MAX_ATTEMPTS failures, marks it failed with
the server's words. `sent_at` is written once the server has accepted the
mail: a crash between the two is the one window that can send a mail twice.

Mail sits below the features and imports none of them; two of them plug in
as each app is built: notifications adds a job to the start of every round
(batching notifications into mail), and accounts says which members can no
longer be mailed (checked again at send time).
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select, update

from app import background
from app.db_types import utcnow
from app.extensions import db
from app.mail import outbox
from app.mail.models import DROPPED, FAILED, QUEUED, SENT, MailOutbox

log = logging.getLogger(__name__)
WORKER = outbox.WORKER
BATCH = 50  # mails sent over one SMTP connection
MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)
FIRST_RETRY, LAST_RETRY = 30, 3600  # seconds: 30 s, 1 min, 2 min ... capped at an hour
_LINK = re.compile(r"https?://\S+")
ROUND_JOBS = "mail_round_jobs"  # app.extensions key: [job(now)] run before each round sends
RECIPIENT_CHECK = "mail_recipient_check"  # app.extensions key: user ids -> those no longer to be mailed


def add_round_job(app: Flask, job: Callable[[datetime | None], object]) -> None:
    """Run `job(now)` at the start of every round of the sender loop."""
    app.extensions.setdefault(ROUND_JOBS, []).append(job)


def check_recipients_with(app: Flask, undeliverable: Callable[[set[int]], Iterable[int]]) -> None:
    """`undeliverable(user_ids)` names the members among them who may no
    longer be mailed (suspended or deleted since their mail was queued)."""
    app.extensions[RECIPIENT_CHECK] = undeliverable


class TemporaryFailure(Exception):
    """The server is away or said "try later": the whole batch waits."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY))


def build_message(row: MailOutbox) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    for name, value in json.loads(row.headers or "{}").items():
        message[name] = value
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


# Transports ---------------------------------------------------------------------

class SmtpTransport:
    """One connection for a batch: EHLO, STARTTLS and sign-in once, not per mail."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        config = self.config
        try:
            self.smtp = connect(config)
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"cannot reach {config['MAIL_SERVER']}:{config['MAIL_PORT']}: {error}") from error
        return self

    def send(self, message: EmailMessage, row: MailOutbox) -> None:
        sender = parseaddr(self.config["MAIL_FROM"])[1]
        self.smtp.send_message(message, from_addr=sender, to_addrs=[row.to_address])

    def __exit__(self, *exc) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()


def connect(config, timeout: float | None = None) -> smtplib.SMTP:
    """An SMTP session ready to send (also used by `flask doctor`)."""
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                        timeout=timeout or config.get("MAIL_TIMEOUT_SECONDS", 10))
    try:
        smtp.ehlo()
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
            smtp.ehlo()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


class FileTransport:
    """No MAIL_SERVER: each mail becomes instance/mail/<time>-<id>.eml, and
    the log says where it went and its first link (a reset link, say)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def send(self, message: EmailMessage, row: MailOutbox) -> None:
        path = self.folder / f"{row.created_at:%Y%m%d-%H%M%S}-{row.id}.eml"
        path.write_bytes(message.as_bytes())
        link = _LINK.search(row.text_body)
        log.info("mail to %s: %s %s", row.to_address, row.subject, link.group(0) if link else "(no link)")

    def __exit__(self, *exc) -> None:
        pass


def transport():
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return FileTransport(Path(current_app.instance_path) / "mail")


# Draining -----------------------------------------------------------------------

def _claim(now: datetime, size: int) -> list[int]:
    due = db.session.execute(select(MailOutbox.id, MailOutbox.attempts).where(
        MailOutbox.status == QUEUED, MailOutbox.next_attempt_at <= now)
        .order_by(MailOutbox.next_attempt_at, MailOutbox.id).limit(size)).all()
    claimed = []
    for row_id, attempts in due:
        # Matches only if no other sender claimed it since we read it.
        won = db.session.execute(update(MailOutbox).where(
            MailOutbox.id == row_id, MailOutbox.attempts == attempts, MailOutbox.status == QUEUED)
            .values(attempts=attempts + 1, next_attempt_at=now + LEASE)).rowcount
        if won:
            claimed.append(row_id)
    db.session.commit()
    return claimed


def drain(now: datetime | None = None, limit: int | None = None) -> int:
    """Send every mail that is due; returns how many were sent."""
    sent = 0
    while limit is None or sent < limit:
        ids = _claim(now or utcnow(), BATCH if limit is None else min(BATCH, limit - sent))
        if not ids:
            return sent
        rows = list(db.session.scalars(select(MailOutbox).where(MailOutbox.id.in_(ids)).order_by(MailOutbox.id)))
        done = _send_batch(rows, now)
        sent += done
        if done < len(rows) and any(row.status == QUEUED for row in rows):
            return sent  # the server is away: the backoff says when to try again
    return sent


def _send_batch(rows: list[MailOutbox], now: datetime | None) -> int:
    blocked = _undeliverable({row.to_user_id for row in rows if row.to_user_id is not None})
    sent = 0
    try:
        with transport() as channel:
            for row in rows:
                if row.to_user_id in blocked:
                    _finish(row, DROPPED, "the account was suspended or deleted before sending")
                    continue
                try:
                    channel.send(build_message(row), row)
                except smtplib.SMTPResponseException as error:
                    if error.smtp_code < 500:
                        raise TemporaryFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
                    _finish(row, FAILED, f"{error.smtp_code} {_text(error.smtp_error)}")
                    continue
                except smtplib.SMTPRecipientsRefused as error:
                    _finish(row, FAILED, f"refused: {error.recipients}")
                    continue
                except (OSError, smtplib.SMTPException) as error:
                    raise TemporaryFailure(str(error)) from error
                _finish(row, SENT)
                sent += 1
    except TemporaryFailure as error:
        _retry_later([row for row in rows if row.status == QUEUED], str(error), now)
    return sent


def _undeliverable(user_ids: set[int]) -> set[int]:
    """Checked again at send time: an account suspended after the mail was queued gets nothing."""
    check = current_app.extensions.get(RECIPIENT_CHECK)
    if not user_ids or check is None:
        return set()
    return set(check(user_ids))


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _finish(row: MailOutbox, status: str, error: str | None = None) -> None:
    row.status = status
    row.last_error = error[:500] if error else None
    if status == SENT:
        row.sent_at = utcnow()
    else:
        log.warning("mail %s to %s %s: %s", row.id, row.to_address, status, error)
    db.session.commit()


def _retry_later(rows: list[MailOutbox], error: str, now: datetime | None) -> None:
    log.warning("mail server unavailable, %d mail(s) wait: %s", len(rows), error)
    for row in rows:
        row.last_error = error[:500]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = FAILED
        else:
            row.next_attempt_at = (now or utcnow()) + backoff(row.attempts)
    db.session.commit()


def status() -> dict[str, int]:
    counts = dict(db.session.execute(select(MailOutbox.status, func.count()).group_by(MailOutbox.status)).all())
    return {name: counts.get(name, 0) for name in (QUEUED, SENT, FAILED, DROPPED)}


# The worker -----------------------------------------------------------------------

def tick(now: datetime | None = None) -> int:
    """One round of the sender loop: the features' round jobs (batching
    notifications into mails), then send."""
    for job in current_app.extensions.get(ROUND_JOBS, ()):
        job(now)
    return drain(now)


def _make(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.OutboxWorker(app, WORKER, tick, poll_seconds=poll_seconds or app.config["MAIL_POLL_SECONDS"])


def start_worker(app: Flask, poll_seconds: float | None = None) -> background.OutboxWorker:
    return background.start_worker(app, WORKER, lambda: _make(app, poll_seconds))


def register(app: Flask) -> None:
    """The sender is a thread of the web process (MAIL_WORKER=thread), or
    `flask mail worker`. Claims make several senders safe, so every
    process may keep its thread."""
    if app.config["MAIL_WORKER"] == "thread":
        background.start_with_first_request(app, WORKER, lambda: _make(app))
