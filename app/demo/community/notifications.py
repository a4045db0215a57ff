"""Community notifications: 100,000 of what the other steps made happen
(answers, mentions, accepted answers, kudos, hosts named), each stored as
`notify()` stores it: its English text, its message and values for the
reader's language, the dedupe key. Most are read; all are marked mailed,
so the notification mail does not go out for two years of activity."""

from __future__ import annotations

import json
from datetime import timedelta

from app.notifications.models import Notification


def seed_notifications(world) -> None:
    rng, load = world.rng, world.load
    wanted = world.count("notifications")
    seen, candidates = set(), []
    for item in world.notices:
        user_id, _kind, _key, _params, _url, actor, _at, dedupe = item
        if user_id == actor or (dedupe and (user_id, dedupe) in seen):
            continue
        seen.add((user_id, dedupe))
        candidates.append(item)
    # Mentions, accepted answers and hosts always; the rest sampled to the count.
    keep = [item for item in candidates if item[1] != "forum.answer" and item[1] != "kudos"]
    rest = [item for item in candidates if item[1] in ("forum.answer", "kudos")]
    keep += rng.sample(rest, max(0, min(len(rest), wanted - len(keep))))
    keep.sort(key=lambda item: item[6])
    rows = []
    for notification_id, (user_id, kind, key, params, url, actor, at, dedupe) in zip(
            load.ids(Notification.__table__, len(keep)), keep, strict=True):
        read = at + timedelta(hours=rng.uniform(1, 72)) if rng.random() < 0.8 and at < world.now - \
            timedelta(days=3) else None
        rows.append({"id": notification_id, "user_id": user_id, "actor_id": actor, "kind": kind,
                     "text": (key % params)[:300], "text_key": key,
                     "text_params": json.dumps(params, ensure_ascii=False), "url": url, "dedupe_key": dedupe,
                     "created_at": at, "read_at": read, "emailed_at": at + timedelta(minutes=10)})
    load.write(Notification.__table__, rows)
