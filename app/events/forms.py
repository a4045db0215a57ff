"""Event forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
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


def translated(labels: dict, blank=None) -> list:
    """A fixed list's choices (its English marked N_ where it is defined) in
    the request's language, after an optional first blank option."""
    pairs = [(value, _l(label)) for value, label in labels.items()]
    return choices([("", blank), *pairs] if blank is not None else pairs)


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("e.g. “TweetMeet: feedback that moves learning forward”."))
    kind = SelectField(_l("Kind of event"), choices=translated(KINDS), default="connection_call")
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)],
                                description=_l("What happens, who it is for. "
                                               "Markdown works (links, *emphasis*, lists)."))
    start_date = DateField(_l("Date"), validators=[InputRequired(message=_l("Give the date."))])
    start_time = TimeField(_l("Start time"), validators=[InputRequired(message=_l("Give the start time."))])
    timezone = timezone_field(_l("Time zone of that time"),
                              description=_l("The start is entered in this zone; everyone sees it in their own too."))
    duration_min = IntegerField(_l("Length in minutes"), default=60,
                                validators=[InputRequired(message=_l("Give the length in minutes.")),
                                            NumberRange(min=5, max=24 * 60)])
    hosts = StringField(_l("Co-hosts"), validators=[Length(max=400)],
                        description=_l("Usernames separated by commas, e.g. amira_h, leyla_m. "
                                       "You are always a host."))
    hashtag = StringField(_l("Topic hashtag"), validators=[Length(max=51)],
                          description=_l("Optional, e.g. #EduChat."))
    is_online = RadioField(_l("Where"), default="1",
                           choices=choices([("1", _l("Online, in the event's live room")), ("0", _l("In person"))]))
    meeting_url = URLField(_l("Meeting link"),
                           validators=[Length(max=500, message=_l("Use a link of at most 500 characters."))],
                           description=_l("Online events: the Zoom, Teams, Jitsi or other https link to the call. "
                                          "Only members going see it, from 15 minutes before the start to the end."))
    location = StringField(_l("Venue"), validators=[Length(max=200)], description=_l("For events in person."))
    city = StringField(_l("City"), validators=[Length(max=100)])
    country = country_field(label=_l("Country"), blank=_l("Choose a country"))
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1, max=100_000)],
                            description=_l("Leave empty for no limit. Beyond it members join a waitlist."))
    visibility = RadioField(lazy_pgettext("event", "Who can see it"),
                            choices=translated(VISIBILITIES), default="public")
    status = RadioField(_l("When"), choices=choices([("published", _l("Publish now")),
                                                     ("draft", _l("Save as a draft (only hosts see it)"))]),
                        default="published")
    always_open = BooleanField(_l("Drop-in room: open around the clock (moderators)"))
    repeat = SelectField(_l("Repeats"), choices=translated(REPEATS, _l("Does not repeat")), default="",
                         description=_l("Each date gets its own RSVPs, live room and reminders."))
    repeat_count = IntegerField(_l("Number of dates"), default=12,
                                validators=[Optional(), NumberRange(min=2, max=MAX_DATES)],
                                description=_l("From 2 to %(max)s, the first date included.", max=MAX_DATES))
    repeat_until = DateField(_l("Or until (a date)"), validators=[Optional()],
                             description=_l("Instead of a number: the last day, within %(years)s years.",
                                             years=MAX_YEARS))

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

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10_000)],
                                description=_l("Markdown works (links, *emphasis*, lists)."))


class QuestionForm(FlaskForm):
    body = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)],
                       description=_l("Posted in the room as Q1, Q2…; members answer with A1, A2…"))
    offset_min = IntegerField(_l("Minutes after the start"), default=5,
                              validators=[InputRequired(message=_l("Give the minutes after the start.")),
                                          NumberRange(min=0, max=24 * 60)])


class EventFilterForm(Form):
    """The lists' GET filters: no CSRF (nothing changes), unknown values ignored."""

    kind = SelectField(_l("Kind"), choices=translated(KINDS, _l("All kinds")))
    country = country_field(label=_l("Country"), blank=_l("All countries"))

    def filters(self) -> dict:
        values = {}
        if self.kind.data in KINDS:
            values["kind"] = self.kind.data
        codes = {code for code, _ in countries()}
        if (self.country.data or "").upper() in codes:
            values["country"] = self.country.data.upper()
        return values
