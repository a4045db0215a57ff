"""More of everything, fast: Core bulk inserts of members, resources,
threads and posts, groups and activities, events, RSVPs and chat, private
conversations, notifications, nominations and schools.

`grow(n, viewer_id)` adds about n rows of each kind and ties some of them
to one member (the viewer: their follows, groups, RSVPs, conversations and
unread notifications grow too), so a page whose queries grow with the
community or with one member's history shows it. The page query-count
tests grow a small database and check each page runs the same statements;
`bench/page_costs.py` grows a larger one to time the pages.

Rows are written as they would be by the services (counters included:
threads' post counts, activity totals); ids are given explicitly and
PostgreSQL's sequences moved past them, so ORM inserts after this work.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, insert, select

from app.db_types import utcnow
from app.demo.community.bulk import move_id_sequences
from app.extensions import db

COUNTRIES = ["GB", "US", "IN", "BR", "SA", "AZ", "NG", "KE", "FR", "ES", "MX", "JP", "AU", "CA", "DE", "EG"]
SUBJECTS = ["mathematics", "science", "english", "history", "geography", "art"]
_PASSWORD_HASH = "$argon2id$v=19$m=8,t=1,p=1$bm90LWEtcmVhbC1zYWx0$bm90LWEtcmVhbC1oYXNo"  # signs no one in


def _table(name: str):
    return db.metadata.tables[name]


def _next_id(connection, name: str) -> int:
    return (connection.scalar(select(func.max(_table(name).c.id))) or 0) + 1


def _put(connection, name: str, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(_table(name)), rows)


def grow(n: int, viewer_id: int, *, group_id: int | None = None, event_id: int | None = None,
         thread_posts: int = 0) -> dict:
    """Add about n rows of each kind; returns the new rows' first ids (a
    new group, thread, event ... is the one with that id). `group_id` and
    `event_id` name a group that gets a few more members and an event whose
    room gets n chat messages; `thread_posts` > 0 also makes one thread of
    that many posts (id: returned as "long_thread")."""
    now = utcnow()
    with db.engine.begin() as connection:
        first = {name: _next_id(connection, name) for name in (
            "users", "resources", "forum_threads", "forum_posts", "groups", "activities", "events",
            "event_rsvps", "event_messages", "pm_conversations", "pm_messages", "notifications",
            "programme_applications", "programme_schools", "programme_cohorts")}
        users = list(range(first["users"], first["users"] + n))
        _users(connection, users, now)
        _resources(connection, first["resources"], users, now)
        _forum(connection, first["forum_threads"], first["forum_posts"], users, viewer_id, now)
        _groups(connection, first["groups"], first["activities"], users, viewer_id, group_id, now)
        _events(connection, first["events"], first["event_rsvps"], first["event_messages"], users, viewer_id,
                event_id, now)
        _messages(connection, first["pm_conversations"], first["pm_messages"], users, viewer_id, now)
        _notifications(connection, first["notifications"], users, viewer_id, now)
        _programmes(connection, first["programme_applications"], first["programme_schools"],
                    first["programme_cohorts"], users, now)
        if thread_posts:
            first["long_thread"] = _long_thread(connection, users, thread_posts, now)
        move_id_sequences(connection, connection.dialect.name, [name for name in first if name in db.metadata.tables])
    return first


def _users(connection, ids: list[int], now) -> None:
    _put(connection, "users", [
        {"id": uid, "username": f"bulk{uid}", "email": f"bulk{uid}@school.example", "password_hash": _PASSWORD_HASH,
         "display_name": f"Bulk Educator {uid}", "role": "member", "country": COUNTRIES[uid % len(COUNTRIES)],
         "school": f"School {uid % 97}", "timezone": "UTC", "bio_md": "", "bio_html": "", "auth_version": 1,
         "created_at": now - timedelta(days=uid % 400), "email_verified_at": now} for uid in ids])
    _put(connection, "user_subjects", [{"user_id": uid, "subject": SUBJECTS[uid % len(SUBJECTS)]} for uid in ids]
         + [{"user_id": uid, "subject": "mathematics"} for uid in ids if SUBJECTS[uid % len(SUBJECTS)] != "mathematics"
            and uid % 3 == 0])
    _put(connection, "user_age_ranges", [{"user_id": uid, "age_range": "11-14"} for uid in ids])
    _put(connection, "people_settings", [{"user_id": uid, "directory_visible": True, "languages": "en",
                                          "digest": "off"} for uid in ids])
    # Each follows the one before: the follows table grows, the viewer's own follows are in _forum's authors.
    _put(connection, "follows", [{"follower_id": uid, "followed_id": uid - 1, "created_at": now} for uid in ids[1:]])


def _resources(connection, first: int, users: list[int], now) -> None:
    rows, ranges = [], []
    for k, owner in enumerate(users):
        rid = first + k
        rows.append({"id": rid, "owner_id": owner, "title": f"Worksheet {rid}", "description_md": "Practice.",
                     "description_html": "<p>Practice.</p>", "subject": SUBJECTS[k % len(SUBJECTS)],
                     "language": "en", "license": "cc-by", "url": f"https://example.org/r/{rid}",
                     "text_status": "none", "status": "published", "download_count": 0, "bookmark_count": 0,
                     "created_at": now - timedelta(minutes=k), "updated_at": now - timedelta(minutes=k)})
        ranges.append({"resource_id": rid, "age_range": "11-14"})
    _put(connection, "resources", rows)
    _put(connection, "resource_age_ranges", ranges)


def _forum(connection, first_thread: int, first_post: int, users: list[int], viewer_id: int, now) -> None:
    categories = list(connection.scalars(select(_table("forum_categories").c.id)))
    threads, posts = [], []
    post_id = first_post
    for k, author in enumerate(users):
        tid = first_thread + k
        replies = 1 + k % 3
        when = now - timedelta(minutes=k)
        threads.append({"id": tid, "category_id": categories[k % len(categories)], "author_id": author,
                        "kind": "question" if k % 2 else "discussion", "title": f"Question {tid}",
                        "slug": f"question-{tid}", "status": "published", "pinned": False, "locked": False,
                        "post_count": replies, "last_number": replies, "last_visible_number": replies,
                        "view_count": k, "helpful_count": 0, "last_posted_at": when, "last_poster_id": author,
                        "created_at": when})
        for number in range(1, replies + 1):
            posts.append({"id": post_id, "thread_id": tid, "number": number,
                          "author_id": author if number == 1 else users[(k + number) % len(users)],
                          "body_md": "Some words.", "body_html": "<p>Some words.</p>", "status": "published",
                          "helpful_count": 0, "created_at": when})
            post_id += 1
    _put(connection, "forum_threads", threads)
    _put(connection, "forum_posts", posts)
    _put(connection, "follows", [{"follower_id": viewer_id, "followed_id": uid, "created_at": now}
                                 for uid in users[::2]])


def _groups(connection, first_group: int, first_activity: int, users: list[int], viewer_id: int,
            group_id: int | None, now) -> None:
    gids = list(range(first_group, first_group + max(1, len(users) // 10)))
    _put(connection, "groups", [
        {"id": gid, "name": f"Club {gid}", "description_md": "", "description_html": "", "focus": "running",
         "visibility": "public", "timezone": "UTC", "created_at": now, "updated_at": now} for gid in gids])
    members = [{"group_id": gid, "user_id": viewer_id, "role": "member", "joined_at": now} for gid in gids]
    members += [{"group_id": gids[k % len(gids)], "user_id": uid, "role": "member", "joined_at": now}
                for k, uid in enumerate(users)]
    if group_id is not None:  # the group page's group gets a few more members, not the community
        members += [{"group_id": group_id, "user_id": uid, "role": "member", "joined_at": now} for uid in users[:5]]
    _put(connection, "group_members", members)
    activities = []
    for k, uid in enumerate([viewer_id, *users]):
        for j in range(2):
            when = now - timedelta(days=(k + 7 * j) % 120, hours=1)
            activities.append({"id": first_activity + len(activities), "user_id": uid, "sport": "run",
                               "title": "Morning run", "notes_md": "", "notes_html": "", "distance_m": 5000 + k,
                               "duration_s": 1800, "started_at": when, "started_on": when.date(),
                               "timezone": "UTC", "visibility": "public", "source": "manual",
                               "created_at": when, "updated_at": when})
    _put(connection, "activities", activities)
    runners = sorted({row["user_id"] for row in activities})
    totals = _table("activity_totals")
    acts = _table("activities")
    connection.execute(delete(totals).where(totals.c.user_id.in_(runners)))
    connection.execute(insert(totals).from_select(
        ["user_id", "sport", "activities", "distance_m", "duration_s"],
        select(acts.c.user_id, acts.c.sport, func.count(), func.sum(acts.c.distance_m), func.sum(acts.c.duration_s))
        .where(acts.c.user_id.in_(runners)).group_by(acts.c.user_id, acts.c.sport)))


def _events(connection, first_event: int, first_rsvp: int, first_message: int, users: list[int], viewer_id: int,
            event_id: int | None, now) -> None:
    events, rsvps = [], []
    for k, organiser in enumerate(users):
        eid = first_event + k
        starts = now + timedelta(days=1 + k % 60, hours=k % 24) if k % 3 else now - timedelta(days=1 + k % 300)
        events.append({"id": eid, "organiser_id": organiser, "kind": "meetup", "title": f"Meetup {eid}",
                       "description_md": "", "description_html": "", "starts_at": starts,
                       "ends_at": starts + timedelta(hours=1), "duration_min": 60, "timezone": "UTC",
                       "is_online": True, "status": "published", "visibility": "public", "always_open": False,
                       "sequence": 0, "slow_mode_seconds": 0, "created_at": now, "updated_at": now})
        rsvps.append({"event_id": eid, "user_id": organiser, "status": "going"})
        if k % 2:
            rsvps.append({"event_id": eid, "user_id": viewer_id, "status": "going"})
    if event_id is not None:
        rsvps += [{"event_id": event_id, "user_id": uid, "status": "going"} for uid in users]
    _put(connection, "events", events)
    _put(connection, "event_rsvps", [{"id": first_rsvp + k, "created_at": now, "updated_at": now, **row}
                                     for k, row in enumerate(rsvps)])
    if event_id is not None:
        _put(connection, "event_messages", [
            {"id": first_message + k, "event_id": event_id, "user_id": uid, "kind": "chat", "body": "Hello!",
             "body_html": "Hello!", "created_at": now - timedelta(seconds=len(users) - k)}
            for k, uid in enumerate(users)])


def _messages(connection, first_conversation: int, first_message: int, users: list[int], viewer_id: int,
              now) -> None:
    conversations, members, messages = [], [], []
    for k, other in enumerate(users):
        cid, mid = first_conversation + k, first_message + 2 * k
        when = now - timedelta(minutes=k)
        viewer_in = k % 2 == 0
        first_person = viewer_id if viewer_in else users[(k + 1) % len(users)]
        conversations.append({"id": cid, "created_by_id": first_person, "is_group": False, "created_at": when,
                              "last_message_at": when, "last_message_id": mid + 1})
        members += [{"conversation_id": cid, "user_id": first_person, "last_read_id": mid, "joined_at": when},
                    {"conversation_id": cid, "user_id": other, "last_read_id": 0, "joined_at": when}]
        messages += [{"id": mid, "conversation_id": cid, "sender_id": first_person, "body": "Hi", "created_at": when},
                     {"id": mid + 1, "conversation_id": cid, "sender_id": other, "body": "Hello", "created_at": when}]
    _put(connection, "pm_conversations", conversations)
    _put(connection, "pm_members", members)
    _put(connection, "pm_messages", messages)


def _notifications(connection, first: int, users: list[int], viewer_id: int, now) -> None:
    rows = []
    for k, uid in enumerate(users):
        for owner in (viewer_id, uid):
            rows.append({"id": first + len(rows), "user_id": owner, "actor_id": uid, "kind": "follow",
                         "text": "Someone followed you", "url": f"/u/bulk{uid}",
                         "created_at": now - timedelta(minutes=k), "read_at": None if k % 2 else now})
    _put(connection, "notifications", rows)


def _programmes(connection, first_application: int, first_school: int, first_cohort: int, users: list[int],
                now) -> None:
    cohort = connection.scalar(select(func.max(_table("programme_cohorts").c.id)))
    if cohort is None:  # a cohort announced last year, so the experts page has a list
        cohort, year = first_cohort, now.year - 1
        opened = now - timedelta(days=300)
        _put(connection, "programme_cohorts", [
            {"id": cohort, "school_year": f"{year}-{year + 1}", "title": f"Experts {year}-{year + 1}",
             "description_md": "", "description_html": "", "nominations_open_at": opened,
             "nominations_close_at": opened + timedelta(days=30), "review_starts_at": opened + timedelta(days=31),
             "review_ends_at": opened + timedelta(days=60), "announce_at": opened + timedelta(days=61),
             "announced_at": opened + timedelta(days=61), "created_at": opened}])
    # Most nominations stay drafts (the table grows, the list does not); the first is accepted.
    _put(connection, "programme_applications", [
        {"id": first_application + k, "cohort_id": cohort, "user_id": uid,
         "status": "submitted" if k == 0 else "draft", "decision": "accepted" if k == 0 else None,
         "decided_at": now if k == 0 else None, "submitted_at": now if k == 0 else None,
         "country": COUNTRIES[uid % len(COUNTRIES)], "school": f"School {uid % 97}", "created_at": now,
         "updated_at": now}
        for k, uid in enumerate(users)])
    _put(connection, "programme_schools", [
        {"id": first_school + k, "name": f"Incubator School {first_school + k}", "country": "AU",
         "city": "Perth", "description_md": "", "description_html": "", "latitude": -31.95 + k / 1000,
         "longitude": 115.86, "status": "incubator", "joined_at": now, "created_at": now}
        for k in range(max(1, len(users) // 20))])


def _long_thread(connection, users: list[int], posts: int, now) -> int:
    threads, table = _table("forum_threads"), _table("forum_posts")
    tid = connection.scalar(select(func.max(threads.c.id))) + 1
    first_post = connection.scalar(select(func.max(table.c.id))) + 1
    category = connection.scalar(select(func.min(_table("forum_categories").c.id)))
    _put(connection, "forum_threads", [
        {"id": tid, "category_id": category, "author_id": users[0], "kind": "discussion",
         "title": "A thousand replies", "slug": "a-thousand-replies", "status": "published", "pinned": False,
         "locked": False, "post_count": posts, "last_number": posts, "last_visible_number": posts,
         "view_count": 0, "helpful_count": 0, "last_posted_at": now, "last_poster_id": users[0], "created_at": now}])
    _put(connection, "forum_posts", [
        {"id": first_post + k, "thread_id": tid, "number": k + 1, "author_id": users[k % len(users)],
         "body_md": f"Reply {k + 1}.", "body_html": f"<p>Reply {k + 1}.</p>", "status": "published",
         "helpful_count": 0, "created_at": now - timedelta(seconds=posts - k)} for k in range(posts)])
    return tid
