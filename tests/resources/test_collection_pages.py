"""Collections through the browser: create, add, reorder, remove, share,
and what other people can and cannot see."""

from __future__ import annotations

import re

import pytest

from tests.resources.samples import pdf_bytes


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def create(client, name: str, public: bool = False, description: str = "") -> int:
    data = {"name": name, "description": description}
    if public:
        data["is_public"] = "y"
    response = client.submit("/collections", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/collections/(\d+)$", response.location).group(1))


def add(client, collection_id: int, resource_id: int):
    return client.submit(f"/collections/{collection_id}/items", {"resource_id": resource_id},
                         page=f"/collections/{collection_id}")


def item_titles(html: str) -> list[str]:
    return re.findall(r'<li class="card collection-item"[^>]*>\s*(?:<span class="drag-handle"[^>]*>[^<]*</span>\s*)?'
                      r'<div class="collection-item-body">\s*'
                      r'<h3 class="card-title"><a href="/resources/\d+">([^<]+)</a>', html)


@pytest.fixture
def three(make_user, make_resource):
    author = make_user()
    return [make_resource(author, title=title) for title in ("Alpha starter", "Beta plenary", "Gamma quiz")]


def test_create_a_collection_and_see_it_listed(client, auth):
    auth.as_role()
    form = page(client, "/collections")
    assert '<label for="name">Name</label>' in form and "Public: anyone can find" in form
    cid = create(client, "Year 7 fractions", description="The whole unit.")
    shown = page(client, f"/collections/{cid}")
    assert "<h1>Year 7 fractions</h1>" in shown and "The whole unit." in shown and "Private collection" in shown
    listing = page(client, "/collections")
    assert "Year 7 fractions" in listing and "0 resources" in listing


def test_collection_form_errors_are_shown(client, auth):
    auth.as_role()
    response = client.submit("/collections", {"name": ""})
    assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)


def test_add_reorder_and_remove_items(client, auth, three):
    auth.as_role()
    cid = create(client, "Unit plan")
    alpha, beta, gamma = three
    for resource in three:
        assert add(client, cid, resource.id).status_code == 302
    assert item_titles(page(client, f"/collections/{cid}")) == ["Alpha starter", "Beta plenary", "Gamma quiz"]
    assert "3 resources" in page(client, "/collections")

    client.submit(f"/collections/{cid}/items/{gamma.id}/move", {"direction": "up"}, page=f"/collections/{cid}")
    assert item_titles(page(client, f"/collections/{cid}")) == ["Alpha starter", "Gamma quiz", "Beta plenary"]
    client.submit(f"/collections/{cid}/items/{alpha.id}/move", {"direction": "down"}, page=f"/collections/{cid}")
    assert item_titles(page(client, f"/collections/{cid}")) == ["Gamma quiz", "Alpha starter", "Beta plenary"]
    client.submit(f"/collections/{cid}/items/{gamma.id}/move", {"direction": "up"}, page=f"/collections/{cid}")
    assert item_titles(page(client, f"/collections/{cid}"))[0] == "Gamma quiz"  # already first

    client.submit(f"/collections/{cid}/items/{alpha.id}/remove", {}, page=f"/collections/{cid}")
    shown = page(client, f"/collections/{cid}")
    assert item_titles(shown) == ["Gamma quiz", "Beta plenary"]
    assert "Move up<span class=\"visually-hidden\"> Beta plenary" in shown


def collect(client, resource_id: int, data: dict):
    return client.submit(f"/resources/{resource_id}/collections", data, page=f"/resources/{resource_id}")


def ticked(html: str) -> list[str]:
    """The collections ticked in the resource page's "Add to collection"."""
    boxes = re.findall(r'<label class="checkbox"><input checked[^>]*> ([^<]+)</label>', html)
    return [name.strip() for name in boxes]


def test_add_from_the_resource_page(client, auth, three):
    auth.as_role()
    resource = three[0]
    shown = page(client, f"/resources/{resource.id}")
    assert "<summary" in shown and "Add to collection" in shown and "You have no collections yet" in shown
    starters = create(client, "Starters")
    plenaries = create(client, "Plenaries")
    shown = page(client, f"/resources/{resource.id}")
    offered = re.search(r'name="offered" type="hidden" value="([^"]*)"', shown).group(1)
    assert set(offered.split()) == {str(starters), str(plenaries)} and ticked(shown) == []

    response = collect(client, resource.id, {"collection_ids": [starters, plenaries], "offered": offered})
    assert response.status_code == 302
    shown = page(client, f"/resources/{resource.id}")
    assert "Your collections are saved." in shown and sorted(ticked(shown)) == ["Plenaries", "Starters"]
    assert "In 2 of your collections." in shown
    assert item_titles(page(client, f"/collections/{starters}")) == ["Alpha starter"]

    collect(client, resource.id, {"collection_ids": [plenaries], "offered": offered})  # untick Starters
    assert item_titles(page(client, f"/collections/{starters}")) == []
    assert item_titles(page(client, f"/collections/{plenaries}")) == ["Alpha starter"]


