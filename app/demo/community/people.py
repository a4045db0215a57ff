"""Community members: 10,000 educators in 100 countries, with subjects, age
ranges, schools, zones, site languages, the languages they speak, and follows."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from app.accounts import services as accounts
from app.accounts.models import User, UserAgeRange, UserSubject
from app.demo.community.words import COUNTRIES, FIRST_NAMES, LAST_NAMES, SCHOOL_KINDS, SCHOOL_NAMES, SPOKEN
from app.demo.people import MEMBER_PASSWORD
from app.people.models import Follow, PeopleSettings
from app.vocabulary import AGE_RANGES, SUBJECTS


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _country(rng, number: int) -> tuple:
    """Every country has members (the first 200 go round them all); after
    that half are spread evenly and half crowd into the first countries."""
    if number < 2 * len(COUNTRIES) or rng.random() < 0.5:
        return COUNTRIES[number % len(COUNTRIES)] if number < 2 * len(COUNTRIES) else rng.choice(COUNTRIES)
    return COUNTRIES[min(int(rng.paretovariate(1.2)) - 1, len(COUNTRIES) - 1)]


def seed_members(world) -> None:
    rng, load, now = world.rng, world.load, world.now
    count = world.count("members")
    password_hash = accounts.hash_password(MEMBER_PASSWORD)  # once: the same password for every member
    subjects, ages = list(SUBJECTS), list(AGE_RANGES)
    users, subject_rows, age_rows, settings = [], [], [], []
    for number, user_id in enumerate(load.ids(User.__table__, count)):
        # Every country has members; a few have many more.
        code, zone, locale = _country(rng, number)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"{_ascii(first)}_{_ascii(last)}{user_id}"[:30]
        created = now - timedelta(days=rng.uniform(1, 730))
        users.append({
            "id": user_id, "username": username, "email": f"{username}@community.example",
            "password_hash": password_hash, "display_name": f"{first} {last}", "role": "member",
            "country": code, "school": f"{rng.choice(SCHOOL_NAMES)} {rng.choice(SCHOOL_KINDS)}",
            "timezone": zone, "locale": locale if rng.random() < 0.7 else None, "bio_md": "", "bio_html": "",
            "auth_version": 1, "email_verified_at": created, "created_at": created,
            "last_seen_at": max(created, now - timedelta(hours=rng.uniform(0, 24 * 60))),
        })
        for subject in rng.sample(subjects, rng.choice((1, 1, 2, 2, 3))):
            subject_rows.append({"user_id": user_id, "subject": subject})
        for age in rng.sample(ages, rng.choice((1, 2, 2, 3))):
            age_rows.append({"user_id": user_id, "age_range": age})
        spoken = SPOKEN[locale][:rng.randint(1, len(SPOKEN[locale]))]
        settings.append({"user_id": user_id, "directory_visible": rng.random() < 0.95,
                         "languages": f",{','.join(spoken)},", "digest": "none"})
    load.write(User.__table__, users)
    load.write(UserSubject.__table__, subject_rows)
    load.write(UserAgeRange.__table__, age_rows)
    load.write(PeopleSettings.__table__, settings)
    world.members_ready(users)
    world.usernames.update((row["id"], row["username"]) for row in users)
    world.names.update((row["id"], row["display_name"]) for row in users)
    _follows(world)


def _follows(world) -> None:
    rng = world.rng
    everyone = world.member_ids + world.demo_ids
    rows, seen = [], set()
    for follower in everyone:
        for _ in range(rng.choice((0, 1, 2, 3, 4))):
            followed = world.popular_member()
            if followed != follower and (follower, followed) not in seen:
                seen.add((follower, followed))
                rows.append({"follower_id": follower, "followed_id": followed,
                             "created_at": world.now - timedelta(days=rng.uniform(0, 365))})
    world.load.write(Follow.__table__, rows)
