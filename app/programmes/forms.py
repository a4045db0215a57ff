"""Programme forms. They parse and type-check; the rules live in the services.

Dates are typed in the admin's own time zone (datetime-local) and turned
into UTC by `to_utc`; weekly hours are "HH:MM" in the member's zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.accounts.forms import ConfirmForm
from app.form_fields import (
    MultiCheckboxField,
    age_range_field,
    choices,
    country_field,
    language_field,
    languages_field,
    subject_field,
    timezone_field,
)
from app.programmes.geo import city_choices
from app.programmes.hours import day_names
from app.programmes.models import DECISIONS
from app.programmes.regions import REGIONS
from app.programmes.schools import MAX_POSITION
from app.resources.forms import ACCEPT_ATTRIBUTE

__all__ = ["ConfirmForm"]

SCORES = choices([(str(n), str(n)) for n in range(1, 6)])
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def translated(labels: dict[str, str]) -> list[tuple[str, str]]:
    """A vocabulary's choices with their labels (marked N_) in the reader's language."""
    return [(value, _l(label)) for value, label in labels.items()]


def enumerate_strings(labels) -> list[tuple[str, str]]:
    return [(str(n), label) for n, label in enumerate(labels)]


def to_utc(value: datetime | None, zone: str) -> datetime | None:
    """A naive datetime typed in `zone` as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(zone or "UTC")).astimezone(ZoneInfo("UTC"))


def from_utc(value: datetime | None, zone: str) -> datetime | None:
    return value.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None) if value else None


# Cohorts -----------------------------------------------------------------------------------------

class QuestionRow(Form):
    text = StringField(_l("Question"), validators=[Length(max=300)])
    help = StringField(_l("Help text"), validators=[Length(max=500)])
    required = BooleanField(_l("Required"), default=True)
    max_length = IntegerField(_l("Maximum length (characters)"), default=2000,
                              validators=[Optional(), NumberRange(min=50, max=10_000)])


class CohortForm(FlaskForm):
    school_year = StringField(_l("School year"), validators=[DataRequired(), Length(max=9)],
                              description=_l("For example 2026-2027."))
    title = StringField(_l("Title"), validators=[Length(max=120)],
                        description=_l("Optional; e.g. Staffroom Experts 2026-2027."))
    description = TextAreaField(_l("About this cohort"), validators=[Length(max=10_000)])
    nominations_open_at = DateTimeLocalField(_l("Nominations open"), format=DATETIME_FORMAT,
                                             validators=[DataRequired()])
    nominations_close_at = DateTimeLocalField(_l("Nominations close (the deadline)"), format=DATETIME_FORMAT,
                                              validators=[DataRequired()])
    review_starts_at = DateTimeLocalField(_l("Review starts"), format=DATETIME_FORMAT, validators=[DataRequired()])
    review_ends_at = DateTimeLocalField(_l("Review ends"), format=DATETIME_FORMAT, validators=[DataRequired()])
    announce_at = DateTimeLocalField(_l("Results announced at"), format=DATETIME_FORMAT, validators=[DataRequired()])
    questions = FieldList(FormField(QuestionRow), min_entries=5, max_entries=20)


class AssignForm(FlaskForm):
    username = StringField(_l("Reviewer's username"), validators=[DataRequired(), Length(max=30)])
    country = country_field(label=_l("Country"), blank=_l("(or a region)"))
    region = SelectField(_l("Region"), choices=choices([("", _l("(or a country)")), *translated(REGIONS)]))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=translated(DECISIONS), validators=[DataRequired()])


class ReviewForm(FlaskForm):
    impact = SelectField(_l("Impact on learners"), choices=SCORES, validators=[DataRequired()])
    innovation = SelectField(_l("Innovation in teaching"), choices=SCORES, validators=[DataRequired()])
    sharing = SelectField(_l("Sharing with colleagues"), choices=SCORES, validators=[DataRequired()])
    evidence_quality = SelectField(_l("Quality of the evidence"), choices=SCORES, validators=[DataRequired()])
    comment = TextAreaField(_l("Comments"), validators=[Length(max=5000)])


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[Length(max=20_000)], description=_l("Markdown works."))


# Applications ----------------------------------------------------------------------------------------

class PortfolioForm(FlaskForm):
    # The service ignores strangers.
    refs = MultiCheckboxField(_l("From your portfolio"), choices=[], validate_choice=False)

    def offer(self, items) -> PortfolioForm:
        self.refs.choices = choices((item.ref, item.title) for item in items)
        return self


class LinkEvidenceForm(FlaskForm):
    url = URLField(_l("Link"), validators=[DataRequired(), Length(max=2000)],
                   description=_l("An http:// or https:// address, e.g. a video of your lesson."))
    title = StringField(_l("What it shows"), validators=[Length(max=200)])