def test_add_to_a_new_collection_in_one_step_and_errors_on_its_own_page(client, auth, three):
    auth.as_role()
    resource = three[1]
    response = collect(client, resource.id, {"new_name": "Fresh unit", "offered": ""})
    assert response.status_code == 302
    assert "Added to the new collection “Fresh unit”." in page(client, f"/resources/{resource.id}")
    cid = int(re.search(r'href="/collections/(\d+)">Fresh unit', page(client, "/collections")).group(1))
    assert item_titles(page(client, f"/collections/{cid}")) == ["Beta plenary"]
    assert "Private collection" in page(client, f"/collections/{cid}")

    before = page(client, "/collections").count("collection-card")
    response = collect(client, resource.id, {"new_name": "x" * 121, "offered": str(cid)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in html and "<h1>Add “Beta plenary”" in html
    assert page(client, "/collections").count("collection-card") == before  # nothing half-written
    assert item_titles(page(client, f"/collections/{cid}")) == ["Beta plenary"]  # the box was unticked: kept
    assert page(client, f"/resources/{resource.id}/collections").count('type="checkbox"') == 1


def test_private_collections_are_404_to_others_and_open_with_the_share_link(client, auth, three, make_user,
                                                                             client_for):
    auth.as_role()
    cid = create(client, "Secret unit")
    add(client, cid, three[0].id)
    shown = page(client, f"/collections/{cid}")
    link = re.search(r'id="share-link"[^>]*value="http://localhost(/collections/shared/[^"]+)"', shown).group(1)

    stranger = client_for(make_user())
    assert stranger.get(f"/collections/{cid}").status_code == 404
    assert "Secret unit" not in page(stranger, "/collections")
    shared = page(stranger, link)
    assert "<h1>Secret unit</h1>" in shared and item_titles(shared) == ["Alpha starter"]
    assert "share-link" not in shared and "Move up" not in shared and "Remove" not in shared
    assert stranger.get("/collections/shared/not-a-token").status_code == 404

    client.submit(f"/collections/{cid}/share-link", {}, page=f"/collections/{cid}")
    assert "the old one no longer works" in page(client, f"/collections/{cid}")
    assert stranger.get(link).status_code == 404
    new_link = re.search(r'value="http://localhost(/collections/shared/[^"]+)"',
                         page(client, f"/collections/{cid}")).group(1)
    assert new_link != link and stranger.get(new_link).status_code == 200


def test_others_cannot_change_a_collection(client, auth, three, make_user, client_for):
    auth.as_role()
    private = create(client, "Mine only")
    public = create(client, "Open to all", public=True)
    stranger = client_for(make_user())
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page(stranger, "/library")).group(1)
    for cid, status in ((private, 404), (public, 403)):
        for action, data in [("items", {"resource_id": three[0].id}), ("delete", {}), ("share-link", {}),
                             ("edit", {"name": "Taken over"})]:
            response = stranger.post(f"/collections/{cid}/{action}", data={**data, "csrf_token": token})
            assert response.status_code == status, (cid, action)
    shown = page(stranger, f"/collections/{public}")
    assert "<h1>Open to all</h1>" in shown and "Edit collection" not in shown and "Delete" not in shown


def test_public_collections_are_listed_for_everyone(client, auth, make_user, client_for):
    auth.as_role()
    create(client, "Shared reading list", public=True)
    create(client, "Private notes")
    visitor_listing = page(client_for(make_user()), "/collections")
    assert "Shared reading list" in visitor_listing and "Private notes" not in visitor_listing
    assert "Private notes" in page(client, "/collections")  # under "Your collections"


def test_anonymous_visitors_see_public_collections_only(app, client, auth):
    auth.as_role()
    cid = create(client, "Open science", public=True)
    create(client, "Closed science")
    anonymous = app.test_client()
    listing = page(anonymous, "/collections")
    assert "Open science" in listing and "Closed science" not in listing and "Sign in</a> to make" in listing
    assert anonymous.get(f"/collections/{cid}").status_code == 200


def test_a_draft_inside_a_public_collection_is_hidden_from_others(client, auth, make_resource, make_user,
                                                                  client_for):
    owner = auth.as_role()
    published = make_resource(owner, title="Finished worksheet")
    draft = make_resource(owner, title="Half-done worksheet", status="draft", upload=(pdf_bytes(), "d.pdf"))
    cid = create(client, "Worksheets", public=True)
    add(client, cid, published.id)
    add(client, cid, draft.id)
    assert item_titles(page(client, f"/collections/{cid}")) == ["Finished worksheet", "Half-done worksheet"]
    others = page(client_for(make_user()), f"/collections/{cid}")
    assert item_titles(others) == ["Finished worksheet"] and "Half-done" not in others


def test_someone_elses_draft_cannot_be_added(client, auth, make_resource):
    draft = make_resource(title="Not published", status="draft")
    auth.as_role()
    cid = create(client, "Collector")
    assert add(client, cid, draft.id).status_code == 404
    assert item_titles(page(client, f"/collections/{cid}")) == []


def test_edit_and_delete_a_collection(client, auth, three):
    auth.as_role()
    cid = create(client, "Draft name")
    add(client, cid, three[0].id)
    form = page(client, f"/collections/{cid}")
    assert 'value="Draft name"' in form
    response = client.submit(f"/collections/{cid}/edit", {"name": "Final name", "description": "Now public",
                                                          "is_public": "y"}, page=f"/collections/{cid}")
    assert response.status_code == 302
    shown = page(client, f"/collections/{cid}")
    assert "<h1>Final name</h1>" in shown and "Public collection" in shown
    response = client.submit(f"/collections/{cid}/edit", {"name": ""}, page=f"/collections/{cid}")
    assert response.status_code == 422

    client.submit(f"/collections/{cid}/delete", {}, page=f"/collections/{cid}")
    assert client.get(f"/collections/{cid}").status_code == 404
    assert client.get(f"/resources/{three[0].id}").status_code == 200  # the resource stays


def test_collection_names_are_escaped(client, auth):
    auth.as_role()
    cid = create(client, "<script>alert(1)</script> unit", public=True, description="<b>bold</b>")
    for path in ("/collections", f"/collections/{cid}"):
        html = page(client, path)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; unit" in html
        assert "<b>bold</b>" not in html
