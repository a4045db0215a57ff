"""Demo programmes: seven years of expert cohorts with a published list
across several countries (Gary is in his seventh year), next year's cohort
taking nominations now, schools at every stage of the showcase path, and a
few requests on the collaboration board.

Dates are placed relative to the day the demo is loaded, so the open
window is open and the last cohort announced whenever `make run` runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.db_types import utcnow
from app.extensions import db
from app.programmes import announcements, applications, collaborate, experts, reviews, schools, services
from app.programmes.geo import CITIES
from app.programmes.models import Application

QUESTIONS = [
    {"text": "How has technology changed learning in your classroom this year?",
     "help": "Give one concrete example and what your students did differently.", "max_length": 2000},
    {"text": "How do you share what you learn with colleagues, in your school and beyond?",
     "help": "Training you led, resources you shared, communities you run.", "max_length": 1500},
    {"text": "What would you like to do as an expert next year?", "help": "", "max_length": 1000},
    {"text": "Anything else the reviewers should know?", "help": "", "required": False, "max_length": 800},
]
# username -> how many of the last seven cohorts accepted them (the latest ones)
EXPERT_YEARS = {"gary_w": 7, "priya_n": 4, "amira_h": 3, "leyla_m": 2, "jordan_t": 2, "chidi_o": 1,
                "rafael_s": 1, "wanjiru_k": 1, "claire_d": 5}
OUTCOMES_LAST_YEAR = {"emma_c": "declined", "yuki_t": "waitlisted"}
CHECKLIST = [
    ("A shared vision for learning with technology", "Written with staff, students and families."),
    ("A professional development plan", "Every teacher has time and support to learn."),
    ("Evidence of improved outcomes", "Attainment, attendance or engagement, before and after."),
    ("Technology for every learner", "Devices and accessibility tools that reach every pupil."),
]
SCHOOLS = [
    # name, city key, leader, stage: showcase / applied / ticked (items ticked) / new
    ("Ravenswood Academy", "london", "gary_w", "showcase"),
    ("Lycée Victor Hugo", "paris", "claire_d", "showcase"),
    ("Vidya Niketan School", "kochi", "priya_n", "showcase"),
    ("Al Noor International School", "riyadh", "amira_h", "applied"),
    ("Thames Valley Primary", "reading", "jordan_t", "ticked:3"),
    ("Baku Lyceum No. 6", "baku", "leyla_m", "ticked:2"),
    ("Northern Quarter School", "manchester", "gary_w", "ticked:1"),
    ("Harbourside Primary", "sydney", "emma_c", "new"),
    ("Old Town High School", "edinburgh", "claire_d", "new"),
]


def _school_year_start(now: datetime) -> int:
    return now.year if now.month >= 8 else now.year - 1


def _cohort(admin, start: int, questions, *, announce_at: datetime, opens_at: datetime, closes_at: datetime):
    return services.create_cohort(
        admin, school_year=f"{start}-{start + 1}", questions=questions,
        description="Educators who use technology to change learning, and help colleagues do the same.",
        nominations_open_at=opens_at, nominations_close_at=closes_at,
        review_starts_at=closes_at + timedelta(days=1), review_ends_at=announce_at - timedelta(days=7),
        announce_at=announce_at)


def _seed_cohorts(users: dict, now: datetime) -> dict:
    admin = users["staffroom_admin"]
    current = _school_year_start(now)
    made = []
    for start in range(current - 6, current + 1):
        announce = datetime(start, 7, 20, 9, 0, tzinfo=timezone.utc)
        cohort = _cohort(admin, start, QUESTIONS if start == current else QUESTIONS[:1], announce_at=announce,
                         opens_at=announce - timedelta(days=200), closes_at=announce - timedelta(days=120))
        cohort.announced_at = announce  # the past: its applicants were told long ago
        made.append(cohort)
    for username, years in EXPERT_YEARS.items():
        for cohort in made[-years:]:
            _decided(cohort, users[username], "accepted")
    for username, outcome in OUTCOMES_LAST_YEAR.items():
        _decided(made[-1], users[username], outcome)
    db.session.commit()
    opening = now - timedelta(days=7)
    open_cohort = _cohort(admin, current + 1, QUESTIONS, opens_at=opening, closes_at=now + timedelta(days=45),
                          announce_at=now + timedelta(days=120))
    for username, region in (("leyla_m", "europe"), ("chidi_o", "africa"), ("jordan_t", "americas"),
                             ("priya_n", "asia"), ("emma_c", "oceania")):
        reviews.assign(admin, open_cohort, users[username], region=region)
    draft = applications.start(open_cohort, users["wanjiru_k"], now=now)
    first = open_cohort.questions[0]
    applications.save_answers(draft, users["wanjiru_k"], {first.id: applications.FieldSave(
        "Our running club logs every lap in a shared spreadsheet; Year 10 turned it into a statistics project.",
        0)}, now=now)
    return {"past": made, "open": open_cohort}


def _decided(cohort, user, decision: str) -> None:
    submitted = cohort.announce_at - timedelta(days=130)
    db.session.add(Application(cohort_id=cohort.id, user_id=user.id, status="submitted", country=user.country,
                               school=user.school, decision=decision, decided_at=submitted + timedelta(days=40),
                               submitted_at=submitted, created_at=submitted, updated_at=submitted))


def _seed_schools(users: dict, now: datetime) -> None:
    admin = users["staffroom_admin"]
    items = [schools.save_checklist_item(admin, title=title, description=text) for title, text in CHECKLIST]
    # Named as an admin would name them ("May 2026"): pages put the name in sentences.
    past, _current, _next = (
        schools.add_window(admin, name=f"{opens:%B %Y}", opens_at=opens, closes_at=opens + timedelta(days=30))
        for opens in (now - timedelta(days=200), now - timedelta(days=10), now + timedelta(days=170)))
    for name, city_key, leader, stage in SCHOOLS:
        city, country, lat, lon = CITIES[city_key]
        joined = now - timedelta(days=400 if stage in ("showcase", "applied") else 90)
        school = schools.create_school(users[leader], now=joined, name=name, country=country, city=city,
                                       latitude=lat, longitude=lon, website=None,
                                       description=f"A school in {city} on the showcase path.")
        ticked = len(items) if stage in ("showcase", "applied") else int(stage.split(":")[1]) if ":" in stage else 0
        for item in items[:ticked]:
            schools.tick(school, users[leader], item.id, now=joined + timedelta(days=30),
                         evidence=f"{item.title}: agreed by staff and governors, reviewed each term.")
        if stage == "showcase":
            applied = schools.apply(school, users[leader], "Every item is in place and we host visits monthly.",
                                    now=past.opens_at + timedelta(days=2))
            schools.decide(admin, applied.id, True, now=past.closes_at + timedelta(days=5))
        elif stage == "applied":
            schools.apply(school, users[leader], "We are ready: a year of evidence on our checklist.", now=now)


def _seed_board(users: dict) -> None:
    guest = collaborate.create_request(
        users["amira_h"], title="A guest native English speaker for my Year 9 class, 30 minutes by video",
        body="We are reading *Holes*. Students prepare questions about school life in your country.",
        subject="english", age_range="11-14", language="en", weekdays=[0, 1, 2, 3], start_minute=10 * 60,
        end_minute=13 * 60, timezone="Asia/Riyadh")
    collaborate.create_request(
        users["leyla_m"], title="Exchange on teachers' professional development",
        body="How do you plan PD time across a school year? Happy to share our coaching model.",
        subject="leadership", age_range="18+", language="en", weekdays=[0, 2, 4], start_minute=14 * 60,
        end_minute=17 * 60, timezone="Asia/Baku")
    collaborate.create_request(
        users["sofia_g"], title="Una clase hermana para proyectos de ciudadanía global",
        subject="citizenship", age_range="11-14", language="es", weekdays=[1, 3], start_minute=9 * 60,
        end_minute=11 * 60, timezone="America/Mexico_City")
    for username, languages in (("gary_w", ["en"]), ("claire_d", ["fr", "en"]), ("jordan_t", ["en", "es"])):
        collaborate.set_availability(users[username], languages=languages, weekdays=[0, 1, 2, 3, 4],
                                     start_minute=8 * 60, end_minute=16 * 60)
    collaborate.offer_help(guest, users["gary_w"], "Happy to join! My Year 9s could ask yours questions too.")


def seed_programmes(context: dict, echo) -> None:
    users = context["users"]
    now = utcnow()
    cohorts = _seed_cohorts(users, now)
    latest = cohorts["past"][-1]
    for title, body in (
        ("Preview: the new reading coach", "Try it with one class before it launches, and tell us what to fix."),
        ("Experts' summit dates", "Save the dates; the agenda follows next month."),
    ):
        announcements.post(users["staffroom_admin"], title=title, body=body, now=now)
    experts.add_certification(users["gary_w"], name="Certified Innovative Educator", issuer="EdTech Institute",
                              year=latest.announce_at.year - 2)
    _seed_schools(users, now)
    _seed_board(users)
    echo(f"Demo programmes: {len(cohorts['past'])} announced cohorts (list: /programmes/experts/"
         f"{latest.school_year}), {cohorts['open'].school_year} nominations open, "
         f"{len(SCHOOLS)} schools, 3 collaboration requests.")
