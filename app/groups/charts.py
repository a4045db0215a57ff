"""The geometry of the weekly-totals bar chart, drawn as inline SVG by the
template (no script, no style attributes: CSP allows neither)."""

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


def weekly_bars(weeks, unit: str) -> dict:
    values = [units.from_metres(week.distance_m, unit) for week in weeks]
    top = _nice_ceiling(max(values, default=Decimal(0)))
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
        })
    ticks = [{"y": (TOP + inner_h - Decimal(inner_h) * fraction).quantize(Decimal("0.1")),
              "value": format(float(top * fraction), "g")} for fraction in (Decimal(0), Decimal("0.5"), Decimal(1))]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "ticks": ticks, "left": LEFT,
            "right": WIDTH - RIGHT, "baseline": TOP + inner_h, "label_y": HEIGHT - 14, "unit": unit}
