"""Reading an uploaded FIT file (what most watches export), the same way a
GPX track is read: distance, moving time, climb, start time, the sport
and the route for the map. fitdecode reads it, checking every CRC: a
damaged or cut-short file is refused whole, never half-read.

A file is taken for FIT by its bytes (`looks_like_fit`: ".FIT" at offset
8 of the header), never by its name.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import fitdecode
from flask_babel import lazy_gettext as _l

from app.groups import gpx
from app.groups.gpx import MAX_GPX_BYTES, MAX_POINTS, Track, refuse
from app.i18n import N_

SEMICIRCLE = 180 / 2**31  # degrees
# FIT sports that are ours; anything else keeps the sport the member chose.
SPORTS = {"running": "run", "cycling": "ride", "walking": "walk", "hiking": "walk", "swimming": "swim"}
UNREADABLE = "That FIT file could not be read: it is damaged or cut short. Export it again from your watch or app."


def looks_like_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


RECORD_FIELDS = ("position_lat", "position_long", "timestamp", "distance")  # all a record is kept for


def _messages(data: bytes):
    reader = fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE,
                                 error_handling=fitdecode.ErrorHandling.RAISE)
    with reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                yield "record", {name: frame.get_value(name, fallback=None) for name in RECORD_FIELDS}
            elif frame.name == "session":
                yield "session", {field.name: field.value for field in frame.fields}


def _read(data: bytes) -> tuple[list[dict], list[dict]]:
    records, sessions = [], []
    try:
        for name, values in _messages(data):
            if name == "session":
                sessions.append(values)
                continue
            records.append(values)
            if len(records) > MAX_POINTS:
                raise refuse(_l("That FIT file has more than %(max)s points.", max=f"{MAX_POINTS:,}"))
    except fitdecode.FitError as error:
        raise refuse(UNREADABLE) from error
    return records, sessions


def _number(values: dict, *names: str) -> float | None:
    for name in names:
        value = values.get(name)
        if isinstance(value, int | float):
            return float(value)
    return None


def _utc(value) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def parse(data: bytes) -> Track:
    """The activity in `data`; ValidationFailed (422, field "gpx", the form's
    track field) if it is not a usable FIT activity."""
    if len(data) > MAX_GPX_BYTES:
        raise refuse(_l("Track files can be up to %(max)s MB.", max=MAX_GPX_BYTES // (1024 * 1024)))
    records, sessions = _read(data)
    session = sessions[0] if sessions else {}
    coordinates = [(r["position_lat"] * SEMICIRCLE, r["position_long"] * SEMICIRCLE) for r in records
                   if isinstance(r.get("position_lat"), int) and isinstance(r.get("position_long"), int)]
    if any(not (-90 <= lat <= 90 and -180 <= lon <= 180) for lat, lon in coordinates):
        raise refuse(N_("That FIT file has points outside the globe."))
    times = [moment for moment in (_utc(r.get("timestamp")) for r in records) if moment is not None]
    distance = sum(_number(s, "total_distance") or 0 for s in sessions) or max(
        (_number(r, "distance") or 0 for r in records), default=0)
    if not distance and len(coordinates) >= 2:
        distance = gpx.distance_along(coordinates)
    if not distance:
        raise refuse(N_("That FIT file has no distance or track in it."))
    moving = sum(_number(s, "total_timer_time", "total_elapsed_time") or 0 for s in sessions)
    if not moving and len(times) >= 2:
        moving = (max(times) - min(times)).total_seconds()
    ascent = [_number(s, "total_ascent") for s in sessions]
    start = _utc(session.get("start_time")) or (min(times) if times else None)
    return Track(distance_m=int(round(distance)), moving_s=int(round(moving)),
                 elevation_gain_m=int(sum(ascent)) if ascent and None not in ascent else None,
                 started_at=start, route_points=gpx.route_points(coordinates) if len(coordinates) >= 2 else None,
                 sport=SPORTS.get(str(session.get("sport"))))
