"""Event forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.forms import ConfirmForm
from app.events.models import KINDS, VISIBILITIES
from app.events.series import MAX_DATES, MAX_YEARS, REPEATS
from app.form_fields import choices, country_field, timezone_field
from app.vocabulary import countries

__all__ = ["ConfirmForm", "EventFilterForm", "EventForm", "QuestionForm", "SeriesForm"]


class EventForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)],
                        description="e.g. “TweetMeet: feedback that moves learning forward”.")
    kind = SelectField("Kind of event", choices=choices(KINDS.items()), default="connection_call")
    description = TextAreaField("Description", validators=[Length(max=10_000)],
                                description="What happens, who it is for. Markdown works (links, *emphasis*, lists).")
    start_date = DateField("Date", validators=[InputRequired(message="Give the date.")])
    start_time = TimeField("Start time", validators=[InputRequired(message="Give the start time.")])
    timezone = timezone_field("Time zone of that time",
                              description="The start is entered in this zone; everyone sees it in their own too.")
    duration_min = IntegerField("Length in minutes", default=60,
                                validators=[InputRequired(message="Give the length in minutes."),
                                            NumberRange(min=5, max=24 * 60)])
    hosts = StringField("Co-hosts", validators=[Length(max=400)],
                        description="Usernames separated by commas, e.g. amira_h, leyla_m. You are always a host.")
    hashtag = StringField("Topic hashtag", validators=[Length(max=51)], description="Optional, e.g. #EduChat.")
    is_online = RadioField("Where", choices=choices([("1", "Online, in the event's live room"), ("0", "In person")]),
                           default="1")
    meeting_url = URLField("Meeting link",
                           validators=[Length(max=500, message="Use a link of at most 500 characters.")],
                           description="Online events: the Zoom, Teams, Jitsi or other https link to the call. "
                                       "Only members going see it, from 15 minutes before the start to the end.")
    location = StringField("Venue", validators=[Length(max=200)], description="For events in person.")
    city = StringField("City", validators=[Length(max=100)])
    country = country_field()
    capacity = IntegerField("Places", validators=[Optional(), NumberRange(min=1, max=100_000)],
                            description="Leave empty for no limit. Beyond it members join a waitlist.")
    visibility = RadioField("Who can see it", choices=choices(VISIBILITIES.items()), default="public")
    status = RadioField("When", choices=choices([("published", "Publish now"),
                                                 ("draft", "Save as a draft (only hosts see it)")]),
                        default="published")
    always_open = BooleanField("Drop-in room: open around the clock (moderators)")
    repeat = SelectField("Repeats", choices=choices([("", "Does not repeat"), *REPEATS.items()]), default="",
                         description="Each date gets its own RSVPs, live room and reminders.")
    repeat_count = IntegerField("Number of dates", default=12,
                                validators=[Optional(), NumberRange(min=2, max=MAX_DATES)],
                                description=f"From 2 to {MAX_DATES}, the first date included.")
    repeat_until = DateField("Or until (a date)", validators=[Optional()],
                             description=f"Instead of a number: the last day, within {MAX_YEARS} years.")

    def local_start(self) -> datetime | None:
        if self.start_date.data is None or self.start_time.data is None:
            return None
        return datetime.combine(self.start_date.data, self.start_time.data)

    def fields(self, with_status: bool = True, moderator: bool = False) -> dict:
        data = {
            "title": self.title.data, "kind": self.kind.data, "description": self.description.data or "",
            "local_start": self.local_start(), "timezone": self.timezone.data,
            "duration_min": self.duration_min.data, "hosts": self.hosts.data or "",
            "hashtag": self.hashtag.data or "", "is_online": self.is_online.data == "1",
            "meeting_url": self.meeting_url.data or "",
            "location": self.location.data or "", "city": self.city.data or "", "country": self.country.data or "",
            "capacity": self.capacity.data, "visibility": self.visibility.data,
        }
        if with_status:
            data["status"] = self.status.data
        if moderator:
            data["always_open"] = bool(self.always_open.data)
        return data


class SeriesForm(FlaskForm):
    """What changes for every date of a series still ahead."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=10_000)],
                                description="Markdown works (links, *emphasis*, lists).")


class QuestionForm(FlaskForm):
    body = StringField("Question", validators=[DataRequired(), Length(max=500)],
                       description="Posted in the room as Q1, Q2…; members answer with A1, A2…")
    offset_min = IntegerField("Minutes after the start", default=5,
                              validators=[InputRequired(message="Give the minutes after the start."),
                                          NumberRange(min=0, max=24 * 60)])


class EventFilterForm(Form):
    """The lists' GET filters: no CSRF (nothing changes), unknown values ignored."""

    kind = SelectField("Kind", choices=choices([("", "All kinds"), *KINDS.items()]))
    country = country_field(blank="All countries")

    def filters(self) -> dict:
        values = {}
        if self.kind.data in KINDS:
            values["kind"] = self.kind.data
        codes = {code for code, _ in countries()}
        if (self.country.data or "").upper() in codes:
            values["country"] = self.country.data.upper()
        return values
