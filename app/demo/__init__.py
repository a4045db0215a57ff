"""Demo data for `flask seed-demo`: a small, believable educator community.

Each feature adds a `seed_*` step to STEPS; steps run in order and receive
what earlier steps made (the educators, by username).
"""

from __future__ import annotations

from app.demo import library, people

STEPS = [people.seed_educators, library.seed_library]


def seed(echo) -> dict:
    context: dict = {}
    for step in STEPS:
        step(context, echo)
    return context
