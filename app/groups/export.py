"""CSV export of a member's own activities."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.groups import units
from app.groups.activities import local_start
from app.groups.models import SPORTS, Activity
from app.spreadsheet import safe_cell

COLUMNS = ["date", "start_time", "timezone", "sport", "title", "distance_km", "distance_mi", "duration",
           "duration_s", "pace_or_speed", "elevation_gain_m", "visibility", "source", "notes"]


def activities_csv(user: User, unit: str = "km") -> Iterator[str]:
    """All the member's activities, oldest first, as CSV text in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    statement = (select(Activity).where(Activity.user_id == user.id)
                 .order_by(Activity.started_at, Activity.id).execution_options(yield_per=500))
    for count, activity in enumerate(db.session.scalars(statement), start=1):
        local = local_start(activity)
        writer.writerow([safe_cell(value) for value in (
            local.date().isoformat(), local.strftime("%H:%M"), activity.timezone, SPORTS.get(activity.sport),
            activity.title, f"{activity.distance_m / 1000:.3f}", units.from_metres(activity.distance_m, "mi"),
            units.format_duration(activity.duration_s), activity.duration_s,
            units.format_pace(activity.sport, activity.distance_m, activity.duration_s, unit),
            activity.elevation_gain_m, activity.visibility, activity.source, activity.notes_md,
        )])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
