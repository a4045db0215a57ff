"""A member's own data as one zip: `data.json` and their files.

It holds what the member created or chose, feature by feature: profile and
settings, resources (with their files), bookmarks and collections, forum
threads, posts, reactions and subscriptions, private messages they sent,
blocks, groups, activities (with their photos), comments and kudos, events they run, answered or
wrote in, expert applications (their answers, evidence and, once announced,
the decision: never reviewers' scores or notes), certifications, the
collaboration board and the schools they lead. Nothing someone else wrote,
and no secrets (tokens, share and calendar links).

Files keep the names they were uploaded with, made safe for any unzip tool
and numbered when two are alike ("poster.pdf", "poster (2).pdf").
"""

from __future__ import annotations

import io
import json
import re
import zipfile

from sqlalchemy import select

from app import storage
from app.accounts.models import User
from app.db_types import utcnow
from app.events.models import (
    Event,
    EventHost,
    EventMessage,
    QaQuestion,
    Rsvp,
    TweetMeetQuestion,
)
from app.extensions import db
from app.forum.models import CategoryState, Post, Reaction, Report, Thread, ThreadState
from app.groups.activities import settings_of as fitness_settings_of
from app.groups.models import (
    Activity,
    ActivityComment,
    ActivityPhoto,
    Challenge,
    ChallengeCompletion,
    Group,
    JoinRequest,
    Kudos,
    Membership,
)
from app.messages import services as messages
from app.messages.models import Block, MessageReport
from app.people import preferences
from app.people.models import Follow
from app.people.services import settings_of
from app.programmes import applications
from app.programmes.hours import WEEKDAYS
from app.programmes.models import (
    Application,
    Certification,
    ChecklistEntry,
    ChecklistItem,
    CollabAvailability,
    CollabOffer,
    CollabRequest,
    School,
    SchoolLeader,
    ShowcaseApplication,
)
from app.resources import services as resources
from app.resources.models import Bookmark, Collection, Resource

Files = list[tuple[str, object]]  # (name in the zip, path on disk)
# Anything but letters, digits, spaces and . _ - ( ): no folders, no drive
# letters, nothing a file system or an unzip tool reads specially.
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(statement) -> list:
    return list(db.session.scalars(statement))


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class ZipNames:
    """Names inside the zip: the original file name made safe, numbered
    when another file already took it (compared ignoring case, as Windows
    and macOS do)."""

    def __init__(self):
        self._taken: set[str] = set()

    def add(self, folder: str, original: str | None, fallback: str) -> str:
        base = _UNSAFE.sub("", storage.without_folders(original)).strip(" .")[:150] or fallback
        stem, dot, extension = base.rpartition(".")
        if not stem:
            stem, dot, extension = base, "", ""
        name, number = base, 2
        while f"{folder}/{name}".lower() in self._taken:
            name, number = f"{stem} ({number}){dot}{extension}", number + 1
        self._taken.add(f"{folder}/{name}".lower())
        return f"{folder}/{name}"


def collect(user: User) -> tuple[dict, Files]:
    """The member's data as a JSON-able dict, and the files to put beside it."""
    names, files = ZipNames(), []
    data = {**_account(user, names, files), **_library(user, names, files), **_forum(user),
            **_messages(user), **_groups(user), **_activity_photos(user, names, files), **_events(user),
            **_programmes(user, names, files)}
    return data, files


def export_zip(user: User) -> bytes:
    """data.json plus the member's files, as one zip in memory."""
    data, files = collect(user)
    data = {"exported_at": utcnow().isoformat(), **data}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name, path in files:
            archive.write(path, name)
    return out.getvalue()


# Each feature ------------------------------------------------------------------------------------

def _account(user: User, names: ZipNames, files: Files) -> dict:
    settings = settings_of(user)
    fitness = fitness_settings_of(user)
    avatar = storage.path_for("avatars", user.avatar_file) if user.avatar_file else None
    profile = {
        "username": user.username, "email": user.email, "display_name": user.display_name,
        "country": user.country, "school": user.school, "timezone": user.timezone, "bio": user.bio_md,
        "subjects": user.subjects, "age_ranges": user.age_ranges, "created_at": _iso(user.created_at),
        "avatar": None,
    }
    if avatar is not None:
        profile["avatar"] = names.add("files", "avatar." + user.avatar_file.rsplit(".", 1)[-1], "avatar")
        files.append((profile["avatar"], avatar))
    return {
        "profile": profile,
        "settings": {"directory_visible": settings.directory_visible, "languages": settings.language_codes,
                     "digest": settings.digest, "distance_unit": fitness.distance_unit,
                     "weekly_goal_m": fitness.weekly_goal_m},
        "notification_preferences": preferences.preferences_of(user),
        "following": [row.followed.username for row in _rows(
            select(Follow).where(Follow.follower_id == user.id).order_by(Follow.created_at))],
    }


