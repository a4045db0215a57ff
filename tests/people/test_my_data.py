"""Export my data, and delete my account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.forum import services as forum
from app.groups import activities
from app.groups import services as groups
from app.groups.models import Activity, ActivityTotal, Membership
from app.messages import services as messages
from app.people.export import ZipNames
from app.programmes import applications, collaborate
from app.programmes.models import Review
from app.resources import collections
from app.resources import services as resources
from tests.helpers import open_cohort, png_bytes
from tests.resources.samples import pdf_bytes


def files_on_disk(app) -> set[str]:
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()}


def test_the_export_holds_my_things_and_nothing_of_anyone_elses(client_for, make_user, make_resource, make_thread):
    me, other = make_user("amira"), make_user("gary")
    mine = make_resource(me, title="My phonics cards", upload=(png_bytes(), "cards.png"))
    make_resource(other, title="Gary's own worksheet", upload=(png_bytes(color=(1, 2, 3)), "g.png"))
    thread = make_thread(other, title="Gary asks about phonics")
    forum.reply(thread, me, "Amira's reply about phonics", enforce_limits=False)
    forum.reply(thread, other, "Gary's reply, not mine", enforce_limits=False)
    make_thread(me, title="Amira asks about spelling")
    conversation, _ = messages.start_conversation(me, ["gary"], "Amira's private note")
    messages.send(conversation, other, "Gary's private answer")

    response = client_for(me).get("/settings/data/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    text = archive.read("data.json").decode()
    assert data["profile"]["username"] == "amira"
    assert [r["title"] for r in data["resources"]] == ["My phonics cards"]
    assert data["resources"][0]["file"] in archive.namelist()
    assert archive.read(data["resources"][0]["file"]) == (Path(mine.file and __import__("app.resources.services",
                                                            fromlist=["x"]).file_path(mine))).read_bytes()
    assert [t["title"] for t in data["threads"]] == ["Amira asks about spelling"]
    bodies = [p["body"] for p in data["posts"]]
    assert "Amira's reply about phonics" in bodies
    assert [m["body"] for m in data["messages_sent"]] == ["Amira's private note"]
    for theirs in ("Gary's own worksheet", "Gary's reply, not mine", "Gary's private answer", "Gary asks about phonics",
                   "gary@school.example"):
        assert theirs not in text, theirs
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 1


def test_deleting_my_account_removes_my_files_and_keeps_threads_readable(app, client, client_for, make_user,
                                                                         make_resource, make_thread, index_now):
    me, other = make_user("amira"), make_user("gary")
    browser = client_for(me)
    before = files_on_disk(app)
    browser.submit("/settings/avatar", {"avatar": (io.BytesIO(png_bytes()), "me.png")}, page="/settings/profile")
    make_resource(me, title="My phonics cards", upload=(png_bytes(), "cards.png"))
    kept = make_resource(other, title="Gary keeps this", upload=(png_bytes(color=(9, 9, 9)), "g.png"))
    index_now()  # the image previews are made
    db.session.refresh(me)
    mine_on_disk = files_on_disk(app) - before
    assert me.avatar_file in mine_on_disk
    thread = make_thread(other, title="Gary asks about phonics")
    forum.reply(thread, me, "Amira's helpful reply", enforce_limits=False)
    conversation, _ = messages.start_conversation(me, ["gary"], "private words")
    messages.send(conversation, other, "Gary answers")

    wrong = browser.submit("/settings/data/delete", {"confirm": "someone"}, page="/settings/data")
    assert wrong.status_code == 422 and accounts.get_by_username("amira") is not None
    response = browser.submit("/settings/data/delete", {"confirm": "amira"}, page="/settings/data")
    assert response.status_code == 302

    assert accounts.get_by_username("amira") is None
    assert browser.get("/messages").status_code == 302  # signed out
    remaining = files_on_disk(app)
    gary_files = {kept.file.storage_name, kept.file.thumb_name}
    assert gary_files <= remaining
    assert not (mine_on_disk - gary_files) & remaining  # my avatar, file and thumbnail are gone
    # The thread still reads, with the reply shown as from a deleted member.
    page = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert "helpful reply" in page and "Deleted member" in page
    # Gary's side of the conversation stays; mine is gone.
    assert [m.body for m in messages.messages_of(conversation, other)] == ["Gary answers"]
    # The account cannot sign in any more.
    assert client.submit("/login", {"login": "amira", "password": "correct-horse-battery"}).status_code != 302


def test_deleting_my_account_hands_my_group_on_and_removes_my_activities(app, client_for, make_user):
    me, other = make_user("wanjiru"), make_user("chidi")
    club = groups.create_group(me, name="Nairobi runners", focus="running")
    groups.join(club, other)
    activities.log_activity(me, sport="run", distance_m=5000, duration_s=1800,
                            started_at=utcnow() - timedelta(hours=2))
    browser = client_for(me)
    response = browser.submit("/settings/data/delete", {"confirm": "wanjiru"}, page="/settings/data")
    assert response.status_code == 302
    owner = db.session.scalar(select(Membership.user_id).where(Membership.group_id == club.id,
                                                               Membership.role == "owner"))
    assert owner == other.id
    assert db.session.scalar(select(func.count(Activity.id)).where(Activity.user_id == me.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(ActivityTotal).where(ActivityTotal.user_id == me.id)) == 0


def test_the_export_holds_what_i_chose_and_files_under_their_own_names(client_for, make_user, make_resource):
    me, other, admin = make_user("amira"), make_user("gary"), make_user("ada", role="admin")
    plan = make_resource(me, title="Plan", upload=(pdf_bytes("one"), "Lesson plan.pdf"))
    make_resource(me, title="Plan, again", upload=(pdf_bytes("two"), "lesson PLAN.pdf"))
    hostile = make_resource(me, title="Old upload", upload=(pdf_bytes("three"), "notes.pdf"))
    hostile.file_name = "..\\../../etc/passwd"  # a name from before names were cleaned
    db.session.commit()
    theirs = make_resource(other, title="Gary's fractions")
    resources.bookmark(me, theirs)
    shelf = collections.create_collection(me, "Reading corner", "For Year 3", False)
    collections.add_item(shelf, theirs, me)
    collaborate.create_request(me, title="A guest speaker on volcanoes", subject="science", age_range="7-11",
                               language="en", weekdays=[0, 2], start_minute=14 * 60, end_minute=15 * 60)
    cohort = open_cohort(admin)
    application = applications.start(cohort, me)
    question = cohort.questions[0]
    applications.save_answers(application, me, {question.id: applications.FieldSave("I run a lunch club.", 0)})
    applications.add_file(application, me, pdf_bytes("evidence"), "Lesson plan.pdf")
    applications.submit(application, me)
    reviewer = make_user("rhea", role="admin")
    db.session.add(Review(application_id=application.id, reviewer_id=reviewer.id, impact=2, innovation=2,
                          sharing=2, evidence_quality=2, comment="Reviewer's private note"))
    application.decision = "accepted"  # not announced yet
    db.session.commit()

    archive = zipfile.ZipFile(io.BytesIO(client_for(me).get("/settings/data/export.zip").data))
    data = json.loads(archive.read("data.json"))
    text = archive.read("data.json").decode()
    files = sorted(n for n in archive.namelist() if n.startswith("files/"))
    assert files == ["files/applications/Lesson plan.pdf", "files/resources/Lesson plan.pdf",
                     "files/resources/lesson PLAN (2).pdf", "files/resources/passwd"]
    by_title = {r["title"]: r for r in data["resources"]}
    assert by_title["Plan"]["file"] == "files/resources/Lesson plan.pdf"
    assert by_title["Plan"]["file_name"] == "Lesson plan.pdf"
    assert archive.read("files/resources/Lesson plan.pdf") == Path(resources.file_path(plan)).read_bytes()
    assert data["bookmarks"][0]["title"] == "Gary's fractions"
    assert data["collections"] == [{"id": shelf.id, "name": "Reading corner", "description": "For Year 3",
                                    "is_public": False, "created_at": shelf.created_at.isoformat(),
                                    "items": [{"resource_id": theirs.id, "title": "Gary's fractions",
                                               "added_at": data["collections"][0]["items"][0]["added_at"]}]}]
    request = data["collaboration_requests"][0]
    assert (request["title"], request["weekdays"], request["from"], request["until"]) == (
        "A guest speaker on volcanoes", ["Mon", "Wed"], "14:00", "15:00")
    [mine] = data["expert_applications"]
    assert mine["status"] == "submitted" and mine["decision"] is None  # before the announcement
    assert mine["answers"] == [{"question": question.text, "answer": "I run a lunch club."}]
    assert mine["evidence"][0]["file"] == "files/applications/Lesson plan.pdf"
    assert "Reviewer's private note" not in text and '"accepted"' not in text
    assert data["notification_preferences"] and data["settings"]["distance_unit"] == "km"
    assert all(name not in text for name in ("share_token", shelf.share_token))

    names = ZipNames()
    assert [names.add("f", n, "file") for n in ("poster.pdf", "Poster.pdf", "poster.pdf", "..", "C:\\x\\a<b>.pdf",
                                                 "/etc/", "")] == [
        "f/poster.pdf", "f/Poster (2).pdf", "f/poster (3).pdf", "f/file", "f/ab.pdf", "f/file (2)", "f/file (3)"]
