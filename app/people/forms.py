"""People forms: they parse; the rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, RadioField, SelectField, StringField
from wtforms.validators import Length

from app.form_fields import MultiCheckboxField, choices, country_field
from app.people.models import DIGESTS
from app.people.preferences import CHANNEL_LABELS, KINDS
from app.people.services import LANGUAGES, PROGRAMME_STATUSES, SORTS, programmes
from app.vocabulary import AGE_RANGES, SUBJECTS, countries

DIGEST_LABELS = {"none": "No digest", "daily": "A daily summary", "weekly": "A weekly summary"}


class DirectoryFilterForm(Form):
    """The directory's GET filters: no CSRF (nothing changes)."""

    q = StringField("Name", validators=[Length(max=80)])
    country = country_field(blank="All countries")
    school = StringField("School", validators=[Length(max=120)])
    subject = SelectField("Subject", choices=choices([("", "All subjects"), *SUBJECTS.items()]))
    age_range = SelectField("Age range taught", choices=choices([("", "All ages"), *AGE_RANGES.items()]))
    language = SelectField("Language", choices=choices([("", "Any language"), *LANGUAGES.items()]))
    programme = SelectField("Programme", choices=choices([("", "Anyone"), *PROGRAMME_STATUSES.items()]))
    sort = SelectField("Sort by", choices=choices(SORTS.items()), default="name")

    def filters(self) -> dict:
        """Valid filter values by name (unknown values ignored), for the query and page links."""
        allowed = {"country": dict(countries()), "subject": SUBJECTS, "age_range": AGE_RANGES,
                   "language": LANGUAGES, "sort": SORTS,
                   "programme": PROGRAMME_STATUSES if programmes is not None else {}}
        values = {}
        for name in ("q", "country", "school", "subject", "age_range", "language", "programme", "sort"):
            value = (self[name].data or "").strip()[:120]
            if value and (name not in allowed or value in allowed[name]):
                values[name] = value
        if values.get("sort") == "name":
            del values["sort"]
        return values


class PeopleSettingsForm(FlaskForm):
    directory_visible = BooleanField("Show me in the member directory")
    languages = MultiCheckboxField("Languages I speak", choices=choices(LANGUAGES.items()))
    digest = RadioField("Email digest of unread notifications",
                        choices=choices((d, DIGEST_LABELS[d]) for d in DIGESTS), default="none")


def preference_form(values: dict[str, str]):
    """A form with one select per kind of notification."""

    class PreferencesForm(FlaskForm):
        pass

    for index, (kind, label) in enumerate(KINDS.items()):
        setattr(PreferencesForm, f"kind_{index}", SelectField(label, choices=choices(CHANNEL_LABELS.items()),
                                                              default=values.get(kind, "email")))
    form = PreferencesForm()
    form.kind_names = {f"kind_{index}": kind for index, kind in enumerate(KINDS)}
    return form


class ConfirmForm(FlaskForm):
    """A button that posts with a CSRF token."""


class DeleteAccountForm(FlaskForm):
    confirm = StringField("Type your username to confirm", validators=[Length(max=30)])