def _library(user: User, names: ZipNames, files: Files) -> dict:
    items = []
    for resource in _rows(select(Resource).where(Resource.owner_id == user.id).order_by(Resource.id)):
        item = {"id": resource.id, "title": resource.title, "description": resource.description_md,
                "subject": resource.subject, "age_ranges": resource.age_ranges, "tags": resource.tag_names,
                "license": resource.license, "language": resource.language, "url": resource.url,
                "status": resource.status, "created_at": _iso(resource.created_at),
                "updated_at": _iso(resource.updated_at), "file": None, "file_name": None}
        path = resources.file_path(resource)
        if path is not None:
            item["file"] = names.add("files/resources", resource.file_name, f"resource-{resource.id}")
            item["file_name"] = resource.file_name
            files.append((item["file"], path))
        items.append(item)
    bookmarks = db.session.execute(
        select(Bookmark.resource_id, Resource.title, Bookmark.created_at)
        .join(Resource, Resource.id == Bookmark.resource_id)
        .where(Bookmark.user_id == user.id).order_by(Bookmark.created_at))
    collections = _rows(select(Collection).where(Collection.owner_id == user.id).order_by(Collection.id))
    return {
        "resources": items,
        "bookmarks": [{"resource_id": rid, "title": title, "bookmarked_at": _iso(at)}
                      for rid, title, at in bookmarks],
        "collections": [{"id": c.id, "name": c.name, "description": c.description, "is_public": c.is_public,
                         "created_at": _iso(c.created_at),
                         "items": [{"resource_id": i.resource_id, "title": i.resource.title,
                                    "added_at": _iso(i.added_at)} for i in c.items]}
                        for c in collections],
    }


def _forum(user: User) -> dict:
    threads = _rows(select(Thread).where(Thread.author_id == user.id).order_by(Thread.id))
    posts = _rows(select(Post).where(Post.author_id == user.id).order_by(Post.id))
    watched = _rows(select(ThreadState).where(ThreadState.user_id == user.id, ThreadState.level != "normal")
                    .order_by(ThreadState.thread_id))
    categories = _rows(select(CategoryState).where(CategoryState.user_id == user.id,
                                                   CategoryState.level != "normal")
                       .order_by(CategoryState.category_id))
    return {
        "threads": [{"id": t.id, "title": t.title, "kind": t.kind, "category": t.category.name,
                     "tags": t.tags, "status": t.status, "created_at": _iso(t.created_at)} for t in threads],
        "posts": [{"id": p.id, "thread_id": p.thread_id, "body": p.body_md, "status": p.status,
                   "created_at": _iso(p.created_at), "edited_at": _iso(p.edited_at)} for p in posts],
        "reactions": [{"post_id": r.post_id, "kind": r.kind, "created_at": _iso(r.created_at)}
                      for r in _rows(select(Reaction).where(Reaction.user_id == user.id)
                                     .order_by(Reaction.created_at))],
        "forum_subscriptions": {
            "threads": [{"thread_id": s.thread_id, "level": s.level} for s in watched],
            "categories": [{"category_id": s.category_id, "level": s.level} for s in categories],
        },
        "forum_reports": [{"post_id": r.post_id, "reason": r.reason, "created_at": _iso(r.created_at)}
                          for r in _rows(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))],
    }


def _messages(user: User) -> dict:
    return {
        "messages_sent": [{"id": m.id, "conversation_id": m.conversation_id, "body": m.body,
                           "created_at": _iso(m.created_at)} for m in messages.sent_by(user)],
        "blocked": [b.blocked.username for b in _rows(select(Block).where(Block.blocker_id == user.id)
                                                      .order_by(Block.created_at))],
        "message_reports": [{"message_id": r.message_id, "reason": r.reason, "created_at": _iso(r.created_at)}
                            for r in _rows(select(MessageReport).where(MessageReport.reporter_id == user.id)
                                           .order_by(MessageReport.id))],
    }


