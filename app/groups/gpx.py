"""Reading an uploaded GPX track: distance, moving time, elevation gain,
start time and the route as the points of an SVG polyline. (FIT files:
`fit.py`; which of the two a file is: `tracks.py`.)

The route is drawn from the track itself (no map tiles from another host):
points are projected onto a plane (longitude scaled by the cosine of the
mean latitude), fitted into a fixed viewBox and thinned to at most
ROUTE_POINTS points, once, at upload time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

import gpxpy.gpx
import gpxpy.gpxfield
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from flask_babel import lazy_gettext as _l

from app.exceptions import ValidationFailed
from app.i18n import N_

MAX_GPX_BYTES = 5 * 1024 * 1024
MAX_POINTS = 100_000
ROUTE_WIDTH, ROUTE_HEIGHT, ROUTE_PAD = 300, 200, 10
ROUTE_POINTS = 400
UNREADABLE = N_("That GPX file could not be read. Export it again from your watch or app.")
NOT_A_TRACK = N_("That file is not a GPX or FIT file.")


@dataclass
class Track:
    distance_m: int
    moving_s: int  # 0 when the file has no times
    elevation_gain_m: int | None
    started_at: datetime | None
    route_points: str | None  # None: a FIT file without positions (indoors)
    sport: str | None = None  # FIT files say it; GPX files do not


def refuse(message: str) -> ValidationFailed:
    """The error of a refused track file, on the form's file field ("gpx")."""
    return ValidationFailed({"gpx": message}, message)


def distance_along(coordinates: list[tuple[float, float]]) -> float:
    """Metres along (lat, lon) points, as gpxpy measures a GPX track."""
    return gpxpy.gpx.GPXTrackSegment(
        [gpxpy.gpx.GPXTrackPoint(lat, lon) for lat, lon in coordinates]).length_2d() or 0.0


def parse(data: bytes) -> Track:
    """The track in `data`; ValidationFailed (422, field "gpx") if it is not a usable GPX file."""
    if not data:
        raise refuse(N_("That file is empty."))
    if len(data) > MAX_GPX_BYTES:
        raise refuse(_l("Track files can be up to %(max)s MB.", max=MAX_GPX_BYTES // (1024 * 1024)))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refuse(NOT_A_TRACK) from error
    root = _safe_tree(data)
    try:
        gpx = gpxpy.gpxfield.gpx_fields_from_xml(gpxpy.gpx.GPX(), root, root.get("version"))
    except (gpxpy.gpx.GPXException, ValueError, TypeError, AttributeError) as error:
        raise refuse(UNREADABLE) from error
    points = [point for track in gpx.tracks for segment in track.segments for point in segment.points]
    if len(points) > MAX_POINTS:
        raise refuse(_l("That track has more than %(max)s points.", max=f"{MAX_POINTS:,}"))
    if len(points) < 2:
        raise refuse(N_("That GPX file has no track with at least two points."))
    if any(not (-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180) for p in points):
        raise refuse(N_("That GPX file has points outside the globe."))
    distance = gpx.length_2d() or 0.0
    moving = gpx.get_moving_data()
    moving_s = int(round(moving.moving_time)) if moving and moving.moving_time else 0
    has_elevation = any(p.elevation is not None for p in points)
    gain = int(round(gpx.get_uphill_downhill().uphill or 0)) if has_elevation else None
    start = gpx.get_time_bounds().start_time
    if start is not None:
        start = start.replace(tzinfo=timezone.utc) if start.tzinfo is None else start.astimezone(timezone.utc)
    return Track(distance_m=int(round(distance)), moving_s=moving_s, elevation_gain_m=gain,
                 started_at=start, route_points=route_points([(p.latitude, p.longitude) for p in points]))


def _safe_tree(data: bytes):
    """The document as an element tree with the GPX namespace taken off its
    tags (as gpxpy expects them), read by a parser that refuses any DTD:
    entity definitions have no place in GPX and are how XML bombs work.

    gpxpy gets this tree, never the text: its own parse would read the text
    again with lxml, after rewriting it (it cuts the first xmlns="..." it
    finds, wherever that is), and could then see a DOCTYPE this parser did
    not, in another encoding or in what was a comment or instruction here."""
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise refuse(N_("That GPX file declares a DTD or entities, which we do not accept.")) from error
    except (SafeElementTree.ParseError, ValueError) as error:  # ValueError: an encoding expat cannot read
        if b"<gpx" in data:  # only picks the message: a damaged export, or some other file
            raise refuse(UNREADABLE) from error
        raise refuse(NOT_A_TRACK) from error
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if name != "gpx":
        raise refuse(NOT_A_TRACK)
    if namespace:
        prefix = "{" + namespace + "}"
        for element in root.iter():
            if element.tag.startswith(prefix):
                element.tag = element.tag[len(prefix):]
    return root


def route_points(coordinates: list[tuple[float, float]]) -> str:
    """(lat, lon) pairs as "x,y x,y ..." inside the route's viewBox."""
    step = max(1, math.ceil(len(coordinates) / ROUTE_POINTS))
    sampled = coordinates[::step]
    if sampled[-1] != coordinates[-1]:
        sampled.append(coordinates[-1])
    mean_lat = math.radians(sum(lat for lat, _ in sampled) / len(sampled))
    xs = [lon * math.cos(mean_lat) for _, lon in sampled]
    ys = [-lat for lat, _ in sampled]
    span_x, span_y = (max(xs) - min(xs)) or 1e-9, (max(ys) - min(ys)) or 1e-9
    scale = min((ROUTE_WIDTH - 2 * ROUTE_PAD) / span_x, (ROUTE_HEIGHT - 2 * ROUTE_PAD) / span_y)
    # Centre the drawing in the box.
    off_x = (ROUTE_WIDTH - span_x * scale) / 2
    off_y = (ROUTE_HEIGHT - span_y * scale) / 2
    return " ".join(
        f"{off_x + (x - min(xs)) * scale:.1f},{off_y + (y - min(ys)) * scale:.1f}" for x, y in zip(xs, ys, strict=False)
    )
