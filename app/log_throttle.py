"""Warnings for failures that repeat on every message (Redis away, say):
logged at most once a while per kind, not once per broadcast or retry."""

from __future__ import annotations

import logging
import time


class ThrottledWarnings:
    def __init__(self, logger: logging.Logger, every: float = 60.0):
        self.logger = logger
        self.every = every
        self._last: dict[str, float] = {}

    def warning(self, kind: str, message: str, *args) -> None:
        now = time.monotonic()
        if now - self._last.get(kind, -self.every) >= self.every:
            self._last[kind] = now
            self.logger.warning(message, *args)

    def reset(self) -> None:
        """The trouble is over: the next failure is worth a warning at once."""
        self._last.clear()
