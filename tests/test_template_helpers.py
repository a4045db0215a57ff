"""The time rule's server half: a zone's names by UTC offset for scripts,
and every page carrying the viewer's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from app.i18n import COOKIE
from app.template_helpers import localtime, zone_name, zone_names


def test_zone_names_by_offset_cover_summer_and_winter():
    assert zone_names("Australia/Sydney") == "600=AEST 660=AEDT"
    assert zone_names("America/Chicago") == "-360=CST -300=CDT"
    assert zone_names("Asia/Kathmandu") == "345=+0545"
    assert zone_names("UTC") == "0=UTC"


def test_pages_carry_the_viewers_zone(client, auth):
    assert 'data-timezone="UTC" data-zone-names="0=UTC"' in client.get("/").get_data(as_text=True)
    auth.as_role("member", timezone="Australia/Sydney")
    assert 'data-timezone="Australia/Sydney" data-zone-names="600=AEST 660=AEDT"' in \
        client.get("/").get_data(as_text=True)


def test_a_time_names_its_zone_and_a_date_alone_does_not():
    late_evening = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert localtime(late_evening, "%d %b, %H:%M", zone="Australia/Sydney") == "08 Dec, 10:30 AEDT"
    assert localtime(late_evening, "%d %b", zone="Australia/Sydney") == "08 Dec"  # the viewer's date, no "AEDT"


def test_a_numeric_zone_keeps_its_sign_in_front_on_a_right_to_left_page(app):
    evening = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    with app.app_context(), app.test_request_context("/", headers={"Cookie": f"{COOKIE}=ar"}):
        assert localtime(evening, "%H:%M", zone="Asia/Riyadh") == "19:00 \u2066+03\u2069"
        assert localtime(evening, "%H:%M", zone="Europe/London") == "16:00 GMT"  # a name in letters needs nothing
    with app.app_context(), app.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        assert localtime(evening, "%H:%M", zone="Asia/Riyadh") == "19:00 +03"


def test_a_zone_name_may_wrap_only_after_its_slashes():
    assert zone_name("America/Argentina/Buenos_Aires") == (
        '<span class="zone-name">America/<wbr>Argentina/<wbr>Buenos_Aires</span>')
    assert zone_name("UTC") == '<span class="zone-name">UTC</span>'
    assert zone_name("<b>") == '<span class="zone-name">&lt;b&gt;</span>'
