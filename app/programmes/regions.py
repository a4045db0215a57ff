"""World regions for reviewer assignment ("all of Europe"), derived from the
tz database's zone.tab (shipped by the tzdata package): a country belongs to
the region of its first listed zone, with a few ocean islands placed by hand.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from app.i18n import N_

REGIONS = {
    "africa": N_("Africa"),
    "americas": N_("The Americas"),
    "asia": N_("Asia and the Middle East"),
    "europe": N_("Europe"),
    "oceania": N_("Oceania"),
}
_BY_AREA = {"Africa": "africa", "America": "americas", "Asia": "asia", "Europe": "europe",
            "Australia": "oceania", "Pacific": "oceania", "Atlantic": "europe", "Indian": "africa",
            "Arctic": "europe"}
_OVERRIDES = {"CV": "africa", "SH": "africa", "BM": "americas", "FK": "americas", "GS": "americas",
              "MV": "asia", "IO": "asia", "CX": "oceania", "CC": "oceania"}


@lru_cache(maxsize=1)
def _country_regions() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _, zone = line.split("\t")[:3]
        area = zone.split("/", 1)[0]
        if code not in table and area in _BY_AREA:
            table[code] = _BY_AREA[area]
    table.update(_OVERRIDES)
    return table


def region_of(country: str | None) -> str | None:
    return _country_regions().get((country or "").upper())


def countries_in(region: str) -> list[str]:
    return sorted(code for code, name in _country_regions().items() if name == region)
