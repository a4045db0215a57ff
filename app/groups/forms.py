"""Group and activity forms. They parse and type-check; the rules live in
the services (`services`, `activities`, `challenges`)."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.forms import ConfirmForm
from app.form_fields import choices, timezone_field
from app.groups import units
from app.groups.models import (
    ACTIVITY_VISIBILITIES,
    CHALLENGE_KINDS,
    FOCUSES,
    GROUP_VISIBILITIES,
    ROLE_NAMES,
    SPORTS,
    UNITS,
)

__all__ = ["ActivityForm", "ChallengeForm", "CommentForm", "ConfirmForm", "CoverForm", "GroupForm", "PhotoForm",
           "RoleForm", "TransferForm", "UnitForm"]


def translated(pairs) -> list:
    """Choices whose English labels (marked N_ in models) show in the reader's language."""
    return choices((value, _l(label)) for value, label in pairs)


class NumberField(StringField):
    """A decimal number typed by a person ("5", "5.25", "5,25"); empty is None."""

    keyboard: ClassVar[dict[str, str]] = {"inputmode": "decimal", "autocomplete": "off"}

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        self.data = units.parse_decimal(raw) if raw else None
        if raw and self.data is None:
            raise ValueError(_l("Give a number, e.g. 5 or 5.25."))

    def _value(self):
        return getattr(self, "raw", None) or ("" if self.data is None else str(self.data))


class DurationField(StringField):
    """"45" minutes, "45:30" or "1:02:30"; stored in `.data` as seconds.

    No phone keypad has ":", so it keeps the text keyboard (whose number
    layer has it); the pattern and placeholder show the shape wanted."""

    keyboard: ClassVar[dict[str, str]] = {
        "placeholder": "45:00", "pattern": r"[0-9]+([.,][0-9]+)?|([0-9]+:)?[0-9]+:[0-5][0-9]",
        "autocomplete": "off", "spellcheck": "false"}

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        self.data = units.parse_duration(raw) if raw else None
        if raw and self.data is None:
            raise ValueError(_l("Write the duration as minutes (45), mm:ss (45:30) or h:mm:ss (1:02:30)."))

    def _value(self):
        if getattr(self, "raw", None):
            return self.raw
        return units.format_duration(self.data) if self.data else ""


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("e.g. “Staffroom Runners” or “Year 6 teachers in Leeds”."))
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)],
                                description=_l("Who it is for and how you meet. Markdown works."))
    focus = SelectField(_l("Focus"), choices=translated(FOCUSES.items()), default="running",
                        description=_l("Which activities count: one sport, every sport (mixed), or none (interest)."))
    visibility = RadioField(_l("Who can see and join"), choices=translated(GROUP_VISIBILITIES.items()),
                            default="public")
    weekly_goal = NumberField(_l("Weekly goal per member"), validators=[Optional()],
                              description=_l("Each member's distance a week, e.g. 25. Leave empty for none."))
    group_goal = NumberField(_l("Weekly goal for the whole group"), validators=[Optional()],
                             description=_l("Optional: what everyone adds up to in a week."))
    timezone = timezone_field(label=_l("Time zone"), description=_l("Weeks run Monday to Sunday in this zone."))


class CoverForm(FlaskForm):
    """The image alone: a failed upload is the file's own fault, so nothing is held
    for a retry (app/uploads holds files of forms with other fields)."""

    cover = FileField(_l("Cover image"), validators=[FileRequired(_l("Choose an image."))],
                      description=_l("PNG, JPEG, GIF or WebP, up to 5 MB. We crop it to a wide banner."))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=translated((role, ROLE_NAMES[role]) for role in ("member", "admin")))


class TransferForm(FlaskForm):
    username = SelectField(_l("New owner"), choices=[], validators=[DataRequired()],
                           description=_l("You stay on as an admin."))


class UnitForm(FlaskForm):
    distance_unit = RadioField(_l("Show and enter distances in"), choices=translated(UNITS.items()), default="km")
    weekly_goal = NumberField(_l("My weekly goal"), validators=[Optional()],
                              description=_l("A distance a week, in the unit above, e.g. 20. It is the dashed line on "
                                             "your chart. Leave empty for none."))


class ActivityForm(FlaskForm):
    sport = SelectField(_l("Sport"), choices=translated(SPORTS.items()), default="run")
    gpx = FileField(_l("GPX or FIT file (optional)"),
                    description=_l("From your watch or app. Its distance, moving time, climb and start time are used; "
                                   "a FIT file's sport too."))
    # A GPX file from an earlier try of this form that failed (app/uploads/held.py).
    held_token = HiddenField()
    drop_held = BooleanField(_l("Remove it"))
    distance = NumberField(_l("Distance"), validators=[Optional()])
    duration = DurationField(_l("Duration"), validators=[Optional()],
                             description=_l("Minutes (45), mm:ss (45:30) or h:mm:ss (1:02:30)."))
    date = DateField(_l("Date"), validators=[Optional()])
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    title = StringField(_l("Title"), validators=[Length(max=120)],
                        description=_l("Leave empty for e.g. “Morning run”."))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)], description=_l("How it went. Markdown works."))
    visibility = RadioField(lazy_pgettext("activity", "Who can see it"),
                            choices=translated(ACTIVITY_VISIBILITIES.items()), default="groups")

    def validate_distance(self, field):
        gpx_chosen = bool(self.gpx.data and getattr(self.gpx.data, "filename", ""))
        held = bool(self.held_token.data) and not self.drop_held.data  # the service checks it is real
        if field.data is None and not (gpx_chosen or held):
            raise ValidationError(_l("Give the distance, or upload a GPX or FIT file."))


class PhotoForm(FlaskForm):
    """A photo for an activity. Its submit fails only because of the file
    (the description has a length limit the browser keeps too), so nothing
    is held for a retry."""

    photo = FileField(_l("Photo"), validators=[FileRequired(_l("Choose a photo."))],
                      description=_l("PNG, JPEG, GIF or WebP, up to 5 MB. We keep a resized copy without "
                                     "its camera data or location."))
    alt_text = StringField(_l("Describe it"), validators=[Length(max=200)],
                           description=_l("For people who cannot see it, e.g. “Frost on the towpath at 3 km”."))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(_l("Write a comment first.")), Length(max=1000)])


class ChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)],
                        description=_l("e.g. “100 km in November” or “Run 5 days this week”."))
    kind = RadioField(_l("Goal"), choices=translated(CHALLENGE_KINDS.items()), default="distance")
    target = NumberField(_l("Target"), validators=[DataRequired(_l("Give the target."))],
                         description=_l("A distance, or a number of days with at least one activity."))
    sport = SelectField(_l("Sport"), choices=[], validators=[Optional()])
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Give the first day."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Give the last day."))])
