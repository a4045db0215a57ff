"""The few user fields leaderboards and progress lists show, read as columns
(loading whole User rows would also load their subjects and age ranges)."""

from __future__ import annotations

from typing import NamedTuple


class PersonRow(NamedTuple):
    id: int
    username: str
    display_name: str
    avatar_file: str | None
