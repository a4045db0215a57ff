"""Community library: 20,000 shared links (no files to store) with tags,
subjects, age ranges, licences and languages, and the bookmarks their
counters add up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo.community.words import FORMATS, TAGS, TITLES, TOPICS
from app.extensions import db
from app.resources.models import LICENSES, Bookmark, Resource, ResourceAgeRange, Tag, resource_tags
from app.text import render_markdown
from app.vocabulary import AGE_RANGES

LANGUAGES = {"en": 0.8, "es": 0.08, "fr": 0.06, "pt": 0.06}


def _tags(world) -> dict[str, int]:
    """Tag ids by name: the demo's, and ours added."""
    known = {name: tag_id for name, tag_id in db.session.execute(select(Tag.name, Tag.id))}
    new = [name for name in TAGS if name not in known]
    rows = [{"id": tag_id, "name": name} for tag_id, name in zip(world.load.ids(Tag.__table__, len(new)), new,
                                                                    strict=True)]
    world.load.write(Tag.__table__, rows)
    return known | {row["name"]: row["id"] for row in rows}


def _description(rng, topic: str, fmt: str) -> str:
    return (f"A {fmt} on **{topic}** I use every year. It takes about {rng.choice([20, 30, 45, 60])} minutes.\n\n"
            f"- {rng.choice(['Starter', 'Warm-up', 'Hook'])}: a question on the board\n"
            f"- Main task in pairs\n- Exit ticket\n\nAdapt it freely and tell me how it went.")


def seed_library(world) -> None:
    rng, load, now = world.rng, world.load, world.now
    tag_ids = _tags(world)
    descriptions = {}
    languages, weights = list(LANGUAGES), list(LANGUAGES.values())
    resources, ages, tags, bookmarks = [], [], [], []
    for resource_id in load.ids(Resource.__table__, world.count("resources")):
        subject = rng.choice(list(TOPICS))
        topic, fmt = rng.choice(TOPICS[subject]), rng.choice(FORMATS)
        language = rng.choices(languages, weights)[0]
        age_list = sorted(rng.sample(list(AGE_RANGES), rng.randint(1, 3)))
        title = rng.choice(TITLES[language]).format(topic=topic, format=fmt, ages=age_list[0].rstrip("+"))
        title = f"{title[0].upper()}{title[1:]}"
        key = (topic, fmt)
        if key not in descriptions:  # rendered once each
            md = _description(rng, topic, fmt)
            descriptions[key] = (md, render_markdown(md))
        md, html = descriptions[key]
        created = now - timedelta(days=730 * rng.random() ** 1.3)
        status = rng.choices(("published", "draft", "hidden"), (0.97, 0.02, 0.01))[0]
        resources.append({
            "id": resource_id, "owner_id": world.popular_member(), "title": title, "description_md": md,
            "description_html": html, "subject": subject, "language": language, "language_detected": False,
            "license": rng.choice(list(LICENSES)), "url": f"https://resources.example.org/{subject}/{resource_id}",
            "text_status": "none", "status": status, "download_count": rng.randrange(60), "bookmark_count": 0,
            "created_at": created, "updated_at": created + timedelta(days=rng.random() * 3),
        })
        ages += [{"resource_id": resource_id, "age_range": age} for age in age_list]
        names = {topic.replace(" ", "-"), *rng.sample(TAGS, rng.randint(0, 3))}
        tags += [{"resource_id": resource_id, "tag_id": tag_ids[name]} for name in sorted(names)]
        if status == "published":
            savers = {world.member() for _ in range(int(rng.paretovariate(1.5)) - 1)}
            resources[-1]["bookmark_count"] = len(savers)
            bookmarks += [{"user_id": user_id, "resource_id": resource_id,
                           "created_at": created + (now - created) * rng.random()} for user_id in savers]
    load.write(Resource.__table__, resources)
    load.write(ResourceAgeRange.__table__, ages)
    load.write(resource_tags, tags)
    load.write(Bookmark.__table__, bookmarks)
