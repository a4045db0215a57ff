"""`flask doctor`: check the configuration and say what to fix.

Each check prints OK, WARN or FAIL with a one-line fix. FAIL means the site
is unsafe or will not work as configured (a guessable SECRET_KEY, the
debugger on in production, a folder it cannot write, a database it cannot
reach or that is behind the code); WARN means probably wrong, worth a look.
The command exits with 1 when anything FAILs, so a deploy script can stop.
"""

from __future__ import annotations

import logging
import math
import os
import smtplib
import tempfile
from collections import Counter
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import click
import redis
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import config as settings
from app.extensions import db
from app.mail import sender

OK, WARN, FAIL = "OK", "WARN", "FAIL"
ENVIRONMENTS = {"production", "development"}
# Values people copy from tutorials and .env examples.
KNOWN_WEAK_KEYS = {"dev", "development", "secret", "secret-key", "secret_key", "secretkey", "test",
                   "testing", "test-secret-key", "default", "password", "flask", "staffroom", "key"}
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "change-this", "changethis", "replace-me",
                     "your-secret", "your_secret", "example", "placeholder")
MIN_KEY_LENGTH = 32
MIN_KEY_BITS = 100  # a random 32-character hex key estimates at ~115
NEW_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@dataclass
class Finding:
    level: str
    name: str
    message: str
    fix: str = ""


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _in_production(app: Flask) -> bool:
    return app.config.get("STAFFROOM_ENV") != "development"


def _first_line(error: BaseException) -> str:
    error = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def check_environment(app: Flask) -> list[Finding]:
    environment = app.config.get("STAFFROOM_ENV")
    findings = []
    if environment not in ENVIRONMENTS:
        findings.append(Finding(FAIL, "environment", f"STAFFROOM_ENV is {environment!r}",
                                "set STAFFROOM_ENV to production or development"))
    else:
        findings.append(Finding(OK, "environment", environment))
    if app.config.get("LOG_FORMAT") not in {"json", "text"}:
        findings.append(Finding(WARN, "logs", f"LOG_FORMAT {app.config.get('LOG_FORMAT')!r} is unknown: text is used",
                                "set LOG_FORMAT to json or text"))
    return findings


def key_problem(key: str | None) -> str | None:
    """Why `key` is weak, or None. Estimates randomness from its characters."""
    if not key:
        return "SECRET_KEY is empty"
    lowered = key.lower()
    if lowered in KNOWN_WEAK_KEYS or any(word in lowered for word in PLACEHOLDER_WORDS):
        return "SECRET_KEY is a well-known default or placeholder"
    if len(key) < MIN_KEY_LENGTH:
        return f"SECRET_KEY is only {len(key)} characters long"
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    if per_char * len(key) < MIN_KEY_BITS:
        return f"SECRET_KEY looks guessable (about {per_char * len(key):.0f} bits of randomness)"
    return None


def check_secret_key(app: Flask) -> list[Finding]:
    problem = key_problem(app.config.get("SECRET_KEY"))
    if problem:
        return [Finding(FAIL, "secret key", f"{problem}: sessions and CSRF tokens can be forged",
                        f"set SECRET_KEY to a random value, e.g. from: {NEW_KEY}")]
    message = "strong"
    key_file = Path(app.instance_path) / "secret_key"
    if not os.environ.get("SECRET_KEY") and key_file.exists():
        message += f", generated into {key_file} (set SECRET_KEY instead if several machines serve the site)"
    return [Finding(OK, "secret key", message)]


def check_debug(app: Flask) -> list[Finding]:
    debug = app.debug or _truthy(os.environ.get("FLASK_DEBUG"))
    if not debug:
        return [Finding(OK, "debug", "off")]
    if _in_production(app):
        return [Finding(FAIL, "debug", "debug mode is on in production: the debugger runs any code its visitor types",
                        "unset FLASK_DEBUG and drop --debug "
                        "(or set STAFFROOM_ENV=development on a development machine)")]
    return [Finding(OK, "debug", "on (development)")]


def _folder_problem(path: Path) -> str | None:
    if not path.exists():
        return "does not exist"
    if not path.is_dir():
        return "is not a folder"
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as error:
        return f"is not writable ({type(error).__name__})"
    return None


