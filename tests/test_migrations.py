"""The Alembic history builds the same schema as the models, on both backends."""

from __future__ import annotations

import secrets
import warnings
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests import services


def check_history(app) -> None:
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            with warnings.catch_warnings():  # SQLite cannot reflect lower(display_name): not compared there
                warnings.filterwarnings("ignore", message=".*expression-based index")
                diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"users", "api_tokens", "alembic_version"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade(revision="heads")  # and back up again: downgrades leave nothing behind
        db.engine.dispose()


def test_upgrade_from_empty_to_head_on_sqlite(tmp_path):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
        "INSTANCE_PATH": tmp_path / "instance",
        "SECRET_KEY": "x",
    })
    check_history(app)


@contextmanager
def fresh_postgresql_app(tmp_path):
    """An app on an empty PostgreSQL schema of its own, dropped afterwards."""
    url = services.need_postgres().replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"migrate_{secrets.token_hex(4)}"
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield create_app({
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            "INSTANCE_PATH": tmp_path / "instance",
            "SECRET_KEY": "x",
        })
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_upgrade_from_empty_to_head_on_postgresql(tmp_path):
    with fresh_postgresql_app(tmp_path) as app:
        check_history(app)


@pytest.fixture(autouse=True)
def _no_database_param():
    """These tests build their own databases; they run once, not per backend."""


def check_members_before_verification_stay_verified(app) -> None:
    with app.app_context():
        upgrade(revision="0010_text_jobs")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (username, email, password_hash, display_name, role, timezone, bio_md, bio_html, "
                "auth_version, created_at) VALUES ('old_timer', 'old@school.example', '!', 'Old Timer', 'member', "
                "'UTC', '', '', 1, '2024-01-01 09:00:00+00:00')")
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            verified = connection.exec_driver_sql(
                "SELECT email_verified_at FROM users WHERE username = 'old_timer'").scalar()
        assert verified is not None  # nobody is locked out of posting by the upgrade
        db.engine.dispose()


def test_members_from_before_verification_are_verified_on_sqlite(tmp_path):
    check_members_before_verification_stay_verified(create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
        "INSTANCE_PATH": tmp_path / "instance", "SECRET_KEY": "x"}))


def test_members_from_before_verification_are_verified_on_postgresql(tmp_path):
    with fresh_postgresql_app(tmp_path) as app:
        check_members_before_verification_stay_verified(app)


def check_hosts_of_earlier_events_are_going(app) -> None:
    with app.app_context():
        upgrade(revision="0014_files_pending_uploads")
        with db.engine.begin() as connection:
            for number in (1, 2):
                connection.exec_driver_sql(
                    "INSERT INTO users (username, email, password_hash, display_name, role, timezone, bio_md, "
                    f"bio_html, auth_version, created_at) VALUES ('host{number}', 'h{number}@school.example', '!', "
                    f"'Host {number}', 'member', 'UTC', '', '', 1, '2026-01-01 09:00:00+00:00')")
            ids = dict(connection.exec_driver_sql("SELECT username, id FROM users").all())
            connection.exec_driver_sql(
                "INSERT INTO events (organiser_id, kind, title, description_md, description_html, starts_at, ends_at, "
                "duration_min, timezone, is_online, capacity, status, visibility, always_open, sequence, "
                "slow_mode_seconds, created_at, updated_at) VALUES "
                f"({ids['host1']}, 'tweetmeet', 'Old TweetMeet', '', '', '2027-01-01 18:00:00+00:00', "
                "'2027-01-01 19:00:00+00:00', 60, 'UTC', true, 5, 'published', 'public', false, 0, 0, "
                "'2026-01-02 09:00:00+00:00', '2026-01-02 09:00:00+00:00')")
            event_id = connection.exec_driver_sql("SELECT id FROM events").scalar()
            for position, name in enumerate(("host1", "host2")):
                connection.exec_driver_sql("INSERT INTO event_hosts (event_id, user_id, position) VALUES "
                                           f"({event_id}, {ids[name]}, {position})")
            connection.exec_driver_sql(
                "INSERT INTO event_rsvps (event_id, user_id, status, created_at, updated_at) VALUES "
                f"({event_id}, {ids['host2']}, 'waitlisted', '2026-01-03 09:00:00+00:00', "
                "'2026-01-03 09:00:00+00:00')")
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT user_id, status FROM event_rsvps ORDER BY user_id").all()
        assert [tuple(row) for row in rows] == [(ids["host1"], "going"), (ids["host2"], "going")]
        # Downgrades that drop a column of `events` copy the table on SQLite:
        # its RSVPs and hosts stay (foreign keys are off while migrations run).
        downgrade(revision="0015_time_host_rsvps")
        with db.engine.connect() as connection:
            kept = [connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                    for table in ("events", "event_rsvps", "event_hosts")]
        assert kept == [1, 2, 2]
        db.engine.dispose()


def test_hosts_of_earlier_events_are_going_on_sqlite(tmp_path):
    check_hosts_of_earlier_events_are_going(create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
        "INSTANCE_PATH": tmp_path / "instance", "SECRET_KEY": "x"}))


def test_hosts_of_earlier_events_are_going_on_postgresql(tmp_path):
    with fresh_postgresql_app(tmp_path) as app:
        check_hosts_of_earlier_events_are_going(app)


def check_files_with_thumbnails_are_previewed(app) -> None:
    with app.app_context():
        upgrade(revision="0018_post_images")
        with db.engine.begin() as connection:
            for sha, thumb in (("a" * 64, "'t1234567890abcdef.png'"), ("b" * 64, "NULL")):
                connection.exec_driver_sql(
                    "INSERT INTO stored_files (sha256, storage_name, thumb_name, mime, kind, size, created_at) "
                    f"VALUES ('{sha}', 's{sha[:20]}.bin', {thumb}, 'image/png', 'image', 10, "
                    "'2026-01-01 09:00:00+00:00')")
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT sha256, preview_status FROM stored_files ORDER BY sha256").all()
        # An image made before has its thumbnail; the other was never tried: the backfill queues it.
        assert [tuple(row) for row in rows] == [("a" * 64, "ready"), ("b" * 64, None)]
        db.engine.dispose()


def test_files_with_thumbnails_are_previewed_on_sqlite(tmp_path):
    check_files_with_thumbnails_are_previewed(create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}",
        "INSTANCE_PATH": tmp_path / "instance", "SECRET_KEY": "x"}))


def test_files_with_thumbnails_are_previewed_on_postgresql(tmp_path):
    with fresh_postgresql_app(tmp_path) as app:
        check_files_with_thumbnails_are_previewed(app)
