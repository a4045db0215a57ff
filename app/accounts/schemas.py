"""Marshmallow schemas: they validate API requests and generate the spec."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for

from app.vocabulary import AGE_RANGES, SUBJECTS, country_name

_v = ma.validate


class UserCreateSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=_v.Length(min=3, max=30))
    email = ma.fields.String(required=True, validate=_v.Length(max=254))
    password = ma.fields.String(required=True, load_only=True, validate=_v.Length(max=128))
    display_name = ma.fields.String(required=True, validate=_v.Length(min=1, max=80))
    country = ma.fields.String(required=True, validate=_v.Length(equal=2),
                               metadata={"description": "ISO 3166-1 alpha-2, e.g. GB"})
    school = ma.fields.String(allow_none=True, validate=_v.Length(max=120))
    subjects = ma.fields.List(ma.fields.String(validate=_v.OneOf(list(SUBJECTS))), validate=_v.Length(max=30))
    age_ranges = ma.fields.List(ma.fields.String(validate=_v.OneOf(list(AGE_RANGES))), validate=_v.Length(max=10))
    timezone = ma.fields.String(validate=_v.Length(max=64), metadata={"description": "IANA name"})
    bio = ma.fields.String(validate=_v.Length(max=2000), metadata={"description": "markdown"})


class ProfileUpdateSchema(ma.Schema):
    display_name = ma.fields.String(validate=_v.Length(min=1, max=80))
    country = ma.fields.String(validate=_v.Length(equal=2))
    school = ma.fields.String(allow_none=True, validate=_v.Length(max=120))
    subjects = ma.fields.List(ma.fields.String(validate=_v.OneOf(list(SUBJECTS))), validate=_v.Length(max=30))
    age_ranges = ma.fields.List(ma.fields.String(validate=_v.OneOf(list(AGE_RANGES))), validate=_v.Length(max=10))
    timezone = ma.fields.String(validate=_v.Length(max=64))
    locale = ma.fields.String(allow_none=True, validate=_v.Length(max=16), metadata={
        "description": "the site's language for this member: en, es, fr, pt_BR or ar (pt-BR accepted); "
                       "null or \"\" follows the switcher's cookie or Accept-Language"})
    bio = ma.fields.String(validate=_v.Length(max=2000))


class PublicUserSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    country = ma.fields.String(allow_none=True)
    country_name = ma.fields.Function(lambda user: country_name(user.country))
    school = ma.fields.String(allow_none=True)
    subjects = ma.fields.List(ma.fields.String())
    age_ranges = ma.fields.List(ma.fields.String())
    timezone = ma.fields.String()
    bio_html = ma.fields.String()
    role = ma.fields.String()
    avatar_url = ma.fields.Function(
        lambda user: url_for("accounts.avatar", username=user.username) if user.avatar_file else None
    )
    profile_url = ma.fields.Function(lambda user: url_for("accounts.profile", username=user.username))
    created_at = ma.fields.AwareDateTime()


class MeSchema(PublicUserSchema):
    email = ma.fields.String()
    email_verified = ma.fields.Boolean(metadata={"description": "false until the mailed link is followed; "
                                                                "until then posting and messaging answer 403 "
                                                                "email_not_verified"})
    locale = ma.fields.String(allow_none=True, metadata={"description": "en, es, fr, pt_BR or ar; null: not chosen"})
    pending_email = ma.fields.String(allow_none=True, metadata={"description": "a new address awaiting confirmation"})
    bio = ma.fields.String(attribute="bio_md")


class TokenCreateSchema(ma.Schema):
    login = ma.fields.String(required=True, validate=_v.Length(min=1, max=254),
                             metadata={"description": "username or email"})
    password = ma.fields.String(required=True, load_only=True, validate=_v.Length(max=128))
    name = ma.fields.String(validate=_v.Length(max=80))


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    user = ma.fields.Nested(MeSchema)


class SessionSchema(ma.Schema):
    id = ma.fields.Integer()
    device = ma.fields.String(metadata={"description": "a short reading of the browser, e.g. Chrome on Windows"})
    ip = ma.fields.String(allow_none=True, metadata={"description": "the address it was last seen from"})
    created_at = ma.fields.AwareDateTime()
    last_seen_at = ma.fields.AwareDateTime(metadata={"description": "updated at most once a minute"})
    current = ma.fields.Boolean(metadata={"description": "the session this request was made with"})


class SessionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SessionSchema))