def check_folders(app: Flask) -> list[Finding]:
    folders = {
        "instance folder": Path(app.instance_path),
        "UPLOAD_DIR": Path(app.config["UPLOAD_DIR"]),
        "SEARCH_INDEX_DIR": Path(app.config["SEARCH_INDEX_DIR"]),
    }
    findings = []
    for name, path in folders.items():
        problem = _folder_problem(path)
        if problem is None:
            findings.append(Finding(OK, name, str(path)))
        elif problem == "does not exist" and name == "SEARCH_INDEX_DIR" and _folder_problem(path.parent) is None:
            # The index is a cache: it is made, and filled from the database, on first use.
            findings.append(Finding(WARN, name, f"{path} does not exist yet; it is made on first use",
                                    "run `flask search reindex` to build it now"))
        elif problem == "does not exist":
            findings.append(Finding(FAIL, name, f"{path} does not exist",
                                    f"create it (mkdir -p {path}) or point {name.split()[0]} elsewhere"))
        else:
            findings.append(Finding(FAIL, name, f"{path} {problem}",
                                    f"make {path} a folder the user running Staffroom can write to (chown/chmod)"))
    return findings


def _migration_finding(connection, tables: set[str]) -> Finding:
    migrate = current_app.extensions["migrate"]
    directory = Path(migrate.directory)
    if not directory.is_absolute():
        directory = settings.ROOT / directory  # the same history whatever folder doctor runs from
    script = ScriptDirectory.from_config(migrate.migrate.get_config(str(directory)))
    heads = set(script.get_heads())
    alembic_log = logging.getLogger("alembic.runtime.migration")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)  # its INFO lines about the dialect are noise here
    try:
        current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        alembic_log.setLevel(level)
    if current == heads:
        return Finding(OK, "migrations", f"at head ({', '.join(sorted(heads))})")
    if not current:
        if "users" in tables:
            return Finding(WARN, "migrations", "the tables exist but Alembic has no record of them",
                           "if the schema matches this code run `flask db stamp head`, else migrate a fresh database")
        return Finding(FAIL, "migrations", "the database is empty", "run `flask db upgrade`")
    unknown = ", ".join(sorted(revision for revision in current if not _known(script, revision)))
    if unknown:
        return Finding(FAIL, "migrations", f"the database is at {unknown}, which this code does not know",
                       "deploy the code that matches the database (newer code migrated it)")
    return Finding(FAIL, "migrations",
                   f"the database is at {', '.join(sorted(current))}, the code at {', '.join(sorted(heads))}",
                   "run `flask db upgrade`")


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # noqa: BLE001 (alembic raises several kinds for an unknown id)
        return False


def check_database(app: Flask) -> list[Finding]:
    url = db.engine.url.render_as_string(hide_password=True)
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            tables = set(sa.inspect(connection).get_table_names())
            migrations = _migration_finding(connection, tables)
    except Exception as error:  # noqa: BLE001 (a check reports whatever fails)
        return [Finding(FAIL, "database", f"cannot use {url}: {_first_line(error)}",
                        "check DATABASE_URL, that the server runs and that this user may connect")]
    return [Finding(OK, "database", url), migrations]


def check_processes(app: Flask) -> list[Finding]:
    """SQLite suits one process; settings that only make sense with several hint at trouble."""
    if db.engine.url.get_backend_name() != "sqlite":
        return []
    several = [name for name, on in (("REDIS_URL is set", app.config.get("REDIS_URL")),
                                     ("SEARCH_WORKER=off", app.config.get("SEARCH_WORKER") == "off"),
                                     ("EVENT_SCHEDULER=off", app.config.get("EVENT_SCHEDULER") == "off")) if on]
    if several:
        return [Finding(WARN, "processes", f"SQLite with several processes ({', '.join(several)}): "
                        "writers wait on one file lock, and other machines cannot share the file",
                        "use PostgreSQL: DATABASE_URL=postgresql://user@host/staffroom")]
    return [Finding(OK, "processes", "SQLite: fine for one process; use PostgreSQL before running several")]


