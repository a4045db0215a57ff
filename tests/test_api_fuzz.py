"""Schemathesis fuzzes every operation of /api/v1/openapi.json, in process.

Why: the OpenAPI document is what outside clients build against, so every
answer the API gives must be one the document promises: never a 500, only
status codes the operation lists, the content type it lists and a body that
matches its schema. Hand-written tests cover the paths we thought of; this
covers the inputs we did not (empty strings, huge numbers, odd unicode,
missing fields). What it found is pinned down by plain tests in
tests/test_api_regressions.py.

The run is bounded and seeded (derandomized), so it is deterministic and
takes about a minute on one core. Deselect it with `-m "not fuzz"`.
"""

from __future__ import annotations

import copy

import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.accounts import services as accounts
from tests.conftest import SqliteDatabase, make_settings
from tests.helpers import Client
from tests.seeded import World, seed

pytestmark = pytest.mark.fuzz

# schemathesis 4.32's `from_fixture` renames the running test through
# `node._nodeid`, which pytest 9.2 no longer has (the id lives in `_id`).
# Reading it gives the id; the rename is dropped (reports keep the plain
# test name, each operation still shows as its own subtest).
if not hasattr(pytest.Function, "_nodeid"):
    pytest.Function._nodeid = property(lambda node: node.nodeid, lambda node, value: None)  # noqa: SLF001 (names a generated test)

MAX_EXAMPLES = 10
SEED = 20_260_301
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _strict(spec: dict) -> dict:
    """The document without flask-smorest's catch-all `default` response.

    With it, any status code with an error body "conforms", so
    status_code_conformance could never fail; the fuzz run demands that
    every status an operation can answer with is listed by name.
    """
    spec = copy.deepcopy(spec)
    for operations in spec["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("default", None)
    return spec


@pytest.fixture
def world(tmp_path):
    """A fresh SQLite app with seeded data. No app context is held, so each
    fuzzed request gets its own, as in production."""
    database = SqliteDatabase(tmp_path / "template")
    # Rate limits off: a 429 after a few calls would hide everything behind it.
    app = create_app(make_settings(database, tmp_path, RATELIMIT_ENABLED=False))
    app.test_client_class = Client
    ids = seed(app)
    with app.app_context():
        token, _row = accounts.issue_token(accounts.get_by_username("fuzzer"), "fuzz")
    yield World(app, token, ids)
    database.reset(app)


# Ids a request body names, and the dictionary of real ones to draw from.
BODY_IDS = {
    "body.category_id": "category_id",
    "body.resource_id": "resource_id",
    "body.group_ids[*]": "group_id",
    "body.to[*]": "username",
    "body.hosts[*]": "username",
    "body.username": "username",
}


@pytest.fixture
def api_schema(world):
    spec = world.app.test_client().get("/api/v1/openapi.json").get_json()
    # Half of the generated ids name real rows, so the fuzzing reaches past
    # the 404 into the code that reads and changes them.
    bindings = {f"path.{name}": name for name in world.ids} | BODY_IDS
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # The coverage phase would also send every operation's path the
        # methods it does not list (TRACE, PUT...): Werkzeug's routing answers
        # those the same way everywhere, and they were a tenth of the run.
        "phases": {"coverage": {"unexpected-methods": []}},
        "dictionaries": {name: {"values": values} for name, values in world.ids.items()},
        "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bindings.items()},
    })
    schema = schemathesis.openapi.from_dict(_strict(spec), config=config)
    schema.app = world.app
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_as_documented(case, world):
    world.enter(case.operation.label)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)