def _groups(user: User) -> dict:
    memberships = db.session.execute(
        select(Membership.group_id, Group.name, Membership.role, Membership.joined_at)
        .join(Group, Group.id == Membership.group_id).where(Membership.user_id == user.id)
        .order_by(Membership.joined_at))
    requests = db.session.execute(
        select(JoinRequest.group_id, Group.name, JoinRequest.created_at)
        .join(Group, Group.id == JoinRequest.group_id).where(JoinRequest.user_id == user.id))
    return {
        "groups": [{"group_id": gid, "name": name, "role": role, "joined_at": _iso(at)}
                   for gid, name, role, at in memberships],
        "group_join_requests": [{"group_id": gid, "name": name, "created_at": _iso(at)} for gid, name, at in requests],
        "activities": [{"id": a.id, "sport": a.sport, "title": a.title, "notes": a.notes_md,
                        "distance_m": a.distance_m, "duration_s": a.duration_s,
                        "elevation_gain_m": a.elevation_gain_m, "started_at": _iso(a.started_at),
                        "visibility": a.visibility, "source": a.source}
                       for a in _rows(select(Activity).where(Activity.user_id == user.id).order_by(Activity.id))],
        "activity_comments": [{"activity_id": c.activity_id, "body": c.body_md, "created_at": _iso(c.created_at)}
                              for c in _rows(select(ActivityComment).where(ActivityComment.user_id == user.id)
                                             .order_by(ActivityComment.id))],
        "kudos_given": [{"activity_id": k.activity_id, "created_at": _iso(k.created_at)}
                        for k in _rows(select(Kudos).where(Kudos.user_id == user.id).order_by(Kudos.created_at))],
        "challenges_created": [{"id": c.id, "group_id": c.group_id, "title": c.title, "kind": c.kind,
                                "target": c.target, "sport": c.sport, "starts_on": _iso(c.starts_on),
                                "ends_on": _iso(c.ends_on)}
                               for c in _rows(select(Challenge).where(Challenge.created_by_id == user.id)
                                              .order_by(Challenge.id))],
        "challenge_badges": [{"challenge_id": c.challenge_id, "title": c.challenge.title,
                              "completed_at": _iso(c.completed_at)}
                             for c in _rows(select(ChallengeCompletion).where(ChallengeCompletion.user_id == user.id)
                                            .order_by(ChallengeCompletion.completed_at))],
    }


def _activity_photos(user: User, names: ZipNames, files: Files) -> dict:
    """The photos on the member's activities, as stored (re-encoded JPEGs)."""
    photos = []
    for photo in _rows(select(ActivityPhoto).join(Activity).where(Activity.user_id == user.id)
                       .order_by(ActivityPhoto.id)):
        entry = {"activity_id": photo.activity_id, "alt_text": photo.alt_text, "created_at": _iso(photo.created_at)}
        path = storage.path_for("photos", photo.file)
        if path is not None:
            entry["file"] = names.add("files/activity-photos", None, f"photo-{photo.id}.jpg")
            files.append((entry["file"], path))
        photos.append(entry)
    return {"activity_photos": photos}


def _events(user: User) -> dict:
    def titled(model, *where, order):
        return db.session.execute(select(model, Event.title).join(Event, Event.id == model.event_id)
                                  .where(*where).order_by(order))

    return {
        "events_organised": [{"id": e.id, "title": e.title, "kind": e.kind, "description": e.description_md,
                              "starts_at": _iso(e.starts_at), "duration_min": e.duration_min, "status": e.status}
                             for e in _rows(select(Event).where(Event.organiser_id == user.id).order_by(Event.id))],
        "events_hosted": [{"event_id": h.event_id, "title": title}
                          for h, title in titled(EventHost, EventHost.user_id == user.id, order=EventHost.event_id)],
        "rsvps": [{"event_id": r.event_id, "title": title, "status": r.status, "created_at": _iso(r.created_at)}
                  for r, title in titled(Rsvp, Rsvp.user_id == user.id, order=Rsvp.id)],
        "event_messages": [{"event_id": m.event_id, "body": m.body, "created_at": _iso(m.created_at)}
                           for m in _rows(select(EventMessage).where(EventMessage.user_id == user.id,
                                                                     EventMessage.deleted_at.is_(None))
                                          .order_by(EventMessage.id))],
        "event_questions": [{"event_id": q.event_id, "body": q.body, "answered": q.answered_at is not None,
                             "created_at": _iso(q.created_at)}
                            for q in _rows(select(QaQuestion).where(QaQuestion.user_id == user.id)
                                           .order_by(QaQuestion.id))],
        "tweetmeet_questions": [{"event_id": q.event_id, "number": q.number, "body": q.body,
                                 "offset_min": q.offset_min}
                                for q in _rows(select(TweetMeetQuestion).where(TweetMeetQuestion.author_id == user.id)
                                               .order_by(TweetMeetQuestion.id))],
    }


