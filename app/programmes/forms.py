"""Programme forms. They parse and type-check; the rules live in the services.

Dates are typed in the admin's own time zone (datetime-local) and turned
into UTC by `to_utc`; weekly hours are "HH:MM" in the member's zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

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
from app.form_fields import MultiCheckboxField, choices, country_field, timezone_field
from app.programmes.geo import city_choices
from app.programmes.hours import WEEKDAYS
from app.programmes.models import DECISIONS
from app.programmes.regions import REGIONS
from app.programmes.schools import MAX_POSITION
from app.resources.forms import ACCEPT_ATTRIBUTE, LANGUAGES
from app.vocabulary import AGE_RANGES, SUBJECTS

__all__ = ["ConfirmForm"]

SCORES = choices([(str(n), str(n)) for n in range(1, 6)])
WEEKDAY_CHOICES = choices((str(n), name) for n, name in enumerate(WEEKDAYS))
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def to_utc(value: datetime | None, zone: str) -> datetime | None:
    """A naive datetime typed in `zone` as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(zone or "UTC")).astimezone(ZoneInfo("UTC"))


def from_utc(value: datetime | None, zone: str) -> datetime | None:
    return value.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None) if value else None


# Cohorts -----------------------------------------------------------------------------------------

class QuestionRow(Form):
    text = StringField("Question", validators=[Length(max=300)])
    help = StringField("Help text", validators=[Length(max=500)])
    required = BooleanField("Required", default=True)
    max_length = IntegerField("Maximum length (characters)", default=2000,
                              validators=[Optional(), NumberRange(min=50, max=10_000)])


class CohortForm(FlaskForm):
    school_year = StringField("School year", validators=[DataRequired(), Length(max=9)],
                              description="For example 2026-2027.")
    title = StringField(
        "Title", validators=[Length(max=120)], description="Optional; e.g. Staffroom Experts 2026-2027."
    )
    description = TextAreaField("About this cohort", validators=[Length(max=10_000)])
    nominations_open_at = DateTimeLocalField("Nominations open", format=DATETIME_FORMAT, validators=[DataRequired()])
    nominations_close_at = DateTimeLocalField("Nominations close (the deadline)", format=DATETIME_FORMAT,
                                              validators=[DataRequired()])
    review_starts_at = DateTimeLocalField("Review starts", format=DATETIME_FORMAT, validators=[DataRequired()])
    review_ends_at = DateTimeLocalField("Review ends", format=DATETIME_FORMAT, validators=[DataRequired()])
    announce_at = DateTimeLocalField("Results announced at", format=DATETIME_FORMAT, validators=[DataRequired()])
    questions = FieldList(FormField(QuestionRow), min_entries=5, max_entries=20)


class AssignForm(FlaskForm):
    username = StringField("Reviewer's username", validators=[DataRequired(), Length(max=30)])
    country = country_field(blank="(or a region)")
    region = SelectField("Region", choices=choices([("", "(or a country)"), *REGIONS.items()]))


class DecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=choices(DECISIONS.items()), validators=[DataRequired()])


class ReviewForm(FlaskForm):
    impact = SelectField("Impact on learners", choices=SCORES, validators=[DataRequired()])
    innovation = SelectField("Innovation in teaching", choices=SCORES, validators=[DataRequired()])
    sharing = SelectField("Sharing with colleagues", choices=SCORES, validators=[DataRequired()])
    evidence_quality = SelectField("Quality of the evidence", choices=SCORES, validators=[DataRequired()])
    comment = TextAreaField("Comments", validators=[Length(max=5000)])


class AnnouncementForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Message", validators=[Length(max=20_000)], description="Markdown works.")


# Applications ----------------------------------------------------------------------------------------

class PortfolioForm(FlaskForm):
    refs = MultiCheckboxField("From your portfolio", choices=[], validate_choice=False)  # the service ignores strangers

    def offer(self, items) -> PortfolioForm:
        self.refs.choices = choices((item.ref, item.title) for item in items)
        return self


class LinkEvidenceForm(FlaskForm):
    url = URLField("Link", validators=[DataRequired(), Length(max=2000)],
                   description="An http:// or https:// address, e.g. a video of your lesson.")
    title = StringField("What it shows", validators=[Length(max=200)])


class FileEvidenceForm(FlaskForm):
    """The file alone: a failed upload is the file's own fault (type, size) or a
    closed application, so nothing is held for a retry (see app/uploads)."""

    file = FileField("File", description="PDF, Word, PowerPoint, Excel, an image or text.",
                     render_kw={"accept": ACCEPT_ATTRIBUTE})


