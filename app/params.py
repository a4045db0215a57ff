"""Numbers a request carries (page numbers and ids), bounded before they
reach the database.

An INTEGER column holds up to 2**31 - 1 on PostgreSQL and 2**63 - 1 on
SQLite; a larger number in a query makes the driver raise ("integer out of
range", OverflowError), which was a 500 for what is simply "no such page"
or "no such thing". Every page number and id from a query string, a form
or a live-room message goes through here first. Paths have IdConverter and
the JSON API has the `Id` and `Page` fields (app/api_support.py), on the
same bounds.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound

# The largest id any table hands out: PostgreSQL's INTEGER (SQLite's is wider).
MAX_ID = 2**31 - 1
# Deeper than any listing goes (10,000 pages of 20 is 200,000 rows), and
# small enough that page x per_page stays an ordinary OFFSET.
MAX_PAGE = 10_000


def parse_page(value, default: int = 1) -> int:
    """A page number from a query string: a whole number brought into
    1..MAX_PAGE; anything else (missing, a word) is `default`. Past the
    last page a listing is simply empty."""
    try:
        page = int(value)
    except (TypeError, ValueError):  # ValueError also for numbers longer than Python parses
        return default
    return max(1, min(page, MAX_PAGE))


def is_id(value) -> bool:
    """Whether `value` is a number some row could have as its id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def to_int(value, low: int, high: int) -> int | None:
    """A query-string or form value as a whole number in low..high, or None
    (missing, a word, out of range)."""
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:  # also for numbers longer than Python parses
            return None
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if low <= value <= high else None


def to_id(value) -> int | None:
    """A query-string or form value as an id, or None when it cannot name a
    row (missing, a word, zero or less, past MAX_ID): the caller answers as
    for a row that does not exist."""
    return to_int(value, 1, MAX_ID)


def optional_id(value) -> int | None:
    """An id a query string or form may leave out (e.g. the post a reply
    answers): None when missing or empty, a 404 when given but unable to
    name a row, as the same id in a path would be."""
    if value is None or value == "":
        return None
    found = to_id(value)
    if found is None:
        raise NotFound()
    return found
