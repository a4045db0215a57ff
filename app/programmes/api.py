"""Expert cohorts in the JSON API: cohorts, the public list, applications
(their owner only), reviews (assigned reviewers only), decisions (admins),
early-access announcements and certifications. Schools and the
collaboration board are in school_api.py, on the same blueprint.

Applicants see `decision: null` until the announcement time; until then
the public list answers 200 with `published: false`, `published_at` and
no experts.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint

from app.accounts import services as accounts
from app.api_support import api_login_required, exempt_from_form_csrf
from app.exceptions import Conflict, Forbidden, ValidationFailed
from app.i18n import N_
from app.programmes import announcements, applications, evidence, experts, reviews, services
from app.programmes.schemas import (
    AnnouncementSchema,
    AnswersSaveSchema,
    ApplicationSchema,
    AssignmentSchema,
    CertificationSchema,
    CohortCreateSchema,
    CohortSchema,
    EvidenceCreateSchema,
    EvidenceUploadSchema,
    ExpertArgs,
    ExpertListSchema,
    NominationDecisionSchema,
    NominationEvidenceSchema,
    NominationReviewSchema,
    PortfolioItemSchema,
    ReviewApplicationSchema,
)

blp = Blueprint("programmes_api", __name__, url_prefix="/api/v1",
                description="Programmes: expert cohorts, showcase schools, collaboration")
exempt_from_form_csrf(blp)


@blp.before_request
def _announce_what_is_due():
    services.announce_due()


# Cohorts and the public list -------------------------------------------------------------------

@blp.get("/cohorts")
@blp.response(200, CohortSchema(many=True))
def list_cohorts():
    """Every cohort, newest school year first, with its dates and questions."""
    return services.all_cohorts()


@blp.post("/cohorts")
@api_login_required
@blp.arguments(CohortCreateSchema)
@blp.response(201, CohortSchema)
@blp.alt_response(403, response="FORBIDDEN")
def create_cohort(data):
    """Create a school year's cohort (programme admins)."""
    return services.create_cohort(current_user, **data)


@blp.get("/cohorts/<int:cohort_id>")
@blp.response(200, CohortSchema)
def get_cohort(cohort_id):
    return services.get_cohort(cohort_id)


@blp.get("/cohorts/<int:cohort_id>/experts")
@blp.arguments(ExpertArgs, location="query")
@blp.response(200, ExpertListSchema)
def list_experts(args, cohort_id):
    """The cohort's experts grouped by country. Before the announcement time:
    200 with `published: false`, `published_at` (when the list comes out),
    `total: 0` and no countries."""
    return experts.public_list(services.get_cohort(cohort_id), query=args["q"], country=args.get("country"))


# Applications (the applicant's own) ---------------------------------------------------------------------

@blp.post("/cohorts/<int:cohort_id>/applications")
@api_login_required
@blp.response(201, ApplicationSchema)
@blp.alt_response(409, response="CONFLICT")
def start_application(cohort_id):
    """Start (or get) your application while nominations are open."""
    return applications.start(services.get_cohort(cohort_id), current_user)


@blp.get("/applications")
@api_login_required
@blp.response(200, ApplicationSchema(many=True))
def my_applications():
    return applications.mine(current_user)


@blp.get("/applications/<int:application_id>")
@api_login_required
@blp.response(200, ApplicationSchema)
def get_application(application_id):
    """Your application (anyone else's is a 404)."""
    return applications.get_own(application_id, current_user)


@blp.patch("/applications/<int:application_id>")
@api_login_required
@blp.arguments(AnswersSaveSchema)
@blp.response(200, ApplicationSchema)
@blp.alt_response(409, response="CONFLICT")
def save_answers(data, application_id):
    """Save draft answers. Each carries the version it started from; an
    answer changed elsewhere since is not saved and listed in a 409 (the
    others are saved): GET the application, merge, and save again."""
    item = applications.get_own(application_id, current_user)
    fields = {row["question_id"]: applications.FieldSave(row["body"], row["version"], row.get("digest"))
              for row in data["answers"]}
    result = applications.save_answers(item, current_user, fields)
    if result.conflicts:
        raise Conflict(N_("Some answers were changed elsewhere since the version you started from; "
                          "the other answers are saved."),
                       {f"answers.{qid}": _l("Changed elsewhere: now version %(version)s.",
                                             version=result.versions[qid])
                        for qid in result.conflicts})
    return applications.get_own(application_id, current_user)


