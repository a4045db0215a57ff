"""Forum forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.forms import ConfirmForm
from app.form_fields import MultiCheckboxField, choices
from app.tags import MAX_TAG_LENGTH

__all__ = ["CategoryForm", "ConfirmForm", "EditPostForm", "LevelForm", "ListForm", "MoveForm", "ReasonForm",
           "ReplyForm", "ReportForm", "SplitForm", "ThreadEditForm", "ThreadForm"]

BODY_HINT = _l("Markdown works: **bold**, *italic*, [links](https://example.org), lists, > quotes and "
             "```code blocks```. Mention someone with @username.")
IMAGE_HINT = _l("PNG, JPEG, GIF or WebP, up to 5 MB. It is added to your text as ![description](address): "
              "say what the picture shows between the square brackets.")
KIND_CHOICES = [("question", _l("A question: I need an answer")),
                ("discussion", _l("A discussion: ideas and opinions"))]
ACCESS_LABELS = {"everyone": _l("Everyone (visitors too)"), "members": _l("Signed-in members"),
                 "moderators": _l("Moderators only")}
# static/js/mention.js offers members to @mention in fields with this attribute.
MENTIONS = {"data-mention": ""}
LEVEL_CHOICES = [("watching", _l("Watch")), ("normal", _l("Normal")), ("muted", _l("Mute"))]


class ComposerForm(FlaskForm):
    """A form with a post's text box, and the composer's image picker
    (templates/forum/_composer.html; views.composer_step)."""

    image = FileField(_l("Add an image"), description=IMAGE_HINT)


class ThreadForm(ComposerForm):
    category = SelectField(_l("Category"), choices=[], validators=[DataRequired(_l("Choose a category."))])
    kind = RadioField(_l("What is it?"), choices=choices(KIND_CHOICES), default="question")
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("One line colleagues will recognise, e.g. “How do I set up breakout rooms "
                                    "in a class meeting?”"))
    body = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=20_000)], description=BODY_HINT,
                         render_kw=MENTIONS)
    tags = StringField(_l("Tags"), validators=[Length(max=200)],
                       description=_l("Up to 5, separated by commas, e.g. teams, breakout-rooms."))

    def offer(self, categories) -> ThreadForm:
        self.category.choices = choices([("", _l("Choose a category")), *((c.slug, c.name) for c in categories)])
        return self


class ThreadEditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    tags = StringField(_l("Tags"), validators=[Length(max=200)], description=_l("Up to 5, separated by commas."))


class ReplyForm(ComposerForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired(_l("Write your reply first.")), Length(max=20_000)],
                         description=BODY_HINT, render_kw=MENTIONS)
    reply_to = HiddenField()


class EditPostForm(ComposerForm):
    body = TextAreaField(_l("Post"), validators=[DataRequired(), Length(max=20_000)], description=BODY_HINT,
                         render_kw=MENTIONS)


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this post?"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Only moderators see your report."))


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Length(max=500)], description=_l("Goes in the moderation log."))


class MoveForm(FlaskForm):
    category = SelectField(_l("Move to"), choices=[], validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Length(max=500)], description=_l("Goes in the moderation log."))


class SplitForm(FlaskForm):
    title = StringField(_l("Title of the new thread"), validators=[DataRequired(), Length(max=200)])
    post_ids = MultiCheckboxField(_l("Replies to move"), coerce=int, choices=[])
    reason = StringField(_l("Reason"), validators=[Length(max=500)], description=_l("Goes in the moderation log."))


class LevelForm(FlaskForm):
    level = HiddenField(validators=[DataRequired()])


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    slug = StringField(_l("Address"), validators=[Length(max=60)],
                       description=_l("The end of /discuss/c/...; left empty, it is made from the name."))
    description = TextAreaField(_l("Description"), validators=[Length(max=500)])
    position = IntegerField(_l("Order"), validators=[InputRequired(), NumberRange(min=0, max=10_000)], default=0,
                            description=_l("Lower numbers come first."))
    read_access = SelectField(_l("Who may read"), choices=choices(ACCESS_LABELS.items()), default="everyone")
    start_access = SelectField(_l("Who may start threads"), choices=choices(
        (k, v) for k, v in ACCESS_LABELS.items() if k != "everyone"), default="members")
    reply_access = SelectField(_l("Who may reply"), choices=choices(
        (k, v) for k, v in ACCESS_LABELS.items() if k != "everyone"), default="members")

    def fields(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("name", "slug", "description", "position", "read_access", "start_access", "reply_access")}


class ListForm(Form):
    """A thread list's GET filters: no CSRF (nothing changes), unknown values ignored."""

    sort = SelectField(_l("Sort"), choices=choices([("latest", _l("Latest activity")), ("newest", _l("Newest")),
                                                 ("top", _l("Top")), ("unanswered", _l("Unanswered questions"))]),
                       default="latest")
    kind = SelectField(_l("Show"), choices=choices([("", _l("Questions and discussions")),
                                                 ("question", _l("Questions")),
                                                 ("discussion", _l("Discussions"))]), default="")
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=MAX_TAG_LENGTH)])

    def filters(self) -> dict:
        values = {}
        if self.sort.data in ("newest", "top", "unanswered"):
            values["sort"] = self.sort.data
        if self.kind.data in ("question", "discussion"):
            values["kind"] = self.kind.data
        tag = (self.tag.data or "").strip()[:MAX_TAG_LENGTH]
        if tag:
            values["tag"] = tag
        return values

