"""`flask doctor`: what it passes, what it fails, and the fix it prints."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from app.ops.doctor import key_problem
from tests.mailbox import SmtpServer
from tests.ops.conftest import CLOSED_PORT, STRONG_KEY

PRODUCTION_READY = {"SECRET_KEY": STRONG_KEY, "STAFFROOM_ENV": "production",
                    "SITE_URL": "https://staffroom.example", "SESSION_COOKIE_SECURE": True}


@pytest.fixture
def app_settings():
    return PRODUCTION_READY


def doctor(runner) -> tuple[int, str]:
    result = runner.invoke(args=["doctor"])
    return result.exit_code, result.output


def lines_of(output: str, level: str, name: str) -> list[str]:
    """The lines of one finding, with the fix line that follows it."""
    lines = output.splitlines()
    return [f"{line}\n{lines[i + 1] if i + 1 < len(lines) else ''}" for i, line in enumerate(lines)
            if line.startswith(f"{level:<4} {name}")]


@pytest.fixture
def mail_server():
    """An SMTP server of this test's own (`smtp_server` configures the `app` fixture)."""
    server = SmtpServer().start()
    yield server
    server.stop()


def test_a_good_configuration_passes(make_app, tmp_path, mail_server):
    # One process with its own threads: what SQLite suits (no CLI command starts them).
    app = make_app(**PRODUCTION_READY, **mail_server.settings(), SEARCH_WORKER="thread", EVENT_SCHEDULER="thread")
    (tmp_path / "search_index").mkdir()
    with app.app_context():
        upgrade()
    code, output = doctor(app.test_cli_runner())
    assert code == 0, output
    assert "FAIL" not in output and "WARN" not in output
    assert lines_of(output, "OK", "migrations") and lines_of(output, "OK", "secret key")
    assert "0 failed, 0 warnings" in output


def test_weak_secret_keys_fail_with_the_fix(app, runner):
    for weak in ["dev", "test-secret-key", "short-but-random-9Xq", "a" * 64, "abcdabcd" * 6,
                 "please-changeme-before-going-live-0123456789"]:
        app.config["SECRET_KEY"] = weak
        code, output = doctor(runner)
        assert code == 1, weak
        [finding] = lines_of(output, "FAIL", "secret key")
        assert "fix: set SECRET_KEY to a random value" in finding and "secrets.token_urlsafe" in finding


def test_random_keys_are_strong():
    assert key_problem("9f86d081884c7d659a2feaa0c55ad015") is None  # 32 hex characters, as token_hex(16)
    assert key_problem(STRONG_KEY) is None


def test_debug_in_production_fails(app, runner):
    app.config["DEBUG"] = True
    code, output = doctor(runner)
    assert code == 1
    [finding] = lines_of(output, "FAIL", "debug")
    assert "debug mode is on in production" in finding and "fix: unset FLASK_DEBUG" in finding
    app.config["STAFFROOM_ENV"] = "development"
    assert lines_of(doctor(runner)[1], "OK", "debug")


def test_a_missing_upload_folder_fails(app, runner, tmp_path):
    (tmp_path / "uploads").rmdir()
    code, output = doctor(runner)
    assert code == 1
    [finding] = lines_of(output, "FAIL", "UPLOAD_DIR")
    assert "does not exist" in finding and f"fix: create it (mkdir -p {tmp_path / 'uploads'})" in finding


def test_a_database_made_without_migrations_is_a_warning(app, runner, smtp_server):
    """The test databases are made by create_all: doctor says how to record them
    (and warns only: with a mail server, nothing else here fails)."""
    code, output = doctor(runner)
    [finding] = lines_of(output, "WARN", "migrations")
    assert "flask db stamp head" in finding
    assert lines_of(output, "OK", "database")
    assert code == 0, output


