"""Library pages: browse, share, edit, bookmark and collect resources.

Thin views: parse the form, call one service, render. Service errors go
back onto the form (with the error's status); Forbidden and NotFound raised
by a service reach the app's error pages.
"""

from __future__ import annotations

from types import SimpleNamespace

from babel.units import format_unit
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.api_support import paginate_request
from app.exceptions import Forbidden, ServiceError
from app.form_errors import attach_errors
from app.i18n import N_, current_locale, translate
from app.resources import collections, services, serving
from app.resources.files import KIND_LABELS
from app.resources.forms import (
    AddToCollectionForm,
    CollectionForm,
    ConfirmForm,
    EditorForm,
    ItemForm,
    LibraryFilterForm,
    ResourceForm,
    language_choices,
    language_name,
)
from app.resources.languages import DETECT
from app.resources.models import LICENSES, STATUS_LABELS, Collection
from app.uploads.held import HeldFile

bp = Blueprint("resources", __name__)

PER_PAGE = 20


@bp.app_template_filter("kind_label")
def kind_label(kind: str) -> str:
    """What a resource is, in the reader's language (files.KIND_NAMES marks the names)."""
    return translate(KIND_LABELS.get(kind, kind))


@bp.app_template_filter("status_label")
def status_label(status: str) -> str:
    """Published, Draft, Hidden: a resource's status as its owner reads it."""
    return translate(STATUS_LABELS.get(status, status))


@bp.app_template_global("thumb_url")
def thumb_url(resource) -> str | None:
    """The resource's preview, versioned by its stored name (None without one)."""
    if resource.file is None or not resource.file.thumb_name:
        return None
    return url_for("resources.thumb", resource_id=resource.id, v=resource.file.thumb_name[:12])


@bp.app_template_global("kind_icon")
def kind_icon(kind: str) -> str:
    """The placeholder shown for a resource without a preview."""
    return url_for("static", filename=f"img/kinds/{kind if kind in KIND_LABELS else 'link'}.svg")


# Decimal units, as Jinja's filesizeformat: 12.3 kB, 12,3 ko, 1,5 MB.
_SIZE_UNITS = (("digital-gigabyte", 1000**3), ("digital-megabyte", 1000**2), ("digital-kilobyte", 1000))


@bp.app_template_filter("file_size")
def file_size(size: int) -> str:
    """A file's size in the reader's language and number style."""
    for unit, factor in _SIZE_UNITS:
        if size >= factor:
            return format_unit(size / factor, unit, length="short", format="#,##0.0", locale=current_locale())
    return ngettext("%(num)s Byte", "%(num)s Bytes", size)


@bp.app_template_filter("license_name")
def license_name(code: str) -> str:
    return translate(LICENSES.get(code, code))


bp.add_app_template_filter(language_name, "language_name")

PROFILE_PER_PAGE = 12


@bp.app_template_global("resources_profile_panel")
def resources_profile_panel(user) -> dict:
    """For templates/resources/_profile_panel.html: the member's published
    resources, a page (?page=N) at a time."""
    return paginate_request(services.library_query(owner=user), PROFILE_PER_PAGE)


# Helpers ------------------------------------------------------------------------

def _fields(form: ResourceForm) -> dict:
    return {
        "title": form.title.data, "description": form.description.data, "subject": form.subject.data,
        "age_ranges": form.age_ranges.data or [], "tags": form.tags.data or "", "license": form.license.data,
        "language": form.language.data, "status": form.status.data,
    }


def _read_file(stream) -> bytes:
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:  # the body limit has headroom for the form around the file
        abort(413)
    return data


def _held_file(form: ResourceForm, key: str) -> HeldFile:
    return HeldFile(form, field="file", key=key, read=_read_file,
                    check=lambda data, name: services.check_upload(services.Upload(data, name)))


def _upload(held: HeldFile) -> services.Upload | None:
    posted = held.upload()  # None when no file was chosen (or held)
    return services.Upload(*posted) if posted is not None else None


def _resource_data(resource) -> SimpleNamespace:
    return SimpleNamespace(
        title=resource.title, description=resource.description_md, subject=resource.subject,
        age_ranges=resource.age_ranges, tags=", ".join(resource.tag_names), license=resource.license,
        language=resource.language or DETECT, url=resource.url,
        status=resource.status if resource.status in ("published", "draft") else "published",
    )


