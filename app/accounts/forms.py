"""Account forms. They parse and type-check; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.form_fields import age_ranges_field, choices, country_field, subjects_field, timezone_field
from app.i18n import LANGUAGE_NAMES


class RegisterForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)],
                               description=_l("As other educators will see it, e.g. Amira Haddad."))
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=30)],
                           description=_l("3-30 letters, digits or underscores; used in @mentions."))
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    country = country_field(label=_l("Country"), blank=_l("Choose your country"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)],
                             description=_l("At least 10 characters."))
    # Set to the device's own zone by static/js/timezone.js; UTC without it.
    # The service checks the name, with a clearer message than "Not a valid choice".
    timezone = timezone_field(label=_l("Time zone"), default="UTC", validate_choice=False,
                              description=_l("Times on the site are shown in this zone. You can change it later "
                                             "on your profile."))


class LoginForm(FlaskForm):
    login = StringField(_l("Username or email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    country = country_field(blank=_l("Choose your country"), validators=[DataRequired()])
    school = StringField(_l("School"), validators=[Length(max=120)])
    timezone = timezone_field(description=_l("Event times are shown in this zone."))
    locale = SelectField(_l("Language"), choices=choices([("", _l("As my browser asks")), *LANGUAGE_NAMES.items()]),
                         validate_choice=False,  # the service says which languages there are
                         description=_l("The language of the site's pages and of the mail we send you."))
    subjects = subjects_field(_l("Subjects you teach"))
    age_ranges = age_ranges_field(_l("Age ranges you teach"))
    bio = TextAreaField(_l("About you"), validators=[Length(max=2000)],
                        description=_l("A few lines; markdown works (links, *emphasis*, lists)."))


class AvatarForm(FlaskForm):
    """The picture alone: a failed upload is the file's own fault (not an image, too
    big), so unlike the share form (app/uploads) there is nothing to hold for a retry."""

    avatar = FileField(_l("Profile picture"), validators=[FileRequired(_l("Choose an image."))],
                       description=_l("PNG, JPEG, GIF or WebP, up to 5 MB. We crop it square."))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)],
                                 description=_l("At least 10 characters. Other devices will be signed out."))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("What it is for, e.g. 'gradebook sync'."))


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""


class SuspendForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       description=_l("The address you registered with."))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)],
                             description=_l("At least 10 characters. Every device will be signed out."))
    confirm = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=128)])


class EmailChangeForm(FlaskForm):
    email = EmailField(_l("New email address"), validators=[DataRequired(), Length(max=254)],
                       description=_l("We send a link there; the change happens when you follow it."))
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])
