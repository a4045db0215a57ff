"""Programme admin and reviewer pages: creating cohorts, assigning
reviewers, reviewing with the rubric, and deciding. Added to programmes.bp."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services as accounts
from app.exceptions import Forbidden, ServiceError
from app.form_errors import attach_errors
from app.i18n import N_, translate
from app.programmes import clock, reviews, services
from app.programmes.forms import AssignForm, CohortForm, ConfirmForm, DecisionForm, ReviewForm, to_utc
from app.programmes.models import DECISIONS, RUBRIC
from app.programmes.regions import REGIONS
from app.programmes.views import bp, message_of
from app.template_helpers import viewer_timezone


def _admin_only() -> None:
    services.require_admin(current_user)


# Cohorts ------------------------------------------------------------------------------------------

@bp.route("/programmes/admin/cohorts/new", methods=["GET", "POST"])
@login_required
def new_cohort():
    _admin_only()
    form = CohortForm()
    status = 200
    if form.validate_on_submit():
        zone = viewer_timezone()
        dates = {name: to_utc(form[name].data, zone) for name in (
            "nominations_open_at", "nominations_close_at", "review_starts_at", "review_ends_at", "announce_at")}
        questions = [{"text": row.form.text.data, "help": row.form.help.data, "required": row.form.required.data,
                      "max_length": row.form.max_length.data} for row in form.questions]
        try:
            cohort = services.create_cohort(current_user, school_year=form.school_year.data, title=form.title.data,
                                            description=form.description.data, questions=questions, **dates)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Cohort %(year)s created.", year=cohort.school_year), "success")
            return redirect(url_for(".manage_cohort", cohort_id=cohort.id))
    elif form.is_submitted():
        status = 422
    return render_template("programmes/cohort_form.html", form=form), status


@bp.get("/programmes/admin/cohorts/<int:cohort_id>")
@login_required
def manage_cohort(cohort_id: int):
    _admin_only()
    cohort = services.get_cohort(cohort_id)
    country = (request.args.get("country") or "").upper()[:2] or None
    rows = reviews.submitted(cohort, country=country)
    return render_template(
        "programmes/manage_cohort.html", cohort=cohort, rows=rows, country=country, now=clock.utcnow(),
        scores=reviews.score_summary([a.id for a in rows]), assignments=reviews.assignments(cohort),
        assign_form=AssignForm(), decision_form=DecisionForm(), confirm_form=ConfirmForm(),
        decisions=DECISIONS, regions=REGIONS,
    )


@bp.post("/programmes/admin/cohorts/<int:cohort_id>/reviewers")
@login_required
def assign_reviewer(cohort_id: int):
    _admin_only()
    cohort = services.get_cohort(cohort_id)
    form = AssignForm()
    if form.validate_on_submit():
        reviewer = accounts.get_by_username(form.username.data.strip().lower())
        try:
            if reviewer is None:
                raise ServiceError(N_("No member with that username."))
            reviews.assign(current_user, cohort, reviewer, country=form.country.data or None,
                           region=form.region.data or None)
        except ServiceError as error:
            flash(message_of(error), "error")
        else:
            flash(_("%(name)s reviews %(area)s.", name=reviewer.display_name,
                    area=form.country.data or translate(REGIONS.get(form.region.data, ""))), "success")
    else:
        flash(_("Give a username and a country or region."), "error")
    return redirect(url_for(".manage_cohort", cohort_id=cohort.id, _anchor="reviewers"))


@bp.post("/programmes/admin/cohorts/<int:cohort_id>/reviewers/<int:assignment_id>/remove")
@login_required
def unassign_reviewer(cohort_id: int, assignment_id: int):
    _admin_only()
    if ConfirmForm().validate_on_submit():
        reviews.unassign(current_user, assignment_id)
        flash(_("Assignment removed."), "info")
    return redirect(url_for(".manage_cohort", cohort_id=cohort_id, _anchor="reviewers"))


@bp.post("/programmes/admin/applications/<int:application_id>/decision")
@login_required
def decide(application_id: int):
    _admin_only()
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Pick accepted, declined or waitlisted."), "error")
        return redirect(request.referrer or url_for(".index"))
    application = reviews.decide(current_user, application_id, form.decision.data)
    flash(_("%(name)s: %(decision)s. Applicants see decisions only at the announcement time.",
            name=application.user.display_name, decision=_(DECISIONS[application.decision]).lower()), "success")
    return redirect(url_for(".manage_cohort", cohort_id=application.cohort_id, _anchor=f"app-{application.id}"))


# Reviewing ------------------------------------------------------------------------------------------

@bp.get("/programmes/review")
@login_required
def review_queue():
    cohorts = reviews.reviewer_cohorts(current_user)
    if not cohorts and not current_user.is_admin:
        raise Forbidden(N_("You are not a reviewer for any cohort."))
    queues = [(cohort, reviews.queue(cohort, current_user)) for cohort in cohorts]
    return render_template("programmes/review_queue.html", queues=queues)


@bp.route("/programmes/review/applications/<int:application_id>", methods=["GET", "POST"])
@login_required
def review(application_id: int):
    application = reviews.get_for_reviewer(application_id, current_user)
    mine = reviews.my_review(application, current_user)
    form = ReviewForm(obj=None if request.method == "POST" or mine is None else _review_data(mine))
    status = 200
    if form.validate_on_submit():
        try:
            reviews.save_review(application.id, current_user, comment=form.comment.data,
                                **{name: int(form[name].data) for name in RUBRIC})
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Review saved."), "success")
            return redirect(url_for(".review", application_id=application.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "programmes/review.html", application=application, form=form, mine=mine, rubric=RUBRIC,
        others=reviews.reviews_of(application) if current_user.is_admin else [],
        decision_form=DecisionForm(data={"decision": application.decision}) if current_user.is_admin else None,
        decisions=DECISIONS,
    ), status


def _review_data(review) -> SimpleNamespace:
    return SimpleNamespace(comment=review.comment, **{name: str(getattr(review, name)) for name in RUBRIC})
