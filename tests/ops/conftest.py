"""An app of our own for the ops tests: most of them are about a database,
Redis or folder that is broken on purpose, which the shared `app` fixture
(a working database on both backends) cannot be."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest

from app import create_app

STRONG_KEY = "rV3k0Qm8Z_xw2Lb9YtNf4Hc6Jd1Pa7Se5Ug0Ko3Ei8Wq"
CLOSED_PORT = 1  # nothing listens on port 1 of the loopback: refused at once


@pytest.fixture
def make_app(tmp_path):
    def make(**overrides):
        settings = {
            "TESTING": True,
            "SECRET_KEY": STRONG_KEY,
            "INSTANCE_PATH": tmp_path / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ops.db'}",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SEARCH_WORKER": "off",
            "EVENT_SCHEDULER": "off",
            "MAIL_WORKER": "off",
            **overrides,
        }
        return create_app(settings)

    return make


@contextmanager
def bare_root_logger():
    """The root logger as a fresh process has it, for create_app to set up
    logging as in production; pytest's own handlers come back afterwards.
    (A context manager, not a fixture: pytest adds its handlers after the
    fixtures are set up.)"""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    for handler in handlers:
        root.removeHandler(handler)
    try:
        yield root
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
