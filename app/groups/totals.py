"""All-time totals per member and sport, kept in step with activities.

Only activities that groups count (public and group visibility) are in
them. Every change goes through `adjust` inside the caller's transaction,
as an atomic upsert (`x = x + delta`), so concurrent logs never lose an
update; `rebuild` recomputes them from the activities in one statement
(after bulk imports, or to repair).
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.groups.models import Activity, ActivityTotal

COUNTED = ("public", "groups")


def _upsert(user_id: int, sport: str, activities: int, distance_m: int, duration_s: int) -> None:
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = ActivityTotal.__table__
    statement = module.insert(table).values(user_id=user_id, sport=sport, activities=activities,
                                            distance_m=distance_m, duration_s=duration_s)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.sport],
        set_={"activities": table.c.activities + statement.excluded.activities,
              "distance_m": table.c.distance_m + statement.excluded.distance_m,
              "duration_s": table.c.duration_s + statement.excluded.duration_s})
    db.session.execute(statement)


def snapshot(activity: Activity) -> tuple | None:
    """What an activity adds to the totals, or None if groups don't count it."""
    if activity.visibility not in COUNTED:
        return None
    return (activity.user_id, activity.sport, activity.distance_m, activity.duration_s)


def adjust(before: tuple | None, after: tuple | None) -> None:
    """Take `before` out of the totals and put `after` in (either may be None)."""
    if before == after:
        return
    if before is not None:
        user_id, sport, distance, duration = before
        _upsert(user_id, sport, -1, -distance, -duration)
    if after is not None:
        user_id, sport, distance, duration = after
        _upsert(user_id, sport, 1, distance, duration)


def rebuild(user_ids: list[int] | None = None) -> None:
    """Recompute the totals from the activities (all members, or some)."""
    wipe = delete(ActivityTotal)
    source = (select(Activity.user_id, Activity.sport, func.count(), func.sum(Activity.distance_m),
                     func.sum(Activity.duration_s))
              .where(Activity.visibility.in_(COUNTED)).group_by(Activity.user_id, Activity.sport))
    if user_ids is not None:
        wipe = wipe.where(ActivityTotal.user_id.in_(user_ids))
        source = source.where(Activity.user_id.in_(user_ids))
    db.session.execute(wipe)
    db.session.execute(insert(ActivityTotal).from_select(
        ["user_id", "sport", "activities", "distance_m", "duration_s"], source))
