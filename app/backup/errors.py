"""The one error of the backup package; the CLI prints its message as is."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