def test_unreachable_database_and_redis_fail_without_leaking_the_password(make_app):
    app = make_app(**PRODUCTION_READY,
                   SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://staffroom:hunter2@127.0.0.1:{CLOSED_PORT}/x",
                   REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")
    code, output = doctor(app.test_cli_runner())
    assert code == 1
    [database] = lines_of(output, "FAIL", "database")
    assert "fix: check DATABASE_URL" in database
    [redis_finding] = lines_of(output, "FAIL", "redis")
    assert "fix: start Redis" in redis_finding
    assert "hunter2" not in output


def test_the_search_index_has_one_writer(app, runner):
    app.config.update(SEARCH_WORKER="off", SEARCH_INDEX_READ_ONLY=False)
    [finding] = lines_of(doctor(runner)[1], "WARN", "search writer")
    assert "replaces it" in finding and "fix: set SEARCH_INDEX_READ_ONLY=1 on the web processes" in finding
    app.config.update(SEARCH_WORKER="thread", SEARCH_INDEX_READ_ONLY=True)
    [finding] = lines_of(doctor(runner)[1], "WARN", "search writer")
    assert "writes the index anyway" in finding and "SEARCH_WORKER=off" in finding
    app.config.update(SEARCH_WORKER="off", SEARCH_INDEX_READ_ONLY=True)
    assert lines_of(doctor(runner)[1], "OK", "search writer")


def test_production_settings_that_are_probably_wrong(app, runner):
    app.config.update(SITE_URL="http://staffroom.example", SESSION_COOKIE_SECURE=False,
                      MAIL_SERVER="smtp.example", MAIL_USERNAME="staffroom", MAIL_PASSWORD=None)
    code, output = doctor(runner)
    assert code == 1
    assert "SITE_URL http://staffroom.example is not https" in output
    [cookie] = lines_of(output, "FAIL", "cookies")
    assert "session cookie may travel over plain HTTP" in cookie and "SESSION_COOKIE_SECURE=1" in cookie
    assert "only one of MAIL_USERNAME and MAIL_PASSWORD is set" in output
    app.config.update(SITE_URL="http://127.0.0.1:5000")
    [site] = lines_of(doctor(runner)[1], "FAIL", "site")
    assert "fix: set SITE_URL=https://" in site


def test_the_mail_server_is_tried_when_configured(app, runner, smtp_server):
    [finding] = lines_of(doctor(runner)[1], "OK", "mail")
    assert f"127.0.0.1:{smtp_server.port} answers (EHLO)" in finding
    smtp_server.stop()
    code, output = doctor(runner)
    [finding] = lines_of(output, "FAIL", "mail")
    assert code == 1 and f"cannot talk to 127.0.0.1:{smtp_server.port}" in finding
    assert "fix: check MAIL_SERVER and MAIL_PORT" in finding
    app.config.update(MAIL_SERVER=None)  # production with no mail server: nobody could confirm an address
    [finding] = lines_of(doctor(runner)[1], "FAIL", "mail")
    assert "MAIL_SERVER is unset" in finding and "fix: set MAIL_SERVER" in finding
    app.config.update(STAFFROOM_ENV="development")  # a laptop: mail goes to instance/mail/
    [finding] = lines_of(doctor(runner)[1], "OK", "mail")
    assert "instance/mail/*.eml" in finding


def test_production_fails_when_either_sign_in_cookie_is_not_secure(make_app):
    app = make_app(**PRODUCTION_READY)
    assert app.config["REMEMBER_COOKIE_SECURE"] is True  # follows the session cookie
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    code, output = doctor(app.test_cli_runner())
    assert lines_of(output, "OK", "cookies")
    app.config.update(REMEMBER_COOKIE_SECURE=False)
    code, output = doctor(app.test_cli_runner())
    assert code == 1
    [finding] = lines_of(output, "FAIL", "cookies")
    assert "remember-me cookie may travel over plain HTTP" in finding
    development = make_app(**{**PRODUCTION_READY, "STAFFROOM_ENV": "development", "SESSION_COOKIE_SECURE": False})
    assert development.config["REMEMBER_COOKIE_SECURE"] is False
    assert lines_of(doctor(development.test_cli_runner())[1], "OK", "cookies")


def test_an_unset_site_url_warns_in_production(app, runner):
    app.config.update(SITE_URL=None)
    output = doctor(runner)[1]
    [site] = lines_of(output, "WARN", "site")
    assert "SITE_URL is not set" in site and "links in mail lead to this machine" in site
    assert "fix: set SITE_URL=https://" in site
    assert not lines_of(output, "FAIL", "site")
    app.config.update(STAFFROOM_ENV="development")
    assert lines_of(doctor(runner)[1], "OK", "site")
