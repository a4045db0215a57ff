"""Export my data, and delete my account."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.db_types import utcnow
from app.extensions import db
from app.groups import activities
from app.groups import services as groups
from app.groups.models import Activity, ActivityTotal, Membership
from app.forum import services as forum
from app.messages import services as messages
from tests.helpers import png_bytes


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