def _programmes(user: User, names: ZipNames, files: Files) -> dict:
    now = utcnow()
    expert_applications = []
    for application in _rows(select(Application).where(Application.user_id == user.id).order_by(Application.id)):
        evidence = []
        for item in application.evidence:
            entry = {"kind": item.kind, "title": item.title, "detail": item.detail, "url": item.url,
                     "file": None, "file_name": item.file_name, "added_at": _iso(item.created_at)}
            path = applications.evidence_path(item)
            if path is not None:
                entry["file"] = names.add("files/applications", item.file_name, f"evidence-{item.id}")
                files.append((entry["file"], path))
            evidence.append(entry)
        expert_applications.append({
            "id": application.id, "cohort": application.cohort.title,
            "school_year": application.cohort.school_year, "status": application.status,
            "country": application.country, "school": application.school,
            "created_at": _iso(application.created_at), "submitted_at": _iso(application.submitted_at),
            "withdrawn_at": _iso(application.withdrawn_at),
            "decision": applications.visible_decision(application, now),  # nothing before the announcement
            "answers": [{"question": q.text, "answer": a.body} for q in application.cohort.questions
                        if (a := application.answer_for(q.id)) is not None],
            "evidence": evidence,
        })
    availability = db.session.get(CollabAvailability, user.id)
    schools = _rows(select(School).join(SchoolLeader, SchoolLeader.school_id == School.id)
                    .where(SchoolLeader.user_id == user.id).order_by(School.id))
    return {
        "expert_applications": expert_applications,
        "certifications": [{"name": c.name, "issuer": c.issuer, "year": c.year, "url": c.url,
                            "created_at": _iso(c.created_at)}
                           for c in _rows(select(Certification).where(Certification.user_id == user.id)
                                          .order_by(Certification.id))],
        "collaboration_requests": [
            {"id": r.id, "title": r.title, "body": r.body_md, "subject": r.subject, "age_range": r.age_range,
             "language": r.language, "timezone": r.timezone, "weekdays": [WEEKDAYS[d] for d in r.weekday_numbers],
             "from": _clock(r.start_minute), "until": _clock(r.end_minute), "status": r.status,
             "created_at": _iso(r.created_at)}
            for r in _rows(select(CollabRequest).where(CollabRequest.author_id == user.id).order_by(CollabRequest.id))],
        "collaboration_offers": [{"request_id": o.request_id, "message": o.message, "created_at": _iso(o.created_at)}
                                 for o in _rows(select(CollabOffer).where(CollabOffer.user_id == user.id)
                                                .order_by(CollabOffer.id))],
        "collaboration_availability": None if availability is None else {
            "languages": [code for code in availability.languages.split(",") if code],
            "weekdays": [WEEKDAYS[int(d)] for d in availability.weekdays.split(",") if d.isdigit()],
            "from": _clock(availability.start_minute), "until": _clock(availability.end_minute)},
        "schools_led": [{"school_id": s.id, "name": s.name, "city": s.city, "country": s.country} for s in schools],
        "showcase_applications": [
            {"school": a.school.name, "window": a.window.name, "statement": a.statement, "status": a.status,
             "created_at": _iso(a.created_at)}
            for a in _rows(select(ShowcaseApplication).where(ShowcaseApplication.submitted_by_id == user.id)
                           .order_by(ShowcaseApplication.id))],
        "school_checklist": [
            {"school_id": entry.school_id, "item": title, "evidence": entry.evidence, "url": entry.evidence_url,
             "ticked_at": _iso(entry.ticked_at)}
            for entry, title in db.session.execute(
                select(ChecklistEntry, ChecklistItem.title)
                .join(ChecklistItem, ChecklistItem.id == ChecklistEntry.item_id)
                .where(ChecklistEntry.ticked_by_id == user.id).order_by(ChecklistEntry.ticked_at))],
    }
