"""Community events: 2,000 calls, TweetMeets, webinars and meetups over the
last two years and the next six months, in their organisers' zones, with
co-hosts and RSVPs (a waitlist where places ran out)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.demo.community.words import EVENT_TITLES, SCHOOL_NAMES, TOPICS
from app.events.models import KINDS, Event, EventHost, Rsvp
from app.i18n import N_
from app.text import render_markdown


def seed_events(world) -> None:
    rng, load, now = world.rng, world.load, world.now
    events, hosts, rsvps = [], [], []
    kinds = list(KINDS)
    descriptions = {}
    for event_id in load.ids(Event.__table__, world.count("events")):
        organiser = world.popular_member()
        zone = world.zone(organiser)
        kind = rng.choice(kinds)
        subject = rng.choice(list(TOPICS))
        title = rng.choice(EVENT_TITLES).format(topic=rng.choice(TOPICS[subject]),
                                                subject=subject.replace("-", " "))
        day = (now + timedelta(days=rng.uniform(-730, 180))).astimezone(ZoneInfo(zone)).date()
        starts = datetime.combine(day, time(rng.choice((9, 12, 16, 18, 19)), rng.choice((0, 30))),
                                  tzinfo=ZoneInfo(zone))
        duration = rng.choice((30, 45, 60, 60, 90, 120))
        in_person = kind == "meetup"
        if kind not in descriptions:
            md = (f"Join educators from around the world for a {KINDS[kind].lower()}. **Bring a question** and "
                  f"something that worked in your classroom.")
            descriptions[kind] = (md, render_markdown(md))
        md, html = descriptions[kind]
        country = world.country(organiser)
        cancelled = rng.random() < 0.03
        created = starts - timedelta(days=rng.uniform(7, 60))
        events.append({
            "id": event_id, "organiser_id": organiser, "kind": kind, "title": title[0].upper() + title[1:],
            "description_md": md, "description_html": html, "starts_at": starts,
            "ends_at": starts + timedelta(minutes=duration), "duration_min": duration, "timezone": zone,
            "hashtag": f"Edu{subject.title().replace('-', '')}" if kind == "tweetmeet" else None,
            "is_online": not in_person, "location": f"{rng.choice(SCHOOL_NAMES)} library" if in_person else None,
            "meeting_url": None if in_person else f"https://meet.example.org/staffroom-{event_id}",
            "city": "Capital city" if in_person else None, "country": country if in_person else None,
            "capacity": rng.choice((10, 20, 30, 50)) if rng.random() < 0.3 else None,
            "status": "cancelled" if cancelled else "published",
            "visibility": "members" if rng.random() < 0.2 else "public", "always_open": False, "sequence": 0,
            "slow_mode_seconds": 0, "created_at": min(created, now), "updated_at": min(created, now),
            "cancelled_at": min(now, starts - timedelta(days=1)) if cancelled else None,
        })
        going = []
        if rng.random() < 0.2:
            cohost = world.member()
            if cohost != organiser:
                hosts.append({"event_id": event_id, "user_id": cohost, "position": 0})
                going.append(cohost)
                world.notify(cohost, "event_host", N_("%(name)s made you a host of “%(title)s”."),
                             {"name": world.names[organiser], "title": events[-1]["title"]},
                             f"/events/{event_id}", organiser, events[-1]["created_at"], None)
        wanted = int(rng.paretovariate(1.2) * 8)
        going += [user_id for user_id in {world.member() for _ in range(wanted)} if user_id not in going]
        capacity = events[-1]["capacity"]
        answers = sorted(min(now, created + (starts - created) * rng.random()) for _ in going)
        for place, (user_id, answered) in enumerate(zip(going, answers, strict=True)):
            full = capacity is not None and place >= capacity
            rsvps.append({"event_id": event_id, "user_id": user_id, "status": "waitlisted" if full else "going",
                          "created_at": answered, "updated_at": answered})
    for rsvp_id, row in zip(load.ids(Rsvp.__table__, len(rsvps)), rsvps, strict=True):
        row["id"] = rsvp_id
    load.write(Event.__table__, events)
    load.write(EventHost.__table__, hosts)
    load.write(Rsvp.__table__, rsvps)
