"""A file form's file survives a failed submit: held on the server for the
same member, sign-in and form, checked like a fresh upload, used once."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.db_types import utcnow
from app.extensions import db
from app.groups.models import Activity
from app.resources.models import Resource
from app.uploads import pending
from app.uploads.models import PendingUpload
from tests.helpers import PASSWORD
from tests.resources.samples import exe_bytes, pdf_bytes, share_form

_TOKEN = re.compile(r'name="held_token" type="hidden" value="([^"]*)"')
GPX = b"""<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="51.5000" lon="-0.1200"></trkpt><trkpt lat="51.5100" lon="-0.1200"></trkpt>
</trkseg></trk></gpx>"""


def held_token(response) -> str:
    match = _TOKEN.search(response.get_data(as_text=True))
    assert match, "no held_token field on the page"
    return match.group(1)


def signed_in(app, user):
    browser = app.test_client()
    assert browser.submit("/login", {"login": user.username, "password": PASSWORD}).status_code == 302
    return browser


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def pending_files(app) -> list[str]:
    folder = Path(app.config["UPLOAD_DIR"]) / "pending"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_file_is_kept_when_the_licence_is_missing_and_used_once(app, client, auth):
    auth.as_role()
    first = client.submit("/resources/new", share_form(license="", file=(pdf_bytes("Poster"), "poster.pdf")))
    assert first.status_code == 422
    page = first.get_data(as_text=True)
    assert "Pick a licence from the list." in page
    assert "<strong>poster.pdf</strong> is ready — choose another to replace it." in page
    token = held_token(first)
    assert token and count(PendingUpload) == 1 and len(pending_files(app)) == 1

    done = client.submit("/resources/new", share_form(held_token=token))
    assert done.status_code == 302, done.get_data(as_text=True)
    resource = db.session.scalar(select(Resource))
    assert resource.file_name == "poster.pdf" and resource.file.kind == "pdf"
    assert count(PendingUpload) == 0 and pending_files(app) == []  # consumed, not copied

    again = client.submit("/resources/new", share_form(held_token=token))  # the same post, twice
    assert again.status_code == 422 and "Share either a file or a link." in again.get_data(as_text=True)
    assert count(Resource) == 1


def test_a_held_file_is_only_for_its_member_sign_in_and_form(app, client, auth, make_user):
    auth.as_role()
    first = client.submit("/resources/new", share_form(title="", file=(pdf_bytes(), "plan.pdf")))
    token = held_token(first)
    stranger = signed_in(app, make_user("mallory"))
    theirs = stranger.submit("/resources/new", share_form(held_token=token))
    assert theirs.status_code == 422 and "plan.pdf" not in theirs.get_data(as_text=True)
    # Another form of the same member does not take it either.
    link = client.submit("/resources/new", share_form(url="https://example.org/x"))
    rid = int(link.location.rsplit("/", 1)[-1])
    other_form = client.submit(f"/resources/{rid}/edit", share_form(held_token=token, url="https://example.org/y"))
    assert other_form.status_code == 302
    assert db.session.get(Resource, rid).file_id is None
    assert count(PendingUpload) == 1  # still there for the form it belongs to
    assert client.submit("/resources/new", share_form(held_token=token)).status_code == 302


def test_a_refused_file_is_not_held_and_says_why(app, client, auth):
    auth.as_role()
    response = client.submit("/resources/new", share_form(license="", file=(exe_bytes(), "poster.pdf")))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "is ready" not in page
    assert "Upload PDF, Word" in page and "Pick a licence from the list." in page
    assert count(PendingUpload) == 0 and pending_files(app) == []


def test_a_new_choice_replaces_the_held_file_and_remove_lets_it_go(app, client, auth):
    auth.as_role()
    token = held_token(client.submit("/resources/new", share_form(license="", file=(pdf_bytes("A"), "a.pdf"))))
    second = client.submit("/resources/new", share_form(license="", held_token=token,
                                                        file=(pdf_bytes("B"), "b <script>.pdf")))
    page = second.get_data(as_text=True)
    assert "<strong>b &lt;script&gt;.pdf</strong> is ready" in page and "a.pdf" not in page
    assert count(PendingUpload) == 1 and len(pending_files(app)) == 1
    removed = client.submit("/resources/new", share_form(license="", held_token=held_token(second), drop_held="y",
                                                         url="https://example.org/instead"))
    assert "is ready" not in removed.get_data(as_text=True)
    assert count(PendingUpload) == 0 and pending_files(app) == []


def test_the_edit_form_keeps_a_replacement_file(app, client, auth):
    auth.as_role()
    created = client.submit("/resources/new", share_form(file=(pdf_bytes("Old"), "old.pdf")))
    rid = int(created.location.rsplit("/", 1)[-1])
    failed = client.submit(f"/resources/{rid}/edit", share_form(title="", file=(pdf_bytes("New"), "new.pdf")))
    assert failed.status_code == 422 and "<strong>new.pdf</strong> is ready" in failed.get_data(as_text=True)
    saved = client.submit(f"/resources/{rid}/edit", share_form(title="Renamed", held_token=held_token(failed)))
    assert saved.status_code == 302
    assert db.session.get(Resource, rid).file_name == "new.pdf"
    assert count(PendingUpload) == 0


def test_a_gpx_file_is_kept_when_the_duration_is_missing(app, client, auth):
    auth.as_role()
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    form = {"sport": "run", "title": "", "notes": "", "visibility": "groups", "distance": "", "duration": "",
            "date": yesterday, "start_time": "07:00"}
    first = client.submit("/activities/new", {**form, "gpx": (io.BytesIO(GPX), "morning.gpx")})
    assert first.status_code == 422
    page = first.get_data(as_text=True)
    assert "This GPX file has no times: give the duration." in page
    assert "<strong>morning.gpx</strong> is ready" in page
    done = client.submit("/activities/new", {**form, "duration": "30:00", "held_token": held_token(first)})
    assert done.status_code == 302, done.get_data(as_text=True)
    activity = db.session.scalar(select(Activity))
    assert activity.source == "gpx" and activity.distance_m > 1000
    assert count(PendingUpload) == 0


def test_holds_expire_and_a_sign_out_ends_them(app, client, auth):
    user = auth.as_role()
    token = held_token(client.submit("/resources/new", share_form(license="", file=(pdf_bytes(), "p.pdf"))))
    row = db.session.scalar(select(PendingUpload))
    row.created_at = utcnow() - pending.HOLD_FOR - timedelta(minutes=1)
    db.session.commit()
    assert pending.find(user, "resource-new", token) is None  # expired, even before it is swept
    pending.prune()
    assert count(PendingUpload) == 0 and pending_files(app) == []

    held_token(client.submit("/resources/new", share_form(license="", file=(pdf_bytes(), "q.pdf"))))
    auth.logout()
    assert count(PendingUpload) == 0  # the rows go with the sign-in
    later = utcnow() + pending.HOLD_FOR + timedelta(minutes=1)
    pending.prune(now=later)  # and the file with the next sweep
    assert pending_files(app) == []


def test_a_member_holds_a_few_files_at_most(app, client, auth):
    auth.as_role()
    for n in range(pending.MAX_HELD + 2):
        client.submit("/resources/new", share_form(license="", file=(pdf_bytes(f"n{n}"), f"{n}.pdf")))
    assert count(PendingUpload) == pending.MAX_HELD
    assert len(pending_files(app)) == pending.MAX_HELD
