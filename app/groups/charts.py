"""The geometry of the weekly-totals bar chart, drawn as inline SVG by the
template (no script, no style attributes: CSP allows neither), with the
weekly goal as a dashed line when there is one."""

from __future__ import annotations

from decimal import Decimal

from app.groups import units

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36


def _nice_ceiling(value: Decimal) -> Decimal:
    """A round axis maximum at or above `value` (1, 2, 5 times a power of ten)."""
    if value <= 0:
        return Decimal(10)
    power = Decimal(1)
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _goal(goal_m: int | None, unit: str, top: Decimal, inner_h: int, values: list[Decimal]) -> dict | None:
    """The dashed goal line: where it goes, its label, and how many weeks reached it."""
    if not goal_m:
        return None
    value = units.from_metres(goal_m, unit)
    return {"y": (TOP + inner_h - Decimal(inner_h) * value / top).quantize(Decimal("0.1")),
            "value": value, "amount": f"{format(float(value), 'g')} {unit}",
            "label": f"Goal {format(float(value), 'g')} {unit}",
            "met": sum(1 for v in values if v >= value)}


def weekly_bars(weeks, unit: str, goal_m: int | None = None) -> dict:
    """Bars for `weeks` (oldest first) in `unit`; the axis reaches the goal too."""
    values = [units.from_metres(week.distance_m, unit) for week in weeks]
    goal_value = units.from_metres(goal_m, unit) if goal_m else Decimal(0)
    top = _nice_ceiling(max([*values, goal_value], default=Decimal(0)))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = Decimal(inner_w) / max(1, len(weeks))
    bars = []
    for index, (week, value) in enumerate(zip(weeks, values, strict=False)):
        height = (Decimal(inner_h) * value / top).quantize(Decimal("0.1"))
        bars.append({
            "x": (LEFT + slot * index + slot * Decimal("0.15")).quantize(Decimal("0.1")),
            "y": (TOP + inner_h - height).quantize(Decimal("0.1")),
            "width": (slot * Decimal("0.7")).quantize(Decimal("0.1")),
            "height": height,
            "label_x": (LEFT + slot * index + slot / 2).quantize(Decimal("0.1")),
            "label": f"{week.first_day:%d %b}",
            "value": value,
            "week": week,
            "met": bool(goal_m) and value >= goal_value,
        })
    ticks = [{"y": (TOP + inner_h - Decimal(inner_h) * fraction).quantize(Decimal("0.1")),
              "value": format(float(top * fraction), "g")} for fraction in (Decimal(0), Decimal("0.5"), Decimal(1))]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "ticks": ticks, "left": LEFT,
            "right": WIDTH - RIGHT, "baseline": TOP + inner_h, "label_y": HEIGHT - 14, "unit": unit,
            "goal": _goal(goal_m, unit, top, inner_h, values)}
