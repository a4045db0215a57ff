"""People forms: they parse; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, RadioField, SelectField, StringField
from wtforms.validators import Length

from app.form_fields import MultiCheckboxField, age_range_field, choices, country_field, subject_field
from app.people.models import DIGESTS
from app.people.preferences import CHANNEL_LABELS, KINDS
from app.people.services import LANGUAGES, PROGRAMME_STATUSES, SORTS
from app.vocabulary import AGE_RANGES, SUBJECTS, countries

DIGEST_LABELS = {"none": _l("No digest"), "daily": _l("A daily summary"), "weekly": _l("A weekly summary")}


class DirectoryFilterForm(Form):
    """The directory's GET filters: no CSRF (nothing changes)."""

    q = StringField(_l("Name"), validators=[Length(max=80)])
    country = country_field(blank=_l("All countries"))
    school = StringField(_l("School"), validators=[Length(max=120)])
    subject = subject_field(_l("Subject"), blank=_l("All subjects"))
    age_range = age_range_field(_l("Age range taught"), blank=_l("All ages"))
    language = SelectField(_l("Language"), choices=choices([("", _l("Any language")), *LANGUAGES.items()]))
    programme = SelectField(_l("Programme"), choices=choices([("", _l("Anyone")), *PROGRAMME_STATUSES.items()]))
    sort = SelectField(_l("Sort by"), choices=choices(SORTS.items()), default="name")

    def filters(self) -> dict:
        """Valid filter values by name (unknown values ignored), for the query and page links."""
        allowed = {"country": dict(countries()), "subject": SUBJECTS, "age_range": AGE_RANGES,
                   "language": LANGUAGES, "sort": SORTS,
                   "programme": PROGRAMME_STATUSES}
        values = {}
        for name in ("q", "country", "school", "subject", "age_range", "language", "programme", "sort"):
            value = (self[name].data or "").strip()[:120]
            if value and (name not in allowed or value in allowed[name]):
                values[name] = value
        if values.get("sort") == "name":
            del values["sort"]
        return values


class PeopleSettingsForm(FlaskForm):
    directory_visible = BooleanField(_l("Show me in the member directory"))
    languages = MultiCheckboxField(_l("Languages I speak"), choices=choices(LANGUAGES.items()))
    digest = RadioField(_l("Send me a summary of unread notifications"),
                        choices=choices((d, DIGEST_LABELS[d]) for d in DIGESTS), default="none")


def notification_field(kind: str) -> str:
    """The form field of a kind of notification: named after the kind, so a
    form loaded before the list of kinds changed still saves the right ones."""
    return "notify_" + kind.replace(".", "_")


def settings_form(data: dict):
    """The whole settings page as ONE form (directory, digest and one select
    per kind of notification), so its one Save button keeps everything.

    `data` holds the saved values (field name: value); a posted form
    overrides them, and a select missing from the post keeps its saved value."""

    class SettingsForm(PeopleSettingsForm):
        pass

    for kind, label in KINDS.items():
        setattr(SettingsForm, notification_field(kind), SelectField(label, choices=choices(CHANNEL_LABELS.items())))
    form = SettingsForm(data=data)
    form.kind_names = {notification_field(kind): kind for kind in KINDS}
    return form


class ConfirmForm(FlaskForm):
    """A button that posts with a CSRF token."""


class DeleteAccountForm(FlaskForm):
    confirm = StringField(_l("Type your username to confirm"), validators=[Length(max=30)])