def _flash_saved(resource, public_message: str) -> None:
    """`public_message` ("“%(title)s” is shared.") says what happened to a published resource."""
    message = _(public_message if resource.is_public else N_("“%(title)s” is saved as a draft."),
                title=resource.title)
    if resource.text_status == "pending":
        message += " " + _("Its text is being prepared for search: in a moment search finds the words inside it too.")
    flash(message, "success")


def _require_edit(resource) -> None:
    if not services.can_edit(resource, current_user):
        raise Forbidden(N_("Only the owner or a moderator can change this resource."))


# The library ----------------------------------------------------------------------

@bp.get("/library")
def library():
    filter_form = LibraryFilterForm(request.args)
    filters = filter_form.filters()
    statement = services.library_query(
        subject=filters.get("subject"), age_range=filters.get("age_range"), tag=filters.get("tag"),
        kind=filters.get("type"), license=filters.get("license"), sort=filters.get("sort", "newest"),
    )
    return render_template("resources/library.html", form=filter_form, filters=filters,
                           result=paginate_request(statement, PER_PAGE))


@bp.get("/my/resources")
@login_required
def mine():
    result = paginate_request(services.library_query(include_unpublished_of=current_user), PER_PAGE)
    return render_template("resources/mine.html", result=result)


@bp.get("/my/bookmarks")
@login_required
def bookmarks():
    bookmarked = services.bookmarked_query(current_user)
    return render_template("resources/bookmarks.html", result=paginate_request(bookmarked, PER_PAGE))


# One resource ---------------------------------------------------------------------

@bp.route("/resources/new", methods=["GET", "POST"])
@login_required
def new():
    form = ResourceForm()
    held = _held_file(form, "resource-new")
    status = 200
    if form.validate_on_submit():
        try:
            resource = services.create_resource(current_user, **_fields(form), url=form.url.data or None,
                                                upload=_upload(held))
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            _flash_saved(resource, N_("“%(title)s” is shared."))
            return redirect(url_for(".show", resource_id=resource.id))
    elif form.is_submitted():
        status = 422
    return render_template("resources/form.html", form=form, resource=None,
                           held=held.keep()), status


@bp.get("/resources/<int:resource_id>")
def show(resource_id: int):
    resource = services.get_for_viewer(resource_id, current_user)
    collect_form = _collect_form(resource) if current_user.is_authenticated else None
    return render_template(
        "resources/show.html", resource=resource, related=services.related(resource),
        bookmarked=resource.id in services.bookmarked_ids(current_user, [resource.id]),
        can_edit=services.can_edit(resource, current_user), collect_form=collect_form, confirm_form=ConfirmForm(),
    )


def _detected_hint(code: str | None) -> str:
    """What detection found, said under the language list so a wrong guess gets picked over."""
    if not code:
        return _("Its words were too few to tell the language: pick the language it is in.")
    return _("Detected from its words: %(language)s. Pick the language it is in if that is wrong.",
             language=language_name(code))


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id: int):
    resource = services.get_for_viewer(resource_id, current_user)
    _require_edit(resource)
    form = ResourceForm(obj=None if request.method == "POST" else _resource_data(resource))
    form.language.choices = language_choices(resource.language)
    if resource.language_detected:
        form.language.description = _detected_hint(resource.language)
    if resource.file_id:
        form.file.label.text = _("Replace the file (optional)")
        form.file.description = _("Now: %(name)s. %(accepted)s", name=resource.file_name,
                                  accepted=form.file.description)
    held = _held_file(form, f"resource-{resource.id}")
    status = 200
    if form.validate_on_submit():
        fields = _fields(form)
        if resource.status == "hidden":
            del fields["status"]  # the form always posts one; hidden ones come back by Unhide only
        if resource.file_id is None:
            fields["url"] = form.url.data or ""
        try:
            services.update_resource(resource, current_user, upload=_upload(held), **fields)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            _flash_saved(resource, N_("“%(title)s” is updated."))
            return redirect(url_for(".show", resource_id=resource.id))
    elif form.is_submitted():
        status = 422
    return render_template("resources/form.html", form=form, resource=resource,
                           held=held.keep()), status


@bp.route("/resources/<int:resource_id>/delete", methods=["GET", "POST"])
@login_required
def delete(resource_id: int):
    resource = services.get_for_viewer(resource_id, current_user)
    _require_edit(resource)
    form = ConfirmForm()
    if form.validate_on_submit():
        title, own = resource.title, resource.owner_id == current_user.id
        services.delete_resource(resource, current_user)
        flash(_("“%(title)s” is deleted.", title=title), "info")
        return redirect(url_for(".mine" if own else ".library"))
    return render_template("resources/delete.html", resource=resource, form=form)


