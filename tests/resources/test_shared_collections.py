"""Shared collections and ordering: the owner invites editors by username;
editors add, remove and reorder; nobody else sees a private collection.
Every role (owner, editor, other member, anonymous) through the API and the
pages, and the order endpoint's refusals."""

from __future__ import annotations

import re

import pytest


def put(client, path: str, **kwargs):
    return client.request("PUT", path, **kwargs)


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


@pytest.fixture
def shared(owner, login_as, make_resource):
    """A private collection of three resources, with one invited editor."""
    resources = [make_resource(owner.user, title=title) for title in ("Alpha", "Beta", "Gamma")]
    collection = owner.post("/collections", json={"name": "Team unit"}).get_json()
    path = f"/collections/{collection['id']}"
    for resource in resources:
        assert owner.post(f"{path}/items", json={"resource_id": resource.id}).status_code == 201
    editor = login_as("bea_editor")
    response = owner.post(f"{path}/editors", json={"username": "bea_editor"})
    assert response.status_code == 201 and response.get_json()["user"]["username"] == "bea_editor"
    return {"path": path, "id": collection["id"], "resources": resources, "editor": editor}


def test_the_editor_is_told_sees_it_among_theirs_and_may_change_its_items(shared, owner, make_resource):
    editor, path = shared["editor"], shared["path"]
    notes = editor.get("/notifications").get_json()["items"]
    assert notes[0]["kind"] == "collection_editor" and notes[0]["url"] == f"/collections/{shared['id']}"
    assert "invited you to edit the collection “Team unit”" in notes[0]["text"]

    mine = editor.get("/collections").get_json()
    assert [c["name"] for c in mine["items"]] == ["Team unit"] and mine["items"][0]["my_role"] == "editor"
    shown = editor.get(path).get_json()
    assert shown["share_url"] is None and [e["user"]["username"] for e in shown["editors"]] == ["bea_editor"]

    alpha, beta, gamma = shared["resources"]
    extra = make_resource(editor.user, title="Delta")
    assert editor.post(f"{path}/items", json={"resource_id": extra.id}).status_code == 201
    assert editor.delete(f"{path}/items/{alpha.id}").status_code == 204
    response = put(editor, f"{path}/order", json={"resource_ids": [extra.id, gamma.id, beta.id]})
    assert response.status_code == 200 and ids(response) == [extra.id, gamma.id, beta.id]
    assert ids(owner.get(path)) == [extra.id, gamma.id, beta.id]  # persisted, for the owner too


def test_an_editor_cannot_manage_the_collection(shared, login_as):
    editor, path = shared["editor"], shared["path"]
    other = login_as("cai_other")
    assert editor.patch(path, json={"name": "Mine now"}).status_code == 403
    assert editor.delete(path).status_code == 403
    assert editor.post(f"{path}/editors", json={"username": "cai_other"}).status_code == 403
    assert editor.get(path).get_json()["name"] == "Team unit"
    assert other.get("/notifications").get_json()["total"] == 0


@pytest.mark.parametrize("who", ["other", "anonymous"])
def test_a_private_shared_collection_is_invisible_to_everyone_else(shared, login_as, api, who):
    client = login_as("cai_other") if who == "other" else api
    path, first = shared["path"], shared["resources"][0].id
    missing = 404 if who == "other" else 401
    assert client.get(path).status_code == 404
    assert client.get(f"{path}/editors").status_code == 404
    assert put(client, f"{path}/order", json={"resource_ids": [first]}).status_code == missing
    assert client.delete(f"{path}/items/{first}").status_code == missing
    assert client.post(f"{path}/editors", json={"username": "cai_other"}).status_code == missing
    if who == "other":
        assert client.get("/collections").get_json()["total"] == 0


def test_the_owner_removes_an_editor_and_an_editor_may_leave(shared, owner, login_as):
    editor, path = shared["editor"], shared["path"]
    second = login_as("dan_second")
    assert owner.post(f"{path}/editors", json={"username": "dan_second"}).status_code == 201
    assert editor.delete(f"{path}/editors/{second.user.id}").status_code == 403  # only the owner removes
    assert owner.delete(f"{path}/editors/{editor.user.id}").status_code == 204
    assert editor.get(path).status_code == 404 and editor.get("/collections").get_json()["total"] == 0
    assert second.delete(f"{path}/editors/{second.user.id}").status_code == 204  # leaves
    assert second.get(path).status_code == 404
    assert owner.get(f"{path}/editors").get_json() == []


def test_inviting_refuses_unknown_members_the_owner_and_repeats(shared, owner):
    path = shared["path"]
    for username, status, message in [("nobody_here", 422, "no member"), ("amara_o", 422, "owner"),
                                      ("bea_editor", 409, "Already")]:
        response = owner.post(f"{path}/editors", json={"username": username})
        assert response.status_code == status, username
        assert message in response.get_json()["error"]["fields"]["username"]
    assert owner.post(f"{path}/editors", json={}).status_code == 422
    assert len(owner.get(f"{path}/editors").get_json()) == 1


