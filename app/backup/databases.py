"""Copying the database out and back in, one class per dialect.

Both take a consistent copy while the app keeps writing: SQLite through its
online backup API (which reads one snapshot, WAL included), PostgreSQL by
exporting a snapshot that `pg_dump --snapshot` and our row counts share.
Row counts are taken from that same snapshot, so the manifest describes
exactly what was dumped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from app.backup.errors import BackupError

ALEMBIC_TABLE = "alembic_version"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(connection: Connection, schema: str | None = None) -> dict[str, int]:
    """Rows in every table the connection sees, by table name."""
    names = sa.inspect(connection).get_table_names(schema=schema)
    return {
        name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name, schema=schema)))
        for name in sorted(names)
    }


def content_rows(counts: dict[str, int]) -> dict[str, int]:
    """The tables that hold data (the migration marker does not count)."""
    return {name: n for name, n in counts.items() if n and name != ALEMBIC_TABLE}


def _revision(rows) -> list[str]:
    return sorted(row[0] for row in rows)


class SqliteDatabase:
    dialect = "sqlite"
    member = "database/staffroom.sqlite3"

    def __init__(self, engine: Engine):
        self.engine = engine
        database = engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise BackupError("Only a SQLite database in a file can be backed up or restored.")
        self.path = Path(database)

    def describe(self) -> dict:
        return {"dialect": self.dialect, "file": self.member}

    def dump(self, target: Path) -> tuple[dict[str, int], list[str]]:
        """Copy the live database to `target`; returns row counts and revision."""
        if not self.path.exists():
            raise BackupError(f"The database file {self.path} does not exist.")
        with closing(sqlite3.connect(self.path, timeout=30)) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            # A single self-contained file: no -wal beside it in the archive.
            copy.execute("PRAGMA journal_mode=DELETE")
            names = [row[0] for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            counts = {name: copy.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in names}
            revision = _revision(copy.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}")) \
                if ALEMBIC_TABLE in counts else []
        return counts, revision

    def row_counts(self) -> dict[str, int]:
        if not self.path.exists():
            return {}
        with self.engine.connect() as connection:
            return count_rows(connection)

    def check_target(self, manifest_database: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def restore(self, dump: Path) -> None:
        """Write the dump into the configured file through the backup API,
        which takes SQLite's locks and handles a WAL file already there."""
        self.engine.dispose()
        with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(self.path, timeout=30)) as target:
            source.backup(target)
        self.engine.dispose()


class PostgresDatabase:
    dialect = "postgresql"
    member = "database/staffroom.pgdump"

    def __init__(self, engine: Engine):
        self.engine = engine

    # Connection details for the client tools -----------------------------------

    def _tool(self, name: str) -> str:
        path = shutil.which(name)
        if path is None:
            raise BackupError(f"{name} was not found on PATH. Install the PostgreSQL client tools "
                              f"(e.g. `apt-get install postgresql-client`) matching the server's version.")
        return path

    def _conninfo(self) -> tuple[str, dict]:
        """A libpq connection string without the password, and the environment
        carrying it (so it never shows in the process list)."""
        url = self.engine.url
        fields = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
        fields.update({key: value for key, value in url.query.items() if isinstance(value, str)})
        conninfo = " ".join(
            f"{key}='" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
            for key, value in fields.items() if value not in (None, "")
        )
        env = {"PGPASSWORD": url.password} if url.password else {}
        return conninfo, env

    def _run(self, args: list[str], what: str) -> str:
        conninfo, extra_env = self._conninfo()
        result = subprocess.run([*args, f"--dbname={conninfo}"], capture_output=True, text=True,
                                env={**os.environ, **extra_env}, check=False)
        if result.returncode != 0:
            raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result.stdout

    def _schema(self, connection: Connection) -> str:
        """The schema the app's tables live in (its search_path's first)."""
        schema = connection.scalar(sa.text("SELECT current_schema()"))
        if schema is None:  # the configured schema does not exist yet
            first = connection.scalar(sa.text("SHOW search_path")).split(",")[0].strip()
            schema = first.strip('"')
        if not schema or schema.startswith("$"):
            raise BackupError("Cannot tell which PostgreSQL schema the app uses; set search_path explicitly.")
        return schema

    # Backup ---------------------------------------------------------------------

    def describe(self) -> dict:
        with self.engine.connect() as connection:
            return {"dialect": self.dialect, "file": self.member, "schema": self._schema(connection),
                    "server_version": connection.scalar(sa.text("SHOW server_version"))}

    def dump(self, target: Path) -> tuple[dict[str, int], list[str]]:
        pg_dump = self._tool("pg_dump")
        with self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            # The snapshot stays valid while this transaction is open: pg_dump
            # and the counts below see exactly the same rows.
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            schema = self._schema(connection)
            counts = count_rows(connection, schema)
            revision = _revision(connection.execute(
                sa.select(sa.column("version_num")).select_from(sa.table(ALEMBIC_TABLE, schema=schema)))) \
                if ALEMBIC_TABLE in counts else []
            self._run([pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                       f"--schema={_quote(schema)}", f"--file={target}"], "pg_dump")
            connection.rollback()
        return counts, revision

    # Restore --------------------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return count_rows(connection, self._schema(connection))

    def check_target(self, manifest_database: dict) -> None:
        with self.engine.connect() as connection:
            schema = self._schema(connection)
        if schema != manifest_database.get("schema"):
            raise BackupError(
                f"The backup holds PostgreSQL schema {manifest_database.get('schema')!r}, but this instance "
                f"uses {schema!r}. Point DATABASE_URL (search_path) at a schema of the same name.")
        self._tool("pg_restore")

    def restore(self, dump: Path) -> None:
        """pg_restore in one transaction: it either all lands or none of it.

        The dump's own CREATE SCHEMA is left out (the schema may exist, as
        `public` always does); `--clean` replaces tables an earlier
        `flask db upgrade` (or --force) left in place.
        """
        pg_restore = self._tool("pg_restore")
        with self.engine.connect() as connection:
            schema = self._schema(connection)
        listing = subprocess.run([pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False)
        if listing.returncode != 0:
            raise BackupError(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
        entries = [line for line in listing.stdout.splitlines()
                   if not _is_schema_entry(line)]
        use_list = dump.with_suffix(".list")
        use_list.write_text("\n".join(entries) + "\n")
        self.engine.dispose()
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {_quote(schema)}"))
        self._run([pg_restore, "--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction",
                   f"--use-list={use_list}", str(dump)], "pg_restore")
        self.engine.dispose()


def _is_schema_entry(line: str) -> bool:
    """A TOC line such as `4; 2615 2200 SCHEMA - public owner` (or its COMMENT)."""
    if line.startswith(";"):
        return False
    description = line.split(";", 1)[-1].split(None, 2)[-1] if ";" in line else ""
    return description.startswith(("SCHEMA ", "COMMENT - SCHEMA "))


def for_engine(engine: Engine) -> SqliteDatabase | PostgresDatabase:
    if engine.dialect.name == "sqlite":
        return SqliteDatabase(engine)
    if engine.dialect.name == "postgresql":
        return PostgresDatabase(engine)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine.dialect.name}.")
