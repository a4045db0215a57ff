"""Numbers a request carries (page numbers and ids), bounded before they
reach the database.

An INTEGER column holds up to 2**31 - 1 on PostgreSQL and 2**63 - 1 on
SQLite; a larger number in a query makes the driver raise ("integer out of
range", OverflowError), which was a 500 for what is simply "no such page"
or "no such thing". Every page that lists rows reads its `?page=` through
parse_page; paths have IdConverter and the JSON API has the `Id` and
`Page` fields (app/api_support.py), on the same bounds.
"""

from __future__ import annotations

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