class CertificationForm(FlaskForm):
    name = StringField("Certification", validators=[DataRequired(), Length(max=120)],
                       description="E.g. Certified Educator (level 2).")
    issuer = StringField("Issued by", validators=[Length(max=120)])
    year = IntegerField("Year", validators=[Optional(), NumberRange(min=1950, max=2100)])
    url = URLField("Link to verify it", validators=[Optional(), Length(max=2000)])


class ExpertSearchForm(Form):
    q = StringField("Search by name, school or subject", validators=[Length(max=100)])


# Schools ---------------------------------------------------------------------------------------------

class SchoolForm(FlaskForm):
    name = StringField("School name", validators=[DataRequired(), Length(max=160)])
    country = country_field(validators=[DataRequired()])
    city = StringField("City or town", validators=[DataRequired(), Length(max=100)])
    website = URLField("Website", validators=[Optional(), Length(max=500)])
    description = TextAreaField("About the school", validators=[Length(max=10_000)], description="Markdown works.")
    latitude = FloatField("Latitude", validators=[Optional()], description="Optional, e.g. 51.5074.")
    longitude = FloatField("Longitude", validators=[Optional()], description="Optional, e.g. -0.1278.")


class LeaderForm(FlaskForm):
    username = StringField("Add a leader (username)", validators=[DataRequired(), Length(max=30)])


class TickForm(FlaskForm):
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(max=2000)],
                             description="What you did and how you know it worked.")
    evidence_url = URLField("Link (optional)", validators=[Optional(), Length(max=2000)])


class ShowcaseApplyForm(FlaskForm):
    statement = TextAreaField("Why your school is ready", validators=[DataRequired(), Length(max=5000)])


class ChecklistItemForm(FlaskForm):
    title = StringField("Criterion", validators=[DataRequired(), Length(max=160)])
    description = TextAreaField("What counts as evidence", validators=[Length(max=1000)])
    position = IntegerField("Position", validators=[Optional(), NumberRange(min=0, max=MAX_POSITION)])
    active = BooleanField("In use", default=True)


class WindowForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)], description="E.g. Spring 2027.")
    opens_at = DateTimeLocalField("Opens", format=DATETIME_FORMAT, validators=[DataRequired()])
    closes_at = DateTimeLocalField("Closes", format=DATETIME_FORMAT, validators=[DataRequired()])


class DirectoryForm(Form):
    """The directory's GET filters: no CSRF, bad values ignored."""

    country = country_field(blank="All countries")
    city = StringField("City", validators=[Length(max=100)])
    near = SelectField("Near a city", choices=choices([("", "Choose a city"), *city_choices()]))
    lat = FloatField("Your latitude", validators=[Optional(), NumberRange(min=-90, max=90)])
    lon = FloatField("Your longitude", validators=[Optional(), NumberRange(min=-180, max=180)])


# The collaboration board --------------------------------------------------------------------------------

def language_choices():
    return choices(LANGUAGES.items())


class HoursMixin:
    weekdays = MultiCheckboxField("Days", choices=WEEKDAY_CHOICES, default=["0", "1", "2", "3", "4"])
    start = StringField("From (HH:MM)", validators=[DataRequired(), Length(max=5)], default="09:00",
                        render_kw={"inputmode": "numeric", "pattern": "[0-2][0-9]:[0-5][0-9]"})
    end = StringField("To (HH:MM)", validators=[DataRequired(), Length(max=5)], default="17:00",
                      render_kw={"inputmode": "numeric", "pattern": "[0-2][0-9]:[0-5][0-9]"})


class CollabRequestForm(HoursMixin, FlaskForm):
    title = StringField("What are you looking for?", validators=[DataRequired(), Length(max=200)],
                        description="E.g. A guest native English speaker for my Year 9 class, 30 minutes by video.")
    body = TextAreaField("Details", validators=[Length(max=5000)])
    subject = SelectField("Subject", choices=choices([("", "Choose a subject"), *SUBJECTS.items()]))
    age_range = SelectField("Age range", choices=choices([("", "Choose an age range"), *AGE_RANGES.items()]))
    language = SelectField("Language", choices=language_choices(), default="en")
    timezone = timezone_field("Your time zone")


class OfferForm(FlaskForm):
    message = TextAreaField("How can you help?", validators=[DataRequired(), Length(max=2000)])


class AvailabilityForm(HoursMixin, FlaskForm):
    languages = MultiCheckboxField("Languages you can help in", choices=language_choices())


class BoardFilterForm(Form):
    subject = SelectField("Subject", choices=choices([("", "All subjects"), *SUBJECTS.items()]))
    language = SelectField("Language", choices=choices([("", "All languages"), *LANGUAGES.items()]))
