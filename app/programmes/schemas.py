"""Marshmallow schemas of the programmes API: they validate requests and
generate the OpenAPI document. Shapes and lengths here; rules in services."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from app.api_support import FileUpload, Id, Page
from app.i18n import N_
from app.params import MAX_ID
from app.programmes import clock, collaborate, hours
from app.programmes.applications import state, visible_decision
from app.programmes.models import DECISIONS
from app.programmes.regions import REGIONS
from app.programmes.schools import MAX_POSITION
from app.vocabulary import AGE_RANGES, SUBJECTS, country_name

_v = ma.validate
DATES = ("nominations_open_at", "nominations_close_at", "review_starts_at", "review_ends_at", "announce_at")


class ProgrammeUserSchema(ma.Schema):
    username = ma.fields.String()
    display_name = ma.fields.String()
    country = ma.fields.String(allow_none=True)


# Cohorts ------------------------------------------------------------------------------------------

class CohortQuestionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    position = ma.fields.Integer(dump_only=True)
    text = ma.fields.String(required=True, validate=_v.Length(min=1, max=300))
    help = ma.fields.String(load_default="", validate=_v.Length(max=500))
    required = ma.fields.Boolean(load_default=True)
    max_length = ma.fields.Integer(load_default=2000, validate=_v.Range(min=50, max=10_000))


class CohortSchema(ma.Schema):
    id = ma.fields.Integer()
    school_year = ma.fields.String()
    title = ma.fields.String()
    description_html = ma.fields.String()
    nominations_open_at = ma.fields.AwareDateTime()
    nominations_close_at = ma.fields.AwareDateTime()
    review_starts_at = ma.fields.AwareDateTime()
    review_ends_at = ma.fields.AwareDateTime()
    announce_at = ma.fields.AwareDateTime()
    phase = ma.fields.Function(lambda cohort: cohort.phase(clock.utcnow()),
                               metadata={"description": "upcoming, nominations, review or announced"})
    questions = ma.fields.List(ma.fields.Nested(CohortQuestionSchema))


class CohortCreateSchema(ma.Schema):
    school_year = ma.fields.String(required=True, validate=_v.Length(equal=9), metadata={"example": "2026-2027"})
    title = ma.fields.String(load_default="", validate=_v.Length(max=120))
    description = ma.fields.String(load_default="", validate=_v.Length(max=10_000))
    nominations_open_at = ma.fields.AwareDateTime(required=True)
    nominations_close_at = ma.fields.AwareDateTime(required=True)
    review_starts_at = ma.fields.AwareDateTime(required=True)
    review_ends_at = ma.fields.AwareDateTime(required=True)
    announce_at = ma.fields.AwareDateTime(required=True)
    questions = ma.fields.List(ma.fields.Nested(CohortQuestionSchema), required=True, validate=_v.Length(min=1, max=20))


class ExpertSchema(ma.Schema):
    username = ma.fields.String(attribute="user.username")
    display_name = ma.fields.String(attribute="user.display_name")
    country = ma.fields.String()
    country_name = ma.fields.Function(lambda e: country_name(e.country))
    school = ma.fields.String()
    subjects = ma.fields.List(ma.fields.String(), attribute="user.subjects")
    years = ma.fields.Integer(metadata={"description": "cohorts this expert was accepted into, up to this one"})


class CountrySectionSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    experts = ma.fields.List(ma.fields.Nested(ExpertSchema))


class ExpertListSchema(ma.Schema):
    school_year = ma.fields.String()
    published = ma.fields.Boolean(metadata={"description": "false before the announcement time: no experts yet"})
    published_at = ma.fields.AwareDateTime(metadata={"description": "when the list is (or was) published"})
    total = ma.fields.Integer()
    countries = ma.fields.List(ma.fields.Nested(CountrySectionSchema))


class ExpertArgs(ma.Schema):
    q = ma.fields.String(load_default="", validate=_v.Length(max=100),
                         metadata={"description": "words in the name, school or subject"})
    country = ma.fields.String(validate=_v.Length(equal=2))


# Applications --------------------------------------------------------------------------------------

class AnswerSchema(ma.Schema):
    question_id = ma.fields.Integer()
    body = ma.fields.String()
    version = ma.fields.Integer()
    digest = ma.fields.String()


class NominationEvidenceSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "link, file or portfolio"})
    source = ma.fields.String(allow_none=True)
    ref = ma.fields.String(allow_none=True)
    title = ma.fields.String()
    detail = ma.fields.String()
    url = ma.fields.String(allow_none=True)
    file_name = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    item_date = ma.fields.AwareDateTime(allow_none=True)


class ApplicationSchema(ma.Schema):
    id = ma.fields.Integer()
    cohort_id = ma.fields.Integer()
    school_year = ma.fields.String(attribute="cohort.school_year")
    status = ma.fields.String(metadata={"description": "draft, submitted or withdrawn"})
    decision = ma.fields.Method("_decision", metadata={
        "description": "accepted, declined or waitlisted: null until the announcement time"})
    answers = ma.fields.Method("_answers")
    evidence = ma.fields.List(ma.fields.Nested(NominationEvidenceSchema))
    created_at = ma.fields.AwareDateTime()
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    withdrawn_at = ma.fields.AwareDateTime(allow_none=True)

    def _decision(self, application):
        return visible_decision(application)

    def _answers(self, application):
        return [{"question_id": qid, "body": text, "version": version, "digest": digest}
                for qid, (text, version, digest) in state(application).items()]


class AnswerSaveSchema(ma.Schema):
    question_id = Id(required=True)
    body = ma.fields.String(required=True, validate=_v.Length(max=20_000))
    version = ma.fields.Integer(required=True, validate=_v.Range(min=0, max=MAX_ID),
                                metadata={"description": "the version this edit started from"})
    digest = ma.fields.String(validate=_v.Length(max=64), metadata={
        "description": "optional: the digest of the text this edit started from; an unchanged field is skipped"})


class AnswersSaveSchema(ma.Schema):
    answers = ma.fields.List(ma.fields.Nested(AnswerSaveSchema), required=True, validate=_v.Length(max=20))


class EvidenceCreateSchema(ma.Schema):
    url = ma.fields.String(validate=_v.Length(min=1, max=2000), metadata={"description": "a link"})
    title = ma.fields.String(validate=_v.Length(max=200))
    refs = ma.fields.List(ma.fields.String(validate=_v.Length(max=60)), validate=_v.Length(min=1, max=20),
                          metadata={"description": "portfolio item refs, e.g. resource:12"})

    @ma.validates_schema
    def _one_kind(self, data, **kwargs):
        if ("url" in data) == ("refs" in data):
            raise ma.ValidationError(N_("Send a url (a link) or refs (portfolio items)."), "url")


class EvidenceUploadSchema(ma.Schema):
    file = FileUpload(required=True, metadata={"description": "PDF, Office, image or text; checked by content"})


class PortfolioItemSchema(ma.Schema):
    kind = ma.fields.String()
    ref = ma.fields.String()
    title = ma.fields.String()
    detail = ma.fields.String()
    url = ma.fields.String()
    date = ma.fields.AwareDateTime(allow_none=True)


# Reviews ----------------------------------------------------------------------------------------------

class ReviewApplicationSchema(ApplicationSchema):
    applicant = ma.fields.Nested(ProgrammeUserSchema, attribute="user")
    country = ma.fields.String(allow_none=True)
    school = ma.fields.String(allow_none=True)

    class Meta:
        exclude = ("decision",)


class NominationReviewSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    application_id = ma.fields.Integer(dump_only=True)
    impact = ma.fields.Integer(required=True, validate=_v.Range(min=1, max=5))
    innovation = ma.fields.Integer(required=True, validate=_v.Range(min=1, max=5))
    sharing = ma.fields.Integer(required=True, validate=_v.Range(min=1, max=5))
    evidence_quality = ma.fields.Integer(required=True, validate=_v.Range(min=1, max=5))
    comment = ma.fields.String(load_default="", validate=_v.Length(max=5000))
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class NominationDecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=_v.OneOf(list(DECISIONS)))


class AssignmentSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    username = ma.fields.String(required=True, load_only=True, validate=_v.Length(min=1, max=30))
    reviewer = ma.fields.Nested(ProgrammeUserSchema, dump_only=True)
    country = ma.fields.String(validate=_v.Length(equal=2))
    region = ma.fields.String(validate=_v.OneOf(list(REGIONS)))
    scope = ma.fields.String(dump_only=True)
    value = ma.fields.String(dump_only=True)


class AnnouncementSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    cohort_id = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(required=True, validate=_v.Length(min=3, max=200))
    body = ma.fields.String(load_only=True, load_default="", validate=_v.Length(max=20_000))
    body_html = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class CertificationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=_v.Length(min=2, max=120))
    issuer = ma.fields.String(load_default="", validate=_v.Length(max=120))
    year = ma.fields.Integer(allow_none=True, validate=_v.Range(min=1950, max=2100))
    url = ma.fields.String(allow_none=True, validate=_v.Length(max=2000))
    self_reported = ma.fields.Constant(True, dump_only=True)


# Schools -------------------------------------------------------------------------------------------------

class SchoolSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=_v.Length(min=3, max=160))
    country = ma.fields.String(required=True, validate=_v.Length(equal=2))
    city = ma.fields.String(required=True, validate=_v.Length(min=1, max=100))
    website = ma.fields.String(allow_none=True, validate=_v.Length(max=500))
    description = ma.fields.String(load_only=True, validate=_v.Length(max=10_000))
    description_html = ma.fields.String(dump_only=True)
    latitude = ma.fields.Float(allow_none=True, validate=_v.Range(min=-90, max=90))
    longitude = ma.fields.Float(allow_none=True, validate=_v.Range(min=-180, max=180))
    status = ma.fields.String(dump_only=True, metadata={"description": "incubator or showcase"})
    joined_at = ma.fields.AwareDateTime(dump_only=True)
    showcase_since = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    leaders = ma.fields.List(ma.fields.Nested(ProgrammeUserSchema), dump_only=True)


class SchoolUpdateSchema(ma.Schema):
    """Fields to change; omitted fields stay as they are."""

    name = ma.fields.String(validate=_v.Length(min=3, max=160))
    country = ma.fields.String(validate=_v.Length(equal=2))
    city = ma.fields.String(validate=_v.Length(min=1, max=100))
    website = ma.fields.String(allow_none=True, validate=_v.Length(max=500))
    description = ma.fields.String(validate=_v.Length(max=10_000))
    latitude = ma.fields.Float(allow_none=True, validate=_v.Range(min=-90, max=90))
    longitude = ma.fields.Float(allow_none=True, validate=_v.Range(min=-180, max=180))


class ListedSchoolSchema(ma.Schema):
    school = ma.fields.Nested(SchoolSchema)
    distance_km = ma.fields.Float(allow_none=True)


class DirectorySchema(ma.Schema):
    showcase = ma.fields.List(ma.fields.Nested(ListedSchoolSchema))
    incubator = ma.fields.List(ma.fields.Nested(ListedSchoolSchema))


class DirectoryArgs(ma.Schema):
    country = ma.fields.String(validate=_v.Length(equal=2))
    city = ma.fields.String(validate=_v.Length(max=100))
    near = ma.fields.String(validate=_v.Length(max=40), metadata={"description": "a city key, e.g. london"})
    lat = ma.fields.Float(validate=_v.Range(min=-90, max=90))
    lon = ma.fields.Float(validate=_v.Range(min=-180, max=180))


class ChecklistItemSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(required=True, validate=_v.Length(min=3, max=160))
    description = ma.fields.String(load_default="", validate=_v.Length(max=1000))
    position = ma.fields.Integer(allow_none=True, validate=_v.Range(min=0, max=MAX_POSITION))
    active = ma.fields.Boolean(load_default=True)


class ChecklistEntrySchema(ma.Schema):
    item_id = ma.fields.Integer(dump_only=True)
    evidence = ma.fields.String(required=True, validate=_v.Length(min=1, max=2000))
    evidence_url = ma.fields.String(allow_none=True, validate=_v.Length(max=2000))
    ticked_at = ma.fields.AwareDateTime(dump_only=True)


class ShowcaseWindowSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()


class ShowcaseApplicationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    school_id = ma.fields.Integer(dump_only=True)
    window = ma.fields.Nested(ShowcaseWindowSchema, dump_only=True)
    statement = ma.fields.String(required=True, validate=_v.Length(min=1, max=5000))
    status = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    decided_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


# Collaboration board -----------------------------------------------------------------------------------------

class _Clock(ma.fields.String):
    """"HH:MM" in and out, minutes after midnight inside."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else hours.minute_label(value)

    def _deserialize(self, value, attr, data, **kwargs):
        minute = hours.parse_minute(super()._deserialize(value, attr, data, **kwargs))
        if minute is None:
            raise ma.ValidationError(N_("Write the time as HH:MM, e.g. 14:00."))
        return minute


class CollabRequestSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    author = ma.fields.Nested(ProgrammeUserSchema, dump_only=True)
    title = ma.fields.String(required=True, validate=_v.Length(min=5, max=200))
    body = ma.fields.String(load_only=True, load_default="", validate=_v.Length(max=5000))
    body_html = ma.fields.String(dump_only=True)
    subject = ma.fields.String(required=True, validate=_v.OneOf(list(SUBJECTS)))
    age_range = ma.fields.String(required=True, validate=_v.OneOf(list(AGE_RANGES)))
    language = ma.fields.String(required=True, validate=_v.Length(equal=2))
    timezone = ma.fields.String(validate=_v.Length(max=64), metadata={"description": "IANA; default: yours"})
    weekdays = ma.fields.List(ma.fields.Integer(validate=_v.Range(min=0, max=6)), attribute="weekday_numbers",
                              data_key="weekdays", required=True, validate=_v.Length(min=1, max=7),
                              metadata={"description": "0 = Monday"})
    start = _Clock(attribute="start_minute", required=True, metadata={"example": "14:00"})
    end = _Clock(attribute="end_minute", required=True, metadata={"example": "15:00"})
    status = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class CollabOfferSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    user = ma.fields.Nested(ProgrammeUserSchema, dump_only=True)
    message = ma.fields.String(required=True, validate=_v.Length(min=1, max=2000))
    created_at = ma.fields.AwareDateTime(dump_only=True)


class _VisibleOffers(ma.fields.List):
    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return collaborate.visible_offers(obj, current_user)


class CollabDetailSchema(CollabRequestSchema):
    offers = _VisibleOffers(ma.fields.Nested(CollabOfferSchema), dump_only=True,
                            metadata={"description": "the request's author and moderators only; empty for others"})


class CollabMatchSchema(ma.Schema):
    request_id = ma.fields.Integer(attribute="request.id")
    user = ma.fields.Nested(ProgrammeUserSchema)
    overlap_minutes = ma.fields.Integer(metadata={"description": "shared working minutes in the coming week"})
    same_language = ma.fields.Boolean()
    same_subject = ma.fields.Boolean()


class BoardArgs(ma.Schema):
    subject = ma.fields.String(validate=_v.OneOf(list(SUBJECTS)))
    language = ma.fields.String(validate=_v.Length(equal=2))
    page = Page()
    per_page = ma.fields.Integer(load_default=20, validate=_v.Range(min=1, max=100))