def check_search_writer(app: Flask) -> list[Finding]:
    """The index has one writer: this process's thread, or `flask search worker`."""
    thread, read_only = app.config.get("SEARCH_WORKER") == "thread", app.config.get("SEARCH_INDEX_READ_ONLY")
    if thread and read_only:
        return [Finding(WARN, "search writer", "SEARCH_INDEX_READ_ONLY is set but SEARCH_WORKER=thread: "
                        "this process's index thread writes the index anyway",
                        "set SEARCH_WORKER=off here and run `flask search worker` once")]
    if not thread and not read_only:
        return [Finding(WARN, "search writer", "SEARCH_WORKER=off without SEARCH_INDEX_READ_ONLY: a web process "
                        "that cannot read the index for a moment (the worker committing) replaces it",
                        "set SEARCH_INDEX_READ_ONLY=1 on the web processes")]
    if thread:
        return [Finding(OK, "search writer", "this process's index thread")]
    return [Finding(OK, "search writer", "`flask search worker`; this process only reads the index")]


def check_redis(app: Flask) -> list[Finding]:
    url = app.config.get("REDIS_URL")
    if not url:
        return [Finding(OK, "redis", "not configured (one process: rooms and rate limits kept in memory)")]
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except Exception as error:  # noqa: BLE001 (a check reports whatever fails)
        return [Finding(FAIL, "redis", f"cannot reach REDIS_URL: {_first_line(error)}",
                        "start Redis, or fix or unset REDIS_URL")]
    finally:
        client.close()
    return [Finding(OK, "redis", "answers")]


def check_mail(app: Flask) -> list[Finding]:
    config = app.config
    findings = []
    if "@" not in parseaddr(config.get("MAIL_FROM") or "")[1]:
        findings.append(Finding(FAIL, "mail", f"MAIL_FROM {config.get('MAIL_FROM')!r} has no email address",
                                'set MAIL_FROM, e.g. "Staffroom <no-reply@your.domain>"'))
    if not config.get("MAIL_SERVER"):
        if config.get("MAIL_USERNAME") or config.get("MAIL_PASSWORD"):
            findings.append(Finding(WARN, "mail", "MAIL_USERNAME or MAIL_PASSWORD is set but MAIL_SERVER is not",
                                    "set MAIL_SERVER, or unset the others"))
        if _in_production(app):
            # Verification links, password resets and notification mail would
            # only ever reach instance/mail/: new members could never confirm.
            findings.append(Finding(FAIL, "mail", "MAIL_SERVER is unset: mail is only written to instance/mail/, "
                                    "so nobody can confirm an address or reset a password",
                                    "set MAIL_SERVER (with MAIL_PORT, MAIL_USE_TLS=1 and MAIL_USERNAME/MAIL_PASSWORD "
                                    "as your provider asks)"))
        return findings or [Finding(OK, "mail", "off: mail is written to instance/mail/*.eml (MAIL_SERVER unset)")]
    if bool(config.get("MAIL_USERNAME")) != bool(config.get("MAIL_PASSWORD")):
        findings.append(Finding(FAIL, "mail", "only one of MAIL_USERNAME and MAIL_PASSWORD is set: sign-in fails",
                                "set both, or neither for a server that needs no sign-in"))
    if config.get("MAIL_PORT") == 465:
        findings.append(Finding(WARN, "mail", "MAIL_PORT 465 wants TLS from the first byte; Staffroom speaks STARTTLS",
                                "use port 587 with MAIL_USE_TLS=1 (STARTTLS)"))
    elif config.get("MAIL_USERNAME") and not config.get("MAIL_USE_TLS"):
        findings.append(Finding(WARN, "mail", "the mail password would cross the network unencrypted",
                                "set MAIL_USE_TLS=1 (usually with MAIL_PORT=587)"))
    if any(finding.level == FAIL for finding in findings):
        return findings  # the connection would fail for the reason already given
    return findings + [_smtp_connection(config)]


