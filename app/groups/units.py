"""Distances, durations, pace and speed: parsing what members type and
showing what we store.

Stored: integer metres and integer seconds. A mile is exactly 1,609.344 m
(the international mile); conversions use Decimal, never floats, and round
once, to the nearest metre, half up. Shown: two decimals. Because one metre
is far less than half of 0.01 mi (8.05 m) or of 0.01 km, any distance typed
with up to two decimals in either unit is shown back exactly as typed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.units import get_unit_name

from app.i18n import DEFAULT_LOCALE, current_locale

METRES_PER = {"km": Decimal(1000), "mi": Decimal("1609.344")}
UNIT_LABELS = {"km": "km", "mi": "mi"}
_CLDR_UNITS = {"km": "length-kilometer", "mi": "length-mile"}
_TWO = Decimal("0.01")
# Far past any distance or duration a person types (the services refuse much
# less), and below what Decimal's 28 digits turn into metres or seconds:
# "1e40" km made InvalidOperation, a 500 instead of "give a number".
_TOO_LARGE = Decimal(10) ** 12


def to_metres(value, unit: str = "km") -> int:
    """A distance in km or mi (number or numeric string) as whole metres."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return int((amount * METRES_PER[unit]).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_metres(metres: int | None, unit: str = "km") -> Decimal:
    """Metres in km or mi, rounded to two decimals (half up)."""
    return (Decimal(int(metres or 0)) / METRES_PER[unit]).quantize(_TWO, rounding=ROUND_HALF_UP)


def km(metres: int | None) -> float:
    """Metres as kilometres for JSON: exact to the metre (three decimals)."""
    return int(metres or 0) / 1000


def parse_decimal(raw) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < _TOO_LARGE else None


def unit_label(unit: str) -> str:
    """The unit after a figure as the reader writes it: CLDR's short name in
    their language ("كم" in Arabic, where "km" stood out in Latin letters);
    English keeps "km" and "mi" (CLDR's short English mile is "miles")."""
    locale = current_locale()
    if locale == DEFAULT_LOCALE or unit not in _CLDR_UNITS:
        return UNIT_LABELS.get(unit, unit)
    return get_unit_name(_CLDR_UNITS[unit], length="short", locale=locale) or UNIT_LABELS[unit]


def format_distance(metres: int | None, unit: str = "km", compact: bool = False) -> str:
    """ "12.50 km"; compact drops zero decimals: "25 km", "12.5 km"."""
    value = from_metres(metres, unit)
    text = f"{value}"
    if compact and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {unit_label(unit)}"


_DURATION = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})$")


def parse_duration(raw: str | None) -> int | None:
    """"45" (minutes), "45:30" (mm:ss) or "1:02:30" (h:mm:ss) as seconds; None if unreadable."""
    text = (raw or "").strip()
    if not text:
        return None
    match = _DURATION.match(text)
    if match:
        hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
        if seconds >= 60 or (match.group(1) and minutes >= 60):
            return None
        return hours * 3600 + minutes * 60 + seconds
    minutes = parse_decimal(text)
    if minutes is None or minutes < 0:
        return None
    return int((minutes * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pace_seconds(distance_m: int, duration_s: int, per_metres: Decimal) -> int | None:
    """Seconds per `per_metres` (a km, a mile, 100 m); None without distance."""
    if not distance_m:
        return None
    return int((Decimal(duration_s) * per_metres / Decimal(distance_m)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def speed(distance_m: int, duration_s: int, unit: str = "km") -> Decimal | None:
    """Average speed in km/h or mph, one decimal."""
    if not duration_s:
        return None
    per_hour = Decimal(distance_m) * 3600 / Decimal(duration_s) / METRES_PER[unit]
    return per_hour.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_pace(sport: str, distance_m: int, duration_s: int, unit: str = "km") -> str:
    """Pace for runs and walks (min/km or min/mi), speed for rides (km/h or
    mph), pace per 100 m for swims; "" when there is no distance."""
    if not distance_m or not duration_s:
        return ""
    if sport == "ride":
        return f"{speed(distance_m, duration_s, unit)} {'km/h' if unit == 'km' else 'mph'}"
    if sport == "swim":
        return f"{format_duration(pace_seconds(distance_m, duration_s, Decimal(100)))} /100 m"
    per = pace_seconds(distance_m, duration_s, METRES_PER[unit])
    return f"{format_duration(per)} /{unit_label(unit)}"
