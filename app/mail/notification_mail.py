"""Notification mail, batched per member: not yet wired in (the sender calls this every round)."""

from __future__ import annotations


def queue_due(now=None) -> int:
    return 0
