"""Miles and kilometres convert exactly: integer metres, the exact
international mile (1,609.344 m), Decimal arithmetic, one rounding."""

from __future__ import annotations

from decimal import Decimal

from app.groups import units


def test_a_mile_is_exactly_1609_344_metres():
    assert units.METRES_PER["mi"] == Decimal("1609.344")
    assert units.to_metres("1", "mi") == 1609
    assert units.to_metres("100", "mi") == 160_934  # 160,934.4 m
    assert units.to_metres("26.2", "mi") == 42_165  # a marathon in miles: 42,164.8128 m
    assert units.to_metres("42.195", "km") == 42_195
    assert units.to_metres(Decimal("0.5"), "km") == 500


def test_every_distance_typed_with_two_decimals_reads_back_exactly_in_both_units():
    for hundredths in range(0, 50_001):  # 0.00 to 500.00
        typed = Decimal(hundredths) / 100
        for unit in ("km", "mi"):
            assert units.from_metres(units.to_metres(typed, unit), unit) == typed, (typed, unit)


def test_km_and_miles_of_the_same_stored_distance():
    assert units.format_distance(10_000, "km") == "10.00 km"
    assert units.format_distance(10_000, "mi") == "6.21 mi"
    assert units.format_distance(16_093, "mi") == "10.00 mi"
    assert units.format_distance(25_000, "km", compact=True) == "25 km"
    assert units.format_distance(12_500, "km", compact=True) == "12.5 km"
    assert units.km(12_345) == 12.345


def test_pace_for_runs_and_walks_speed_for_rides():
    assert units.format_pace("run", 10_000, 3000, "km") == "5:00 /km"
    assert units.format_pace("run", 16_093, 3000, "mi") == "5:00 /mi"  # 10 miles in 50 minutes
    assert units.format_pace("walk", 5000, 3600, "km") == "12:00 /km"
    assert units.format_pace("ride", 30_000, 3600, "km") == "30.0 km/h"
    assert units.format_pace("ride", 30_000, 3600, "mi") == "18.6 mph"
    assert units.format_pace("swim", 1500, 1800, "km") == "2:00 /100 m"
    assert units.format_pace("run", 0, 600, "km") == ""


def test_durations_are_read_as_a_person_types_them():
    assert units.parse_duration("45") == 2700
    assert units.parse_duration("45:30") == 2730
    assert units.parse_duration("1:02:30") == 3750
    assert units.parse_duration("27.5") == 1650
    for bad in ("", "abc", "1:75:00", "10:99", "-5", "1e40"):
        assert units.parse_duration(bad) is None, bad
    assert units.format_duration(3750) == "1:02:30" and units.format_duration(2730) == "45:30"


def test_numbers_too_large_to_store_are_not_numbers_a_person_typed():
    assert units.parse_decimal("42.195") == Decimal("42.195")
    assert units.parse_decimal("99999999999") == Decimal("99999999999")
    for bad in ("1e40", "1e12", "-1e40", "1" + "0" * 40, "inf", "nan"):
        assert units.parse_decimal(bad) is None, bad