def _smtp_connection(config) -> Finding:
    """Connect as the mail sender does (EHLO, STARTTLS, sign-in), briefly."""
    address = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    steps = ["EHLO"] + (["STARTTLS"] if config.get("MAIL_USE_TLS") else []) + \
        (["signed in"] if config.get("MAIL_USERNAME") else [])
    try:
        sender.connect(config, timeout=5).quit()
    except smtplib.SMTPAuthenticationError as error:
        return Finding(FAIL, "mail", f"{address} refused MAIL_USERNAME/MAIL_PASSWORD: {_first_line(error)}",
                       "check MAIL_USERNAME and MAIL_PASSWORD with your mail provider")
    except smtplib.SMTPNotSupportedError as error:
        return Finding(FAIL, "mail", f"{address}: {_first_line(error)}",
                       "unset MAIL_USE_TLS for a server without STARTTLS, or use the provider's submission port 587")
    except (OSError, smtplib.SMTPException) as error:
        return Finding(FAIL, "mail", f"cannot talk to {address}: {_first_line(error)}",
                       "check MAIL_SERVER and MAIL_PORT, and that this machine may reach it (firewall); "
                       "mail waits in the outbox meanwhile")
    return Finding(OK, "mail", f"{address} answers ({', '.join(steps)})")


def check_site(app: Flask) -> list[Finding]:
    site = urlsplit(app.config.get("SITE_URL") or "")
    if not _in_production(app):
        return [Finding(OK, "site", f"{site.geturl() or 'SITE_URL unset: links follow each request'} (development)")]
    if not app.config.get("SITE_URL"):
        return [Finding(WARN, "site", "SITE_URL is not set: pages and calendars link to the address each request "
                        "came to, but links in mail lead to this machine",
                        "set SITE_URL=https://your.domain")]
    if site.hostname in LOCAL_HOSTS or not site.hostname:
        return [Finding(FAIL, "site", f"SITE_URL {site.geturl()!r} is not a public address: email links lead nowhere",
                        "set SITE_URL=https://your.domain (or STAFFROOM_ENV=development on a development machine)")]
    findings = []
    if site.scheme != "https":
        findings.append(Finding(WARN, "site", f"SITE_URL {site.geturl()} is not https",
                                "serve the site over HTTPS and set SITE_URL=https://..."))
    return findings or [Finding(OK, "site", site.geturl())]


def check_cookies(app: Flask) -> list[Finding]:
    """Both the session and the remember cookie sign a member in: over plain
    HTTP anyone on the school's network could copy one and be them."""
    if not _in_production(app):
        return [Finding(OK, "cookies", "Secure flag not required (development)")]
    findings = []
    if not app.config.get("SESSION_COOKIE_SECURE"):
        findings.append(Finding(FAIL, "cookies", "the session cookie may travel over plain HTTP",
                                "serve the site over HTTPS and set SESSION_COOKIE_SECURE=1"))
    if not app.config.get("REMEMBER_COOKIE_SECURE"):
        findings.append(Finding(FAIL, "cookies", "the remember-me cookie may travel over plain HTTP",
                                "set SESSION_COOKIE_SECURE=1 (the remember cookie follows it) "
                                "and unset any REMEMBER_COOKIE_SECURE=0"))
    return findings or [Finding(OK, "cookies", "session and remember-me cookies are Secure")]


CHECKS = [check_environment, check_secret_key, check_debug, check_folders, check_database,
          check_processes, check_search_writer, check_redis, check_mail, check_site, check_cookies]


def diagnose(app: Flask) -> list[Finding]:
    findings = []
    for check in CHECKS:
        try:
            findings.extend(check(app))
        except Exception as error:  # noqa: BLE001 (one broken check must not hide the others)
            name = check.__name__.removeprefix("check_")
            findings.append(Finding(FAIL, name, f"the check crashed: {_first_line(error)}"))
    return findings


COLOURS = {OK: "green", WARN: "yellow", FAIL: "red"}


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check the configuration and say what to fix (exit 1 on any FAIL)."""
    findings = diagnose(current_app._get_current_object())
    for finding in findings:
        level = click.style(f"{finding.level:<4}", fg=COLOURS[finding.level], bold=finding.level != OK)
        click.echo(f"{level} {finding.name:<16} {finding.message}")
        if finding.fix and finding.level != OK:
            click.echo(f"     {'':<16} fix: {finding.fix}")
    counts = Counter(finding.level for finding in findings)
    click.echo(f"\n{counts[FAIL]} failed, {counts[WARN]} warnings, {counts[OK]} ok.")
    if counts[FAIL]:
        click.get_current_context().exit(1)
