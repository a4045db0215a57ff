"""The route map: the track's polyline (projected at upload by
`gpx.route_points`) over a light grid, with distance marks along it in the
viewer's unit, start and finish markers and a scale bar. The template draws
it as inline SVG: no map tiles, nothing from another host, no script.

The polyline was projected with one scale for both axes, so a length along
it is proportional to the distance covered: the activity's distance over
the polyline's length gives metres per unit of the viewBox (a thinned track
cuts a few corners, so the marks are close, not surveyed)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.groups import units
from app.groups.gpx import ROUTE_HEIGHT, ROUTE_WIDTH

GRID = 25  # viewBox units between grid lines
MARK_STEPS = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)  # in km or mi
MAX_MARKS = 8
SCALE_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)
SCALE_AT_MOST = ROUTE_WIDTH / 3  # the scale bar's longest length


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str  # "1", "2" ... in the map's unit


def _points(text: str | None) -> list[tuple[float, float]]:
    points = []
    for pair in (text or "").split():
        x, _, y = pair.partition(",")
        try:
            points.append((float(x), float(y)))
        except ValueError:
            continue
    return points


def _label(value: float) -> str:
    return f"{value:g}"


def _marks(points, lengths, every_units: float) -> list[Mark]:
    """A mark each `every_units` viewBox units along the polyline (not at its very end)."""
    marks, walked, target, count = [], 0.0, every_units, 1
    for (x1, y1), (x2, y2), length in zip(points, points[1:], lengths, strict=False):
        while length and walked + length >= target:
            share = (target - walked) / length
            marks.append((x1 + (x2 - x1) * share, y1 + (y2 - y1) * share, count))
            count += 1
            target += every_units
        walked += length
    return marks


def route_map(points_text: str | None, distance_m: int, unit: str) -> dict | None:
    """What the template needs to draw the map, or None without a route."""
    points = _points(points_text)
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:], strict=False)]
    drawn = sum(lengths)
    if len(points) < 2 or drawn <= 0:
        return None
    unit_m = float(units.METRES_PER[unit])
    per_unit = distance_m / unit_m / drawn  # km (or mi) per viewBox unit
    total = distance_m / unit_m
    step = next((s for s in MARK_STEPS if total / s <= MAX_MARKS), MARK_STEPS[-1])
    marks = [Mark(round(x, 1), round(y, 1), _label(count * step))
             for x, y, count in _marks(points, lengths, step / per_unit)
             if count * step < total - step / 4]  # none crowding the finish
    scale = max((s for s in SCALE_STEPS if s / per_unit <= SCALE_AT_MOST), default=None)
    return {
        "width": ROUTE_WIDTH, "height": ROUTE_HEIGHT, "points": points_text,
        "grid_x": list(range(GRID, ROUTE_WIDTH, GRID)), "grid_y": list(range(GRID, ROUTE_HEIGHT, GRID)),
        "start": points[0], "finish": points[-1], "marks": marks, "every": _label(step), "unit": unit,
        "scale": ({"label": f"{_label(scale)} {units.unit_label(unit)}", "length": round(scale / per_unit, 1)}
                  if scale else None),
        "loop": math.dist(points[0], points[-1]) < 6,
    }
