"""Add-to-calendar links (app/calendar_links.py): exact addresses, every
value percent-encoded, times in UTC, plain-text details ending with the page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from app import calendar_links
from app.calendar_links import CalendarEntry

RIYADH = timezone(timedelta(hours=3))
ENTRY = CalendarEntry(
    title="Maths & more: 50% off? #EduChat",
    starts_at=datetime(2027, 2, 3, 17, 30, tzinfo=RIYADH),
    ends_at=datetime(2027, 2, 3, 18, 30, tzinfo=RIYADH),
    details="Bring one exit ticket.\nSlides (https://slides.example/deck?a=1&b=2).",
    location="https://staffroom.example/events/7",
    url="https://staffroom.example/events/7",
)
DETAILS = ("Bring%20one%20exit%20ticket.%0ASlides%20%28https%3A%2F%2Fslides.example%2Fdeck%3Fa%3D1%26b%3D2%29."
           "%0A%0Ahttps%3A%2F%2Fstaffroom.example%2Fevents%2F7")
PLACE = "https%3A%2F%2Fstaffroom.example%2Fevents%2F7"


def test_google_calendar():
    assert calendar_links.google(ENTRY) == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        "&text=Maths%20%26%20more%3A%2050%25%20off%3F%20%23EduChat"
        "&dates=20270203T143000Z%2F20270203T153000Z"
        f"&details={DETAILS}&location={PLACE}")


def test_outlook_personal_and_work():
    query = ("?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent"
             "&subject=Maths%20%26%20more%3A%2050%25%20off%3F%20%23EduChat"
             "&startdt=2027-02-03T14%3A30%3A00Z&enddt=2027-02-03T15%3A30%3A00Z"
             f"&body={DETAILS}&location={PLACE}")
    assert calendar_links.outlook(ENTRY) == "https://outlook.live.com/calendar/0/deeplink/compose" + query
    assert calendar_links.outlook(ENTRY, work=True) == \
        "https://outlook.office.com/calendar/0/deeplink/compose" + query
    assert set(calendar_links.all_links(ENTRY)) == {"google", "outlook", "outlook_work"}


def test_values_read_back_exactly():
    text = "Ünïcode ✓ quotes \"x\" <b>not html</b> + plus"
    entry = CalendarEntry(text, ENTRY.starts_at, ENTRY.ends_at, text, "ExCeL, London, GB", ENTRY.url)
    query = parse_qs(urlsplit(calendar_links.google(entry)).query)
    assert query["text"] == [text] and query["location"] == ["ExCeL, London, GB"]
    assert query["details"] == [f"{text}\n\n{ENTRY.url}"]
    assert "+" not in urlsplit(calendar_links.outlook(entry)).query  # spaces are %20, a plus is %2B


def test_long_details_are_cut_at_a_word_and_keep_the_page():
    entry = CalendarEntry("T", ENTRY.starts_at, ENTRY.ends_at, "word " * 400, "", ENTRY.url)
    details = calendar_links.details(entry)
    body, page = details.rsplit("\n\n", 1)
    assert page == ENTRY.url and body.endswith("word …") and len(body) <= calendar_links.MAX_DETAILS + 2
    empty = CalendarEntry("T", ENTRY.starts_at, ENTRY.ends_at, "  ", "", ENTRY.url)
    assert calendar_links.details(empty) == ENTRY.url
