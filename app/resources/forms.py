"""Library forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import ConfirmForm
from app.form_fields import IdField, MultiCheckboxField, age_range_field, age_ranges_field, choices, subject_field
from app.i18n import translate
from app.resources.files import ACCEPTED, KIND_LABELS
from app.resources.languages import DETECT
from app.resources.models import LICENSES
from app.tags import MAX_TAG_LENGTH
from app.vocabulary import AGE_RANGES, LANGUAGES, SUBJECTS, language_name, languages

__all__ = ["AddToCollectionForm", "CollectionForm", "ConfirmForm", "EditorForm", "ItemForm", "LibraryFilterForm",
           "ResourceForm", "language_choices", "language_name"]

SORTS = {"newest": _l("Newest first"), "bookmarked": _l("Most bookmarked"), "downloaded": _l("Most downloaded")}
# The kinds and licences by their names in the reader's language (marked in files.KIND_NAMES and models.LICENSES).
KINDS = {kind: _l(name) for kind, name in KIND_LABELS.items()}
LICENSE_NAMES = {code: _l(name) for code, name in LICENSES.items()}
# A hint for the browser's file picker only: the server decides by content.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.pptx,.xlsx,.png,.jpg,.jpeg,.gif,.webp,.txt,.md"


DETECT_LABEL = _l("Detect from its words")


def language_choices(current: str | None = None):
    """"Detect" first, then the offered languages, and `current` if it is
    another code; all named in the reader's language."""
    pairs = [(DETECT, str(DETECT_LABEL)), *languages()]
    if current and current not in LANGUAGES:
        pairs.append((current, language_name(current)))
    return choices(pairs)


class ResourceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("What colleagues will search for, e.g. “Fractions pizza worksheet”."))
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)],
                                description=_l("How you use it, what it needs. Markdown works (links, *emphasis*, "
                                               "lists)."))
    subject = subject_field(_l("Subject"), blank=_l("Choose a subject"))
    age_ranges = age_ranges_field(_l("Age ranges"))
    tags = StringField(_l("Tags"), validators=[Length(max=600)],
                       description=_l("Separate tags with commas, e.g. fractions, group work."))
    license = SelectField(_l("Licence"), choices=choices([("", _l("Choose a licence")), *LICENSE_NAMES.items()]),
                          description=_l("What others may do with it. CC BY lets anyone reuse it with credit."))
    language = SelectField(_l("Language"), choices=language_choices, default=DETECT,
                           description=_l("Leave it to be detected from the title, description and file, "
                                          "or pick the language it is in."))
    status = RadioField(
        _l("When"),
        choices=choices([("published", _l("Publish now")), ("draft", _l("Save as a draft (only you see it)"))]),
        default="published",
    )
    file = FileField(_l("File"), description=LazyString(lambda: f"{translate(ACCEPTED)}."),
                     render_kw={"accept": ACCEPT_ATTRIBUTE})
    # A file from an earlier try of this form that failed (app/uploads/held.py).
    held_token = HiddenField()
    drop_held = BooleanField(_l("Remove it"))
    url = URLField(_l("Link"), validators=[Optional(), Length(max=2000)],
                   description=_l("An http:// or https:// address, e.g. a video or a website."))


class CollectionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=1000)])
    is_public = BooleanField(_l("Public: anyone can find and open this collection"))


class AddToCollectionForm(FlaskForm):
    """The resource page's "Add to collection": a checkbox for each collection
    the member may edit (ticked where the resource is), and a name for a new
    one. `offered` lists the boxes shown, so a collection made in another tab
    since is left alone."""

    collection_ids = MultiCheckboxField(_l("Your collections"), coerce=int, choices=[])
    offered = HiddenField()
    new_name = StringField(_l("Add to a new collection"), validators=[Length(max=120)],
                           description=_l("Give it a name; it starts private."))

    def offer(self, collections, holding: set[int]) -> AddToCollectionForm:
        """Offer `collections`; on a fresh form, tick those `holding` the resource."""
        self.collection_ids.choices = choices((c.id, c.name) for c in collections)
        if not self.is_submitted():
            self.collection_ids.data = [c.id for c in collections if c.id in holding]
            self.offered.data = " ".join(str(c.id) for c in collections)
        return self

    def offered_ids(self) -> set[int]:
        return {int(part) for part in (self.offered.data or "").split() if part.isdigit() and len(part) < 10}


class EditorForm(FlaskForm):
    username = StringField(_l("Invite an editor by username"), validators=[DataRequired(), Length(max=40)],
                           description=_l("They can add, remove and reorder resources; only you can rename, "
                                          "share or delete the collection."))


class ItemForm(FlaskForm):
    resource_id = IdField(_l("Resource"), validators=[DataRequired()])


class LibraryFilterForm(Form):
    """The library's GET filters: no CSRF (nothing changes), unknown values ignored."""

    subject = subject_field(_l("Subject"), blank=_l("All subjects"))
    age_range = age_range_field(_l("Age range"), blank=_l("All ages"))
    tag = StringField(_l("Tag"), validators=[Length(max=MAX_TAG_LENGTH)])
    type = SelectField(_l("Type"), choices=choices([("", _l("All types")), *KINDS.items()]))
    license = SelectField(_l("Licence"), choices=choices([("", _l("Any licence")), *LICENSE_NAMES.items()]))
    sort = SelectField(_l("Sort by"), choices=choices(SORTS.items()), default="newest")

    def filters(self) -> dict:
        """Valid filter values by name, for the query and for page links."""
        allowed = {"subject": SUBJECTS, "age_range": AGE_RANGES, "type": KINDS, "license": LICENSES, "sort": SORTS}
        values = {}
        for name in ("subject", "age_range", "tag", "type", "license", "sort"):
            value = (self[name].data or "").strip()[:40]
            if value and (name not in allowed or value in allowed[name]):
                values[name] = value
        if values.get("sort") == "newest":
            del values["sort"]
        return values
