"""`flask backup create` / `flask backup restore`: a real instance survives
the round trip into an empty one, and bad archives change nothing."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from app.accounts import services as accounts
from app.backup import create_backup
from app.backup.databases import for_engine
from app.backup.service import code_revision
from app.demo.library import pdf_bytes
from app.extensions import db
from app.forum import categories
from app.forum import services as forum
from app.resources import services as library
from tests.conftest import make_settings
from tests.helpers import PASSWORD

WORD = "zygomorphic"


@pytest.fixture
def stamped(app):
    """Mark the test database as migrated to head, as `flask db upgrade` does
    (the fixtures build it with create_all)."""
    db.session.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
    for head in code_revision():
        db.session.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
    db.session.commit()
    yield
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def content(stamped, make_user, index_now):
    """Two members, a PDF resource with a searchable word, a forum thread."""
    amira = make_user("amira_h")
    make_user("ben_t")
    data = pdf_bytes("Flower anatomy", f"Students sketch {WORD} flowers in the school garden.")
    resource = library.create_resource(amira, title="Flower anatomy", subject="science", license="cc-by",
                                       upload=library.Upload(data, "flowers.pdf"))
    index_now()  # its words are read
    categories.ensure_defaults()
    category = categories.startable(amira)[0]
    thread = forum.create_thread(amira, category, title="Pressing flowers with pupils",
                                 body="What works for you?", enforce_limits=False)
    return {"resource_id": resource.id, "file": data, "thread_id": thread.id}


def table_counts() -> dict[str, int]:
    # search_jobs is the index outbox: restore drains it by rebuilding.
    return {name: n for name, n in for_engine(db.engine).row_counts().items() if name != "search_jobs"}


def upload_files(app) -> dict[str, bytes]:
    root = Path(app.config["UPLOAD_DIR"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def empty_instance(database, tmp_path):
    """A second, empty instance: a new SQLite file, or a PostgreSQL database
    of its own (dropped after), with its own uploads and search index."""
    folder = tmp_path / "restored"
    folder.mkdir()
    settings = make_settings(database, folder)
    admin = name = None
    if database.name == "sqlite":
        settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'empty.db'}"
    else:
        name = f"staffroom_backup_{secrets.token_hex(4)}"
        admin = sa.create_engine(database.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(database.url).set(database=name)
        settings["SQLALCHEMY_DATABASE_URI"] = url.render_as_string(hide_password=False)
    target = create_app(settings)
    target.test_client_class = FlaskClient
    yield target
    with target.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def restore(app, archive, *extra):
    """`flask backup restore` against `app` (commands run in the app context
    already pushed, hence the explicit one)."""
    db.session.remove()  # hold no locks the restore would wait for
    with app.app_context():
        return app.test_cli_runner().invoke(args=["backup", "restore", str(archive), *extra])


def test_round_trip_into_an_empty_instance(app, runner, content, empty_instance, tmp_path):
    before, files_before = table_counts(), upload_files(app)
    out = tmp_path / "backups"
    out.mkdir()
    result = runner.invoke(args=["backup", "create", "--output", str(out)])
    assert result.exit_code == 0, result.output
    [archive] = list(out.iterdir())
    assert archive.name.startswith("staffroom-backup-") and archive.name.endswith(".tar.gz")
    assert f"uploads:  {len(files_before)} file" in result.output

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert not any("search_index" in name for name in names)
    assert manifest["database"]["row_counts"]["users"] == 2
    assert manifest["alembic_revision"] == code_revision()
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert {f"uploads/{name}" for name in files_before} <= set(manifest["files"])

    result = restore(empty_instance, archive)
    assert result.exit_code == 0, result.output
    assert "Row counts match" in result.output and "Search index rebuilt" in result.output
    with empty_instance.app_context():
        assert table_counts() == before
    assert upload_files(empty_instance) == files_before

    browser = empty_instance.test_client()
    download = browser.get(f"/api/v1/resources/{content['resource_id']}/file")
    assert download.status_code == 200 and download.data == content["file"]
    found = browser.get(f"/api/v1/search?q={WORD}").get_json()
    assert [hit["title"] for hit in found["results"]] == ["Flower anatomy"]
    thread = browser.get(f"/api/v1/threads/{content['thread_id']}").get_json()
    assert thread["title"] == "Pressing flowers with pupils"
    assert browser.get("/api/v1/users/ben_t").status_code == 200

    # A second restore finds data and refuses; --force replaces it.
    with empty_instance.app_context():
        accounts.register(email_verified=True, username="latecomer", email="late@school.example", password=PASSWORD,
                          display_name="Late Comer", country="GB")
    refused = restore(empty_instance, archive)
    assert refused.exit_code != 0 and "not empty" in refused.output and "--force" in refused.output
    assert browser.get("/api/v1/users/latecomer").status_code == 200
    forced = restore(empty_instance, archive, "--force")
    assert forced.exit_code == 0, forced.output
    assert browser.get("/api/v1/users/latecomer").status_code == 404
    assert browser.get("/api/v1/users/ben_t").status_code == 200


# Bad archives: each is refused with a clear message, even with --force,
# and the instance keeps its data and files. The archive is checked before
# any database work, so these run on SQLite only.
sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def archive(app, content, tmp_path):
    return create_backup(tmp_path).path


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with `change(name, data)` -> data applied to each
    member, plus any (name, data) pairs `change(None, None)` returns."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        members = [(m.name, source.extractfile(m).read()) for m in source.getmembers()]
        for name, data in members + list(change(None, None) or []):
            data = change(name, data) if name in dict(members) else data
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def assert_refused(app, archive, *phrases) -> None:
    counts, files = table_counts(), upload_files(app)
    result = restore(app, archive, "--force")
    assert result.exit_code != 0
    for phrase in phrases:
        assert phrase in result.output, result.output
    assert "Traceback" not in result.output
    assert table_counts() == counts
    assert upload_files(app) == files


@sqlite_only
def test_a_corrupt_archive_is_refused(app, archive, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused(app, truncated, "not a readable backup archive")
    noise = tmp_path / "noise.tar.gz"
    noise.write_bytes(b"this is not an archive" * 100)
    assert_refused(app, noise, "not a readable backup archive")
    assert_refused(app, tmp_path / "missing.tar.gz", "No such archive")


@sqlite_only
def test_a_changed_file_fails_its_checksum(app, archive, tmp_path):
    def tamper(name, data):
        return data + b"tampered" if name and name.startswith("uploads/") else data

    assert_refused(app, rewrite(archive, tmp_path / "tampered.tar.gz", tamper), "checksum", "uploads/files/")


@sqlite_only
def test_members_that_leave_the_folder_are_refused(app, archive, tmp_path):
    for number, evil in enumerate(["../escaped.txt", "uploads/../../escaped.txt", f"{tmp_path}/escaped.txt"]):
        def add_evil(name, data, evil=evil):
            return [(evil, b"owned")] if name is None else data

        assert_refused(app, rewrite(archive, tmp_path / f"evil{number}.tar.gz", add_evil), "unsafe path")
        assert not list(tmp_path.parent.rglob("escaped.txt"))


@sqlite_only
def test_a_backup_from_other_code_is_refused(app, archive, tmp_path):
    def old_revision(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["alembic_revision"] = ["0001_old"]
        return json.dumps(manifest).encode()

    assert_refused(app, rewrite(archive, tmp_path / "old.tar.gz", old_revision), "0001_old", "flask db upgrade")


def test_a_non_empty_instance_needs_force(app, archive):
    counts = table_counts()
    result = restore(app, archive)
    assert result.exit_code != 0
    assert "not empty" in result.output and "--force" in result.output
    assert table_counts() == counts


@sqlite_only
def test_a_failed_backup_leaves_no_archive(app, runner, content, tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr("app.backup.service._add_uploads", disk_full)
    out = tmp_path / "backups"
    out.mkdir()
    result = runner.invoke(args=["backup", "create", "--output", str(out)])
    assert result.exit_code != 0
    assert "no archive was written: No space left on device" in result.output
    assert list(out.iterdir()) == []
