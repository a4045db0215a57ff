"""Library forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

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
from app.form_fields import IdField, MultiCheckboxField, choices
from app.resources.files import ACCEPTED, KIND_LABELS
from app.resources.languages import DETECT
from app.resources.models import LICENSES
from app.tags import MAX_TAG_LENGTH
from app.vocabulary import AGE_RANGES, LANGUAGES, SUBJECTS, language_name

__all__ = ["AddToCollectionForm", "CollectionForm", "ConfirmForm", "EditorForm", "ItemForm", "LibraryFilterForm",
           "ResourceForm", "language_choices", "language_name"]

SORTS = {"newest": "Newest first", "bookmarked": "Most bookmarked", "downloaded": "Most downloaded"}
KINDS = dict(KIND_LABELS)
# A hint for the browser's file picker only: the server decides by content.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.pptx,.xlsx,.png,.jpg,.jpeg,.gif,.webp,.txt,.md"


def language_choices(current: str | None = None):
    """"Detect" first, then the offered languages, and `current` if it is another code."""
    pairs = [(DETECT, "Detect from its words"), *LANGUAGES.items()]
    if current and current not in LANGUAGES:
        pairs.append((current, language_name(current)))
    return choices(pairs)


class ResourceForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)],
                        description="What colleagues will search for, e.g. “Fractions pizza worksheet”.")
    description = TextAreaField("Description", validators=[Length(max=10_000)],
                                description="How you use it, what it needs. Markdown works (links, *emphasis*, lists).")
    subject = SelectField("Subject", choices=choices([("", "Choose a subject"), *SUBJECTS.items()]))
    age_ranges = MultiCheckboxField("Age ranges", choices=choices(AGE_RANGES.items()))
    tags = StringField("Tags", validators=[Length(max=600)],
                       description="Separate tags with commas, e.g. fractions, group work.")
    license = SelectField("Licence", choices=choices([("", "Choose a licence"), *LICENSES.items()]),
                          description="What others may do with it. CC BY lets anyone reuse it with credit.")
    language = SelectField("Language", choices=language_choices(), default=DETECT,
                           description="Leave it to be detected from the title, description and file, "
                                       "or pick the language it is in.")
    status = RadioField(
        "When",
        choices=choices([("published", "Publish now"), ("draft", "Save as a draft (only you see it)")]),
        default="published",
    )
    file = FileField("File", description=f"{ACCEPTED}.", render_kw={"accept": ACCEPT_ATTRIBUTE})
    # A file from an earlier try of this form that failed (app/uploads/held.py).
    held_token = HiddenField()
    drop_held = BooleanField("Remove it")
    url = URLField("Link", validators=[Optional(), Length(max=2000)],
                   description="An http:// or https:// address, e.g. a video or a website.")


class CollectionForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("Description", validators=[Length(max=1000)])
    is_public = BooleanField("Public: anyone can find and open this collection")


class AddToCollectionForm(FlaskForm):
    """The resource page's "Add to collection": a checkbox for each collection
    the member may edit (ticked where the resource is), and a name for a new
    one. `offered` lists the boxes shown, so a collection made in another tab
    since is left alone."""

    collection_ids = MultiCheckboxField("Your collections", coerce=int, choices=[])
    offered = HiddenField()
    new_name = StringField("Add to a new collection", validators=[Length(max=120)],
                           description="Give it a name; it starts private.")

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
    username = StringField("Invite an editor by username", validators=[DataRequired(), Length(max=40)],
                           description="They can add, remove and reorder resources; only you can rename, "
                                       "share or delete the collection.")


class ItemForm(FlaskForm):
    resource_id = IdField("Resource", validators=[DataRequired()])


class LibraryFilterForm(Form):
    """The library's GET filters: no CSRF (nothing changes), unknown values ignored."""

    subject = SelectField("Subject", choices=choices([("", "All subjects"), *SUBJECTS.items()]))
    age_range = SelectField("Age range", choices=choices([("", "All ages"), *AGE_RANGES.items()]))
    tag = StringField("Tag", validators=[Length(max=MAX_TAG_LENGTH)])
    type = SelectField("Type", choices=choices([("", "All types"), *KINDS.items()]))
    license = SelectField("Licence", choices=choices([("", "Any licence"), *LICENSES.items()]))
    sort = SelectField("Sort by", choices=choices(SORTS.items()), default="newest")

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
