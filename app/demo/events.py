"""Demo events: a drop-in connection call that is always live, a TweetMeet
next week with its questions ready, last month's TweetMeet with its archive,
a meetup in London, and a science call every month on the second Tuesday
(a series).

The open call is a drop-in room (`always_open`): a room that is open around
the clock, so whoever runs `make run`, today or in a year, finds a working
room at once. Every other demo event is placed relative to the day the demo
data is loaded, so after a few weeks "next week" is in the past: run
`flask seed-demo --force` on a fresh database to move them again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from app.db_types import utcnow
from app.events import chat, qa, reminders, series, services, tweetmeet
from app.events import rsvp as rsvps
from app.extensions import db

NEXT_QUESTIONS = [
    (5, "What does good feedback look like in your classroom?"),
    (15, "How do you make time for students to act on feedback?"),
    (30, "Which tool helps you most with feedback at scale?"),
    (45, "One thing you will try next week?"),
]
PAST_QUESTIONS = [
    (5, "How do you bring the wider world into your lessons?"),
    (20, "What makes a video call with another school work well?"),
    (40, "Which global project would you love to join?"),
]
PAST_ANSWERS = [
    (1, "amira_h", "A1 A guest native English speaker joins my Year 9 class once a month."),
    (1, "rafael_s", "A1 Virtual field trips with 3D maps: rivers from source to mouth."),
    (1, "wanjiru_k", "A1 We compare running data with a school in Sydney. Hi @emma_c!"),
    (2, "sofia_g", "A2 Students prepare three questions each, and we agree turn taking first."),
    (2, "yuki_t", "A2 Keep it short: thirty minutes, then a thank-you card."),
    (3, "chidi_o", "A3 Physics on a shoestring: experiments with everyday materials, shared across countries."),
    (3, "claire_d", "A3 A chemistry lab diary written together with a class in Baku."),
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.utc)


def _open_call(users: dict) -> None:
    admin = users["staffroom_admin"]
    event = services.create_event(
        admin, title="Staffroom open connection call", kind="connection_call", always_open=True,
        starts_at=utcnow() + timedelta(minutes=1), duration_min=60, timezone="Europe/London",
        hosts=["gary_w", "amira_h"], hashtag="StaffroomCall",
        description="Drop in any time: share an update, celebrate a colleague's work, or ask the "
                    "community a question. Hosts look in every day.\n\nThis room never closes.",
    )
    for username, body in [("gary_w", "Welcome to the open call! Say hello and where you teach."),
                           ("amira_h", "Marhaba from Riyadh. My Year 9s loved last week's guest speaker call."),
                           ("priya_n", "Our coding club showcase is on Friday: see https://example.org/showcase")]:
        chat.post_message(event, users[username], body)
    question = qa.ask(event, users["jordan_t"], "How do you keep a connection call to one hour?")
    qa.upvote(event, users["leyla_m"], question.id)


def _next_tweetmeet(users: dict) -> None:
    host = users["jordan_t"]
    event = services.create_event(
        host, title="TweetMeet: feedback that moves learning forward", kind="tweetmeet",
        starts_at=_at(utcnow().date() + timedelta(days=7), 17), duration_min=60, timezone="America/Chicago",
        hosts=["amira_h", "leyla_m", "priya_n"], hashtag="StaffroomChat", capacity=None,
        description="A one-hour chat on feedback, led by hosts from four countries. Questions come "
                    "every few minutes as **Q1, Q2…**; answer with **A1, A2…**",
    )
    for offset, body in NEXT_QUESTIONS:
        tweetmeet.add_question(event, host, body, offset)
    for username in ("gary_w", "sofia_g", "chidi_o", "emma_c"):
        rsvps.rsvp(event, users[username])


def _past_tweetmeet(users: dict) -> None:
    host = users["amira_h"]
    event = services.create_event(
        host, title="TweetMeet: the global classroom", kind="tweetmeet", starts_at=utcnow() + timedelta(days=1),
        duration_min=60, timezone="Asia/Riyadh", hosts=["rafael_s", "wanjiru_k"], hashtag="GlobalClassroom",
        description="How classes in different countries learn together.",
    )
    for offset, body in PAST_QUESTIONS:
        tweetmeet.add_question(event, host, body, offset)
    event.starts_at = _at(utcnow().date() - timedelta(days=21), 16)
    event.ends_at = event.starts_at + timedelta(minutes=event.duration_min)
    db.session.commit()
    for number, (offset, _) in enumerate(PAST_QUESTIONS, start=1):
        when = event.starts_at + timedelta(minutes=offset)
        tweetmeet.post_due(event, when)
        for minute, (_answer_to, username, body) in enumerate(a for a in PAST_ANSWERS if a[0] == number):
            chat.post_message(event, users[username], body, now=when + timedelta(minutes=2 + minute * 2))
    chat.post_message(event, users["gary_w"], "Thank you all, what a great hour!",
                      now=event.starts_at + timedelta(minutes=58))
    reminders.index_transcripts()


def _london_meetup(users: dict) -> None:
    organiser = users["gary_w"]
    event = services.create_event(
        organiser, title="Staffroom meetup at the London education show", kind="meetup", is_online=False,
        location="ExCeL London, stand N20", city="London", country="GB", capacity=6,
        starts_at=_at(utcnow().date() + timedelta(days=45), 13), duration_min=90, timezone="Europe/London",
        hosts=["claire_d"], hashtag="StaffroomLondon",
        description="Meet the community in person: coffee, a showcase of members' projects, and the "
                    "expert educators of this year's cohort. Places are limited.",
    )
    for username in ("amira_h", "leyla_m", "jordan_t", "priya_n", "rafael_s", "chidi_o", "yuki_t", "emma_c"):
        rsvps.rsvp(event, users[username])


def _second_tuesday_after(day: date) -> date:
    """The second Tuesday of the month after `day` (a date)."""
    first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def _science_series(users: dict) -> None:
    """A series: every month on the second Tuesday at 18:00 in Paris, a year of dates."""
    organiser = users["claire_d"]
    event = services.create_event(
        organiser, title="Science teachers' monthly call", kind="connection_call", duration_min=60,
        local_start=datetime.combine(_second_tuesday_after(utcnow().date()), time(18, 0)), timezone="Europe/Paris",
        hosts=["chidi_o"], hashtag="ScienceCall", rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=12",
        description="One hour, once a month: a practical you tried, a question for colleagues, "
                    "and a short guest slot. Come to one date or to every date.",
    )
    series.rsvp_series(event.series, users["wanjiru_k"])
    rsvps.rsvp(event, users["jordan_t"])


def seed_events(context: dict, echo) -> None:
    users = context["users"]
    _open_call(users)
    _next_tweetmeet(users)
    _past_tweetmeet(users)
    _london_meetup(users)
    _science_series(users)
    echo("Demo events: an open connection call (always live), a TweetMeet next week, "
         "last month's TweetMeet archive, a meetup in London and a monthly science call.")