@blp.post("/applications/<int:application_id>/submit")
@api_login_required
@blp.response(200, ApplicationSchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def submit_application(application_id):
    """Submit before the deadline (server time); 409 after it."""
    return applications.submit(applications.get_own(application_id, current_user), current_user)


@blp.post("/applications/<int:application_id>/withdraw")
@api_login_required
@blp.response(200, ApplicationSchema)
@blp.alt_response(409, response="CONFLICT")
def withdraw_application(application_id):
    return applications.withdraw(applications.get_own(application_id, current_user), current_user)


@blp.post("/applications/<int:application_id>/evidence")
@api_login_required
@blp.arguments(EvidenceCreateSchema)
@blp.response(201, NominationEvidenceSchema(many=True))
@blp.alt_response(409, response="CONFLICT")
def add_evidence(data, application_id):
    """Attach a link ({url, title}) or portfolio items ({refs})."""
    item = applications.get_own(application_id, current_user)
    if "refs" in data:
        return applications.add_portfolio_items(item, current_user, data["refs"])
    return [applications.add_link(item, current_user, data["url"], data.get("title", ""))]


@blp.post("/applications/<int:application_id>/evidence/files")
@api_login_required
@blp.arguments(EvidenceUploadSchema, location="files")
@blp.response(201, NominationEvidenceSchema)
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
def add_evidence_file(data, application_id):
    item = applications.get_own(application_id, current_user)
    upload = data["file"]
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    return applications.add_file(item, current_user, upload.stream.read(limit + 1), upload.filename or "")


@blp.delete("/applications/<int:application_id>/evidence/<int:evidence_id>")
@api_login_required
@blp.response(204)
@blp.alt_response(409, response="CONFLICT")
def remove_evidence(application_id, evidence_id):
    applications.remove_evidence(applications.get_own(application_id, current_user), current_user, evidence_id)


@blp.get("/portfolio")
@api_login_required
@blp.response(200, PortfolioItemSchema(many=True))
def my_portfolio():
    """Your evidence portfolio: what you did on Staffroom, to attach by ref."""
    return evidence.portfolio(current_user)


# Reviews (assigned reviewers) and decisions (admins) ------------------------------------------------------

@blp.get("/reviews/cohorts/<int:cohort_id>/applications")
@api_login_required
@blp.response(200, ReviewApplicationSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN")
def review_queue(cohort_id):
    """Applications assigned to you (by country or region), conflicts left out."""
    cohort = services.get_cohort(cohort_id)
    if cohort not in reviews.reviewer_cohorts(current_user) and not current_user.is_admin:
        raise Forbidden(N_("You are not a reviewer for this cohort."))
    return reviews.queue(cohort, current_user)


@blp.get("/reviews/applications/<int:application_id>")
@api_login_required
@blp.response(200, ReviewApplicationSchema)
@blp.alt_response(403, response="FORBIDDEN")
def review_application(application_id):
    """An application to review: 403 for your own or a same-school one."""
    return reviews.get_for_reviewer(application_id, current_user)


@blp.put("/reviews/applications/<int:application_id>")
@api_login_required
@blp.arguments(NominationReviewSchema)
@blp.response(200, NominationReviewSchema)
@blp.alt_response(403, response="FORBIDDEN")
def save_review(data, application_id):
    """Your rubric scores (1-5) and comment on an application."""
    return reviews.save_review(application_id, current_user, **data)


@blp.post("/cohorts/<int:cohort_id>/reviewers")
@api_login_required
@blp.arguments(AssignmentSchema)
@blp.response(201, AssignmentSchema)
@blp.alt_response(403, response="FORBIDDEN")
def assign_reviewer(data, cohort_id):
    """Assign a reviewer a country or a region (programme admins)."""
    cohort = services.get_cohort(cohort_id)
    services.require_admin(current_user)
    reviewer = accounts.get_by_username(data["username"].strip().lower())
    if reviewer is None:
        raise ValidationFailed({"username": N_("No member with that username.")})
    return reviews.assign(current_user, cohort, reviewer, country=data.get("country"), region=data.get("region"))


@blp.post("/applications/<int:application_id>/decision")
@api_login_required
@blp.arguments(NominationDecisionSchema)
@blp.response(200, NominationDecisionSchema)
@blp.alt_response(403, response="FORBIDDEN")
def decide(data, application_id):
    """Accept, decline or waitlist (programme admins); applicants learn it at the announcement."""
    return reviews.decide(current_user, application_id, data["decision"])


# Early access and certifications ----------------------------------------------------------------------------

@blp.get("/announcements")
@api_login_required
@blp.response(200, AnnouncementSchema(many=True))
@blp.alt_response(403, response="FORBIDDEN")
def list_announcements():
    """Early-access news: for the current cohort's experts only."""
    return announcements.for_cohort(announcements.require_access(current_user))


@blp.post("/announcements")
@api_login_required
@blp.arguments(AnnouncementSchema)
@blp.response(201, AnnouncementSchema)
@blp.alt_response(403, response="FORBIDDEN")
def post_announcement(data):
    return announcements.post(current_user, title=data["title"], body=data["body"])


@blp.get("/me/certifications")
@api_login_required
@blp.response(200, CertificationSchema(many=True))
def my_certifications():
    return experts.certifications_of(current_user)


@blp.post("/me/certifications")
@api_login_required
@blp.arguments(CertificationSchema)
@blp.response(201, CertificationSchema)
def add_certification(data):
    """Add a certification to your profile (shown as self-reported)."""
    return experts.add_certification(current_user, **data)


@blp.delete("/me/certifications/<int:certification_id>")
@api_login_required
@blp.response(204)
def remove_certification(certification_id):
    experts.remove_certification(current_user, certification_id)
