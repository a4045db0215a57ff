"""Demo data for `flask seed-demo`: a small, believable educator community.

Each feature adds a `seed_*` step to STEPS; steps run in order and receive
what earlier steps made (the educators, by username).
"""

from __future__ import annotations

from app.demo import events, forum, groups, library, people, people_extra, programmes

STEPS = [people.seed_educators, library.seed_library, groups.seed_groups, forum.seed_forum, events.seed_events,
         programmes.seed_programmes, people_extra.seed_people_extra]


def seed(echo) -> dict:
    context: dict = {}
    for step in STEPS:
        step(context, echo)
    return context