class FileEvidenceForm(FlaskForm):
    """The file alone: a failed upload is the file's own fault (type, size) or a
    closed application, so nothing is held for a retry (see app/uploads)."""

    file = FileField(_l("File"), description=_l("PDF, Word, PowerPoint, Excel, an image or text."),
                     render_kw={"accept": ACCEPT_ATTRIBUTE})


class CertificationForm(FlaskForm):
    name = StringField(_l("Certification"), validators=[DataRequired(), Length(max=120)],
                       description=_l("E.g. Certified Educator (level 2)."))
    issuer = StringField(_l("Issued by"), validators=[Length(max=120)])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1950, max=2100)])
    url = URLField(_l("Link to verify it"), validators=[Optional(), Length(max=2000)])


class ExpertSearchForm(Form):
    q = StringField(_l("Search by name, school or subject"), validators=[Length(max=100)])


# Schools ---------------------------------------------------------------------------------------------

class SchoolForm(FlaskForm):
    name = StringField(_l("School name"), validators=[DataRequired(), Length(max=160)])
    country = country_field(label=_l("Country"), validators=[DataRequired()])
    city = StringField(_l("City or town"), validators=[DataRequired(), Length(max=100)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("About the school"), validators=[Length(max=10_000)],
                                description=_l("Markdown works."))
    latitude = FloatField(_l("Latitude"), validators=[Optional()], description=_l("Optional, e.g. 51.5074."))
    longitude = FloatField(_l("Longitude"), validators=[Optional()], description=_l("Optional, e.g. -0.1278."))


class LeaderForm(FlaskForm):
    username = StringField(_l("Add a leader (username)"), validators=[DataRequired(), Length(max=30)])


class TickForm(FlaskForm):
    evidence = TextAreaField(_l("Evidence"), validators=[DataRequired(), Length(max=2000)],
                             description=_l("What you did and how you know it worked."))
    evidence_url = URLField(_l("Link (optional)"), validators=[Optional(), Length(max=2000)])


class ShowcaseApplyForm(FlaskForm):
    statement = TextAreaField(_l("Why your school is ready"), validators=[DataRequired(), Length(max=5000)])


class ChecklistItemForm(FlaskForm):
    title = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("What counts as evidence"), validators=[Length(max=1000)])
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)])
    active = BooleanField(_l("In use"), default=True)


class WindowForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)], description=_l("E.g. Spring 2027."))
    opens_at = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMAT, validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("Closes"), format=DATETIME_FORMAT, validators=[DataRequired()])


class DirectoryForm(Form):
    """The directory's GET filters: no CSRF, bad values ignored."""

    country = country_field(label=_l("Country"), blank=_l("All countries"))
    city = StringField(_l("City"), validators=[Length(max=100)])
    near = SelectField(_l("Near a city"), choices=choices([("", _l("Choose a city")), *city_choices()]))
    lat = FloatField(_l("Your latitude"), validators=[Optional(), NumberRange(min=-90, max=90)])
    lon = FloatField(_l("Your longitude"), validators=[Optional(), NumberRange(min=-180, max=180)])


# The collaboration board --------------------------------------------------------------------------------

class HoursMixin:
    weekdays = MultiCheckboxField(_l("Days"), choices=lambda: choices(enumerate_strings(day_names())),
                                  default=["0", "1", "2", "3", "4"])
    start = StringField(_l("From (HH:MM)"), validators=[DataRequired(), Length(max=5)], default="09:00",
                        render_kw={"inputmode": "numeric", "pattern": "[0-2][0-9]:[0-5][0-9]"})
    end = StringField(_l("To (HH:MM)"), validators=[DataRequired(), Length(max=5)], default="17:00",
                      render_kw={"inputmode": "numeric", "pattern": "[0-2][0-9]:[0-5][0-9]"})


class CollabRequestForm(HoursMixin, FlaskForm):
    title = StringField(_l("What are you looking for?"), validators=[DataRequired(), Length(max=200)],
                        description=_l("E.g. A guest native English speaker for my Year 9 class, 30 minutes by video."))
    body = TextAreaField(_l("Details"), validators=[Length(max=5000)])
    subject = subject_field(_l("Subject"), blank=_l("Choose a subject"))
    age_range = age_range_field(_l("Age range"), blank=_l("Choose an age range"))
    language = language_field(_l("Language"), default="en")
    timezone = timezone_field(_l("Your time zone"))


class OfferForm(FlaskForm):
    message = TextAreaField(_l("How can you help?"), validators=[DataRequired(), Length(max=2000)])


class AvailabilityForm(HoursMixin, FlaskForm):
    languages = languages_field(_l("Languages you can help in"))


class BoardFilterForm(Form):
    subject = subject_field(_l("Subject"), blank=_l("All subjects"))
    language = language_field(_l("Language"), blank=_l("All languages"))