@bp.get("/resources/<int:resource_id>/file")
def download(resource_id: int):
    return serving.send_resource_file(services.get_for_viewer(resource_id, current_user))


@bp.get("/resources/<int:resource_id>/preview")
def preview(resource_id: int):
    """The file for the resource page's own preview frame: not a download."""
    resource = services.get_for_viewer(resource_id, current_user)
    if resource.kind not in serving.INLINE_KINDS:
        abort(404)
    return serving.send_resource_file(resource, count_download=False)


@bp.get("/resources/<int:resource_id>/thumb")
def thumb(resource_id: int):
    return serving.send_thumbnail(services.get_for_viewer(resource_id, current_user))


@bp.post("/resources/<int:resource_id>/bookmark")
@login_required
def bookmark(resource_id: int):
    resource = services.get_for_viewer(resource_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.bookmark(current_user, resource)
        flash(_("Bookmarked: find it again under My bookmarks."), "success")
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<int:resource_id>/unbookmark")
@login_required
def unbookmark(resource_id: int):
    resource = services.get_for_viewer(resource_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.unbookmark(current_user, resource)
        flash(_("Bookmark removed."), "info")
    return redirect(url_for(".show", resource_id=resource.id))


@bp.post("/resources/<int:resource_id>/hide")
@login_required
def hide(resource_id: int):
    return _set_hidden(resource_id, True)


@bp.post("/resources/<int:resource_id>/unhide")
@login_required
def unhide(resource_id: int):
    return _set_hidden(resource_id, False)


def _set_hidden(resource_id: int, hidden: bool):
    resource = services.get_for_viewer(resource_id, current_user)
    if ConfirmForm().validate_on_submit():
        services.set_hidden(resource, current_user, hidden)
        flash(_("Hidden from everyone but its owner and moderators.") if hidden
              else _("Visible to everyone again."), "info")
    return redirect(url_for(".show", resource_id=resource.id))


def _collect_form(resource) -> AddToCollectionForm:
    mine = collections.editable_by(current_user)
    holding = {c.id for c in mine if any(item.resource_id == resource.id for item in c.items)}
    return AddToCollectionForm().offer(mine, holding)


@bp.route("/resources/<int:resource_id>/collections", methods=["GET", "POST"])
@login_required
def collect(resource_id: int):
    """"Add to collection": tick the collections that should hold the
    resource, or name a new one. The resource page shows the same form in a
    disclosure; this page is where it comes back with its errors."""
    resource = services.get_for_viewer(resource_id, current_user)
    form = _collect_form(resource)
    status = 200
    if form.validate_on_submit():
        try:
            created = collections.set_memberships(resource, current_user, form.offered_ids(),
                                                  form.collection_ids.data or [], form.new_name.data or "")
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Added to the new collection “%(name)s”.", name=created.name) if created
                  else _("Your collections are saved."), "success")
            return redirect(url_for(".show", resource_id=resource.id))
    elif form.is_submitted():
        status = 422
    return render_template("resources/collect.html", resource=resource, form=form), status


def _add_item(collection, resource) -> None:
    try:
        collections.add_item(collection, resource, current_user)
    except ServiceError as error:
        if error.status == 403:
            raise
        flash(translate(error.message), "error")
    else:
        flash(_("Added to “%(name)s”.", name=collection.name), "success")


# Collections ------------------------------------------------------------------------

def _render_collections(form: CollectionForm, status: int = 200):
    mine = collections.editable_by(current_user) if current_user.is_authenticated else []
    others = collections.public_query()
    if current_user.is_authenticated:
        others = others.where(Collection.owner_id != current_user.id)
    result = paginate_request(others, PER_PAGE)
    counts = collections.count_items([c.id for c in [*mine, *result["items"]]])
    return render_template("resources/collections.html", form=form, mine=mine, result=result,
                           counts=counts), status


@bp.get("/collections", endpoint="collections")
def collection_list():
    return _render_collections(CollectionForm())


@bp.post("/collections")
@login_required
def create_collection():
    form = CollectionForm()
    if not form.validate_on_submit():
        return _render_collections(form, 422)
    try:
        collection = collections.create_collection(current_user, form.name.data, form.description.data,
                                                   form.is_public.data)
    except ServiceError as error:
        attach_errors(form, error)
        return _render_collections(form, error.status)
    flash(_("Collection “%(name)s” is ready. Add resources from their pages.", name=collection.name), "success")
    return redirect(url_for(".collection", collection_id=collection.id))


def _render_collection(collection, form: CollectionForm | None = None, status: int = 200,
                       editor_form: EditorForm | None = None):
    manage = collections.can_manage(collection, current_user)
    if manage and form is None:
        form = CollectionForm(formdata=None, obj=collection)
    return render_template("resources/collection.html", collection=collection, manage=manage, form=form,
                           edit_items=collections.can_edit_items(collection, current_user),
                           is_editor=collections.is_editor(collection, current_user),
                           editor_form=editor_form or EditorForm(formdata=None),
                           items=collections.visible_items(collection, current_user),
                           confirm_form=ConfirmForm()), status


@bp.get("/collections/<int:collection_id>")
def collection(collection_id: int):
    return _render_collection(collections.get_for_viewer(collection_id, current_user))


@bp.get("/collections/shared/<token>")
def shared_collection(token: str):
    return _render_collection(collections.by_share_token(token))


@bp.post("/collections/<int:collection_id>/edit")
@login_required
def edit_collection(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    form = CollectionForm()
    if not form.validate_on_submit():
        return _render_collection(collection, form, 422)
    try:
        collections.update_collection(collection, current_user, name=form.name.data,
                                      description=form.description.data, is_public=form.is_public.data)
    except ServiceError as error:
        if error.status == 403:
            raise
        attach_errors(form, error)
        return _render_collection(collection, form, error.status)
    flash(_("Collection saved."), "success")
    return redirect(url_for(".collection", collection_id=collection.id))


@bp.post("/collections/<int:collection_id>/share-link")
@login_required
def reset_share_link(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    if ConfirmForm().validate_on_submit():
        collections.reset_share_link(collection, current_user)
        flash(_("There is a new share link; the old one no longer works."), "info")
    return redirect(url_for(".collection", collection_id=collection.id))


@bp.post("/collections/<int:collection_id>/items")
@login_required
def add_item(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    form = ItemForm()
    if form.validate_on_submit():
        _add_item(collection, services.get_for_viewer(form.resource_id.data, current_user))
    else:
        flash(_("Say which resource to add."), "error")
    return redirect(url_for(".collection", collection_id=collection.id))


@bp.post("/collections/<int:collection_id>/items/<int:resource_id>/remove")
@login_required
def remove_item(collection_id: int, resource_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    if ConfirmForm().validate_on_submit():
        collections.remove_item(collection, resource_id, current_user)
        flash(_("Removed from the collection."), "info")
    return redirect(url_for(".collection", collection_id=collection.id))


@bp.post("/collections/<int:collection_id>/items/<int:resource_id>/move")
@login_required
def move_item(collection_id: int, resource_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    if ConfirmForm().validate_on_submit():
        collections.move_item(collection, resource_id, current_user, offset)
    return redirect(url_for(".collection", collection_id=collection.id, _anchor=f"item-{resource_id}"))


@bp.post("/collections/<int:collection_id>/delete")
@login_required
def delete_collection(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    if ConfirmForm().validate_on_submit():
        name = collection.name
        collections.delete_collection(collection, current_user)
        flash(_("Collection “%(name)s” is deleted. Its resources are still in the library.", name=name), "info")
    return redirect(url_for(".collections"))


# Editors of a shared collection ---------------------------------------------------------

@bp.post("/collections/<int:collection_id>/editors")
@login_required
def invite_editor(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    form = EditorForm()
    if not form.validate_on_submit():
        return _render_collection(collection, status=422, editor_form=form)
    try:
        editor = collections.invite_editor(collection, current_user, form.username.data)
    except ServiceError as error:
        if error.status == 403:
            raise
        attach_errors(form, error)
        return _render_collection(collection, status=error.status, editor_form=form)
    flash(_("%(name)s can now edit this collection; we let them know.", name=editor.user.display_name), "success")
    return redirect(url_for(".collection", collection_id=collection.id, _anchor="editors-heading"))


@bp.post("/collections/<int:collection_id>/editors/<int:user_id>/remove")
@login_required
def remove_editor(collection_id: int, user_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    if ConfirmForm().validate_on_submit():
        collections.remove_editor(collection, current_user, user_id)
        flash(_("That member can no longer edit this collection."), "info")
    return redirect(url_for(".collection", collection_id=collection.id, _anchor="editors-heading"))


@bp.post("/collections/<int:collection_id>/leave")
@login_required
def leave_collection(collection_id: int):
    collection = collections.get_for_viewer(collection_id, current_user)
    if ConfirmForm().validate_on_submit():
        collections.leave(collection, current_user)
        flash(_("You no longer edit “%(name)s”.", name=collection.name), "info")
    return redirect(url_for(".collections"))
