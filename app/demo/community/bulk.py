"""Bulk loading for the community dataset: rows as dicts, written with
SQLAlchemy Core in chunks (one transaction a chunk), ids given out here so
that rows can point at each other before they are written."""

from __future__ import annotations

import time
from collections import Counter

from sqlalchemy import Table, func, insert, select, text

from app.extensions import db

CHUNK = 5000


class Loader:
    """Hands out ids, writes rows and keeps the figures of the run."""

    def __init__(self, echo):
        self.echo = echo
        self.rows: Counter[str] = Counter()
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self._next_id: dict[str, int] = {}

    def ids(self, table: Table, count: int) -> range:
        """`count` new ids for `table`, after every id it already has."""
        name = table.name
        if name not in self._next_id:
            self._next_id[name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        start = self._next_id[name]
        self._next_id[name] = start + count
        return range(start, start + count)

    def write(self, table: Table, rows: list[dict]) -> None:
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start:start + CHUNK])
            db.session.commit()
        self.rows[table.name] += len(rows)

    def step(self, name: str):
        return _Step(self, name)

    def fix_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids given out here, so
        the app's own inserts (and `flask forum bench-thread`) go on after them."""
        move_id_sequences(db.session, db.session.get_bind().dialect.name, self._next_id)
        db.session.commit()


def move_id_sequences(executor, dialect: str, tables) -> None:
    """After rows were written with ids of their own: on PostgreSQL, each
    table's id sequence goes on after its largest id (SQLite needs nothing).
    `executor` is a session or a connection."""
    if dialect != "postgresql":
        return
    for name in tables:
        executor.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))


class _Step:
    def __init__(self, loader: Loader, name: str):
        self.loader, self.name = loader, name

    def __enter__(self):
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        took, cpu = time.perf_counter() - self.started, time.process_time() - self.cpu_started
        self.loader.seconds[self.name] = self.loader.seconds.get(self.name, 0.0) + took
        self.loader.cpu_seconds[self.name] = self.loader.cpu_seconds.get(self.name, 0.0) + cpu
        if exc[0] is None:
            self.loader.echo(f"  {self.name:<14} {took:7.1f} s  ({cpu:.1f} s of CPU)")
        return False
