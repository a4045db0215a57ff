"""A resource's "Updated" time is when its owner changed it: bookmarks,
downloads, collections, its text being read and hiding leave it alone."""

from __future__ import annotations

from datetime import timedelta

from app.db_types import utcnow
from app.extensions import db
from app.resources import collections, services
from tests.resources.samples import pdf_bytes


def _long_ago(resource):
    then = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    resource.updated_at = then
    db.session.commit()
    return then


def _updated(resource):
    db.session.expire_all()
    return db.session.get(type(resource), resource.id).updated_at


def test_what_others_do_leaves_the_updated_time_alone(make_resource, make_user, index_now):
    owner, reader, moderator = make_user("owner_o"), make_user("reader_r"), make_user("mod_m", role="moderator")
    resource = make_resource(owner, upload=(pdf_bytes("Fractions"), "fractions.pdf"))
    then = _long_ago(resource)

    services.bookmark(reader, resource)
    services.record_download(resource)
    collection = collections.create_collection(reader, "My fractions", "", False)
    collections.add_item(collection, resource, reader)
    index_now()  # the text job reads the PDF and sets text_status
    services.set_hidden(resource, moderator, True)
    services.set_hidden(resource, moderator, False)
    services.unbookmark(reader, resource)

    assert _updated(resource) == then
    assert resource.download_count == 1 and resource.text_status == "indexed"


def test_an_edit_moves_the_updated_time_and_saving_unchanged_does_not(make_resource, make_user):
    owner = make_user("owner_o")
    resource = make_resource(owner, title="Fractions starter", tags=["fractions"])
    then = _long_ago(resource)
    services.update_resource(resource, owner, title="Fractions starter", tags="fractions")  # as it was
    assert _updated(resource) == then
    services.update_resource(resource, owner, title="Fractions starter, with answers")
    assert _updated(resource) > then


def test_the_page_shows_updated_only_once_it_was_edited(client, make_resource, make_user):
    owner = make_user("owner_o")
    resource = make_resource(owner, title="Fractions starter")
    assert "<dt>Updated</dt>" not in client.get(f"/resources/{resource.id}").get_data(as_text=True)
    resource = db.session.get(type(resource), resource.id)
    resource.created_at = _long_ago(resource)  # shared three days ago, edited now
    db.session.commit()
    services.update_resource(resource, owner, title="Fractions, with answers")
    assert "<dt>Updated</dt>" in client.get(f"/resources/{resource.id}").get_data(as_text=True)