@pytest.mark.parametrize("order", ["missing", "extra", "repeated", "foreign"])
def test_the_order_must_name_exactly_the_collections_items(shared, owner, make_resource, order):
    path = shared["path"]
    alpha, beta, gamma = (r.id for r in shared["resources"])
    outsider = make_resource().id
    body = {"missing": [gamma, beta], "extra": [gamma, beta, alpha, outsider], "repeated": [gamma, beta, beta],
            "foreign": [gamma, beta, outsider]}[order]
    response = put(owner, f"{path}/order", json={"resource_ids": body})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and "resource_ids" in error["fields"]
    assert ids(owner.get(path)) == [alpha, beta, gamma]  # unchanged


def test_the_order_body_is_type_checked(shared, owner):
    for body in ({}, {"resource_ids": "1,2"}, {"resource_ids": [0]}, {"resource_ids": ["a"]}):
        assert put(owner, f"{shared['path']}/order", json=body).status_code == 422, body


def test_a_draft_the_editor_cannot_see_keeps_its_place(shared, owner, make_resource):
    editor, path = shared["editor"], shared["path"]
    alpha, beta, gamma = (r.id for r in shared["resources"])
    draft = make_resource(owner.user, title="Unfinished", status="draft")
    owner.post(f"{path}/items", json={"resource_id": draft.id})
    put(owner, f"{path}/order", json={"resource_ids": [alpha, draft.id, beta, gamma]})
    assert ids(editor.get(path)) == [alpha, beta, gamma]
    assert put(editor, f"{path}/order", json={"resource_ids": [gamma, beta, alpha]}).status_code == 200
    assert ids(owner.get(path)) == [gamma, draft.id, beta, alpha]


def test_create_a_collection_holding_a_resource_in_one_step(owner, make_resource):
    resource = make_resource(title="Starter")
    response = owner.post("/collections", json={"name": "Quick", "resource_id": resource.id})
    assert response.status_code == 201 and [r["id"] for r in response.get_json()["items"]] == [resource.id]
    draft = make_resource(title="Someone's draft", status="draft")
    response = owner.post("/collections", json={"name": "Nope", "resource_id": draft.id})
    assert response.status_code == 422 and "resource_id" in response.get_json()["error"]["fields"]
    assert [c["name"] for c in owner.get("/collections").get_json()["items"]] == ["Quick"]


# The pages ------------------------------------------------------------------------------

def test_the_pages_for_each_role(app, shared, owner, client_for, make_user):
    path = f"/collections/{shared['id']}"
    editor_page = client_for(shared["editor"].user).get(path).get_data(as_text=True)
    assert "Move up" in editor_page and "drag-handle" in editor_page and "Leave this collection" in editor_page
    assert "Delete collection" not in editor_page and "share-link" not in editor_page
    assert "Invite editor" not in editor_page
    listing = client_for(shared["editor"].user).get("/collections").get_data(as_text=True)
    mine = listing.split('id="mine-heading"')[1].split("</section>")[0]
    assert "Team unit" in mine and "You edit it" in mine

    owner_browser = client_for(owner.user)
    owner_page = owner_browser.get(path).get_data(as_text=True)
    assert "Invite editor" in owner_page and "Delete collection" in owner_page and "Leave this" not in owner_page
    assert re.search(r"Remove<span class=\"visually-hidden\"> Teacher \d+ as editor", owner_page)

    other = client_for(make_user())
    assert other.get(path).status_code == 404 and app.test_client().get(path).status_code == 404
    assert "Team unit" not in other.get("/collections").get_data(as_text=True)


def test_invite_remove_and_leave_through_the_forms(shared, owner, client_for, make_user):
    path = f"/collections/{shared['id']}"
    browser = client_for(owner.user)
    response = browser.submit(f"{path}/editors", {"username": "no_such_person"}, page=path)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in html and "no member with that username" in html

    guest = make_user("eve_guest")
    response = browser.submit(f"{path}/editors", {"username": "@eve_guest"}, page=path)
    assert response.status_code == 302
    assert "can now edit this collection" in browser.get(path).get_data(as_text=True)
    guest_browser = client_for(guest)
    assert guest_browser.get(path).status_code == 200
    response = guest_browser.submit(f"{path}/leave", {}, page=path)
    assert response.status_code == 302 and guest_browser.get(path).status_code == 404

    editor = shared["editor"].user
    browser.submit(f"{path}/editors/{editor.id}/remove", {}, page=path)
    assert client_for(editor).get(path).status_code == 404
    stranger = client_for(make_user())
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', stranger.get("/library").get_data(as_text=True))
    response = stranger.post(f"{path}/editors", data={"username": "x", "csrf_token": token.group(1)})
    assert response.status_code == 404


def test_an_editor_reorders_with_the_move_buttons(shared, client_for):
    path = f"/collections/{shared['id']}"
    browser = client_for(shared["editor"].user)
    gamma = shared["resources"][2]
    response = browser.submit(f"{path}/items/{gamma.id}/move", {"direction": "up"}, page=path)
    assert response.status_code == 302 and response.location.endswith(f"#item-{gamma.id}")
    titles = re.findall(r'<h3 class="card-title"><a href="/resources/\d+">([^<]+)</a>', browser.get(path).get_data(
        as_text=True))
    assert titles == ["Alpha", "Gamma", "Beta"]


def test_a_deleted_account_is_no_longer_an_editor(shared, owner):
    from app.people import mydata  # noqa: PLC0415 (people sits above resources)

    editor = shared["editor"]
    mydata.delete_account(editor.user, "bea_editor")
    assert owner.get(f"{shared['path']}/editors").get_json() == []
