"""Private-message forms: they parse; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from app.messages.services import MAX_BODY, MAX_PEOPLE


class NewConversationForm(FlaskForm):
    to = StringField(_l("To"), validators=[DataRequired(message=_l("Name at least one other member."))],
                     description=_l("Usernames, separated by spaces or commas (up to %(num)s people).",
                                    num=MAX_PEOPLE - 1))
    body = TextAreaField(_l("Message"), validators=[DataRequired(message=_l("Write a message.")), Length(max=MAX_BODY)],
                         render_kw={"data-mention": ""})  # static/js/mention.js


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(message=_l("Write a message.")), Length(max=MAX_BODY)],
                         render_kw={"data-mention": ""})  # static/js/mention.js


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Why should the moderators look at this?"), validators=[Length(max=500)])


class ConfirmForm(FlaskForm):
    """A button that posts with a CSRF token."""


class BlockForm(FlaskForm):
    """The confirmation step of blocking: only a POST from the "Block X?"
    page blocks (a bare POST, say from a page of an older version, asks first)."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])  # "yes" only on the confirmation page
    conversation = HiddenField()  # where the member came from, to go back there
