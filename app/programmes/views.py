"""Programme pages: cohorts, self-nomination, the public list of experts,
badges, certifications and the early access area.

Thin views: parse, call a service, render. Every programme page first
announces any cohort whose announcement time has passed (idempotent, see
`services.announce_due`); `flask programmes announce` does the same from cron.
Review and admin pages live in review_views.py, schools in school_views.py,
the collaboration board in collab_views.py: all on this blueprint
(app/programmes/__init__.py imports them before registering it).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import links
from app.exceptions import Forbidden, ServiceError, ValidationFailed
from app.form_errors import attach_errors
from app.i18n import N_, translate
from app.params import MAX_ID, to_int
from app.programmes import announcements, applications, clock, evidence, experts, reviews, services
from app.programmes.forms import (
    AnnouncementForm,
    CertificationForm,
    ConfirmForm,
    ExpertSearchForm,
    FileEvidenceForm,
    LinkEvidenceForm,
    PortfolioForm,
)
from app.programmes.models import DECISIONS
from app.programmes.serving import send_evidence
from app.template_helpers import localtime

bp = Blueprint("programmes", __name__)
bp.add_app_template_filter(experts.ordinal, "ordinal")


def message_of(error: ServiceError) -> str:
    """A service error as one flash line: a validation error's field messages, else its message."""
    if isinstance(error, ValidationFailed) and error.fields:
        return " ".join(map(translate, error.fields.values()))
    return translate(error.message)


@bp.before_request
def _announce_what_is_due():
    services.announce_due()


@bp.app_template_global("programme_profile")
def programme_profile(user) -> dict:
    """For templates/programmes/_profile_badges.html on a member's profile."""
    return {"badges": experts.badges_of(user), "certifications": experts.certifications_of(user)}


# Overview and cohorts ----------------------------------------------------------------------------

@bp.get("/programmes")
def index():
    now = clock.utcnow()
    open_cohort = services.open_cohort(now)
    return render_template(
        "programmes/index.html", now=now, open_cohort=open_cohort,
        mine=applications.mine(current_user) if current_user.is_authenticated else [],
        own_application=applications.of_user_in(open_cohort, current_user) if open_cohort else None,
        cohorts=services.all_cohorts(), early_access=announcements.audience_cohort(current_user, now),
        reviewing=reviews.reviewer_cohorts(current_user), confirm_form=ConfirmForm(),
        visible_decision=applications.visible_decision, decisions=DECISIONS,
    )


@bp.get("/programmes/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    item = services.get_cohort(cohort_id)
    return render_template("programmes/cohort.html", cohort=item, now=clock.utcnow(), confirm_form=ConfirmForm(),
                           own_application=applications.of_user_in(item, current_user))


@bp.get("/programmes/experts", defaults={"school_year": None})
@bp.get("/programmes/experts/<school_year>")
def experts_list(school_year: str | None):
    """A cohort's public list; without a year, the current (latest announced)
    cohort's, or before any announcement the next one's. Before its
    announcement time the page says when the list will be published."""
    item = services.get_by_year(school_year) if school_year else (services.current_cohort()
                                                                   or services.next_announced())
    form = ExpertSearchForm(request.args)
    query = (form.q.data or "").strip()[:100]
    listing = experts.public_list(item, query=query) if item is not None else None
    return render_template("programmes/experts.html", cohort=item, form=form, query=query, listing=listing,
                           current=services.current_cohort())


@bp.get("/programmes/experts/<school_year>.csv")
def experts_csv(school_year: str):
    item = services.get_by_year(school_year)
    experts.require_announced(item)
    query = (request.args.get("q") or "").strip()[:100]
    text = experts.csv_text(item, experts.experts_of(item, query=query), links.site_url())
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=staffroom-experts-{item.school_year}.csv"})


@bp.get("/programmes/badges/<username>/<school_year>.svg")
def badge(username: str, school_year: str):
    """An expert's badge, for their profile and for embedding elsewhere as <img>."""
    user, found = experts.badge_for(username, school_year)
    response = Response(experts.badge_svg(user, found), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# Self-nomination -----------------------------------------------------------------------------------

@bp.post("/programmes/cohorts/<int:cohort_id>/apply")
@login_required
def start_application(cohort_id: int):
    item = services.get_cohort(cohort_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for(".cohort", cohort_id=item.id))
    try:
        application = applications.start(item, current_user)
    except ServiceError as error:
        flash(translate(error.message), "error")
        return redirect(url_for(".cohort", cohort_id=item.id))
    return redirect(url_for(".application", application_id=application.id))


def _render_application(application, status: int = 200, *, posted: dict | None = None,
                        conflicts: dict | None = None, errors: dict | None = None):
    stored = applications.state(application)
    now = clock.utcnow()
    editable = application.status == "draft" and application.cohort.is_open(now)
    items = evidence.portfolio(current_user) if editable else []
    attached = {e.ref for e in application.evidence if e.ref}
    return render_template(
        "programmes/application.html", application=application, cohort=application.cohort, stored=stored,
        posted=posted or {}, conflicts=conflicts or {}, errors=errors or {}, editable=editable, now=now,
        portfolio_form=PortfolioForm().offer([i for i in items if i.ref not in attached]),
        portfolio=[i for i in items if i.ref not in attached], link_form=LinkEvidenceForm(),
        file_form=FileEvidenceForm(), confirm_form=ConfirmForm(),
        decision=applications.visible_decision(application, now), decisions=DECISIONS,
    ), status


def _posted_fields(application) -> dict[int, applications.FieldSave]:
    fields = {}
    for question in application.cohort.questions:
        name = f"answer-{question.id}"
        if name in request.form:
            # A version no answer can have (missing, a word, too large) matches
            # none, so that field comes back as a conflict.
            version = to_int(request.form.get(f"version-{question.id}"), 0, MAX_ID)
            fields[question.id] = applications.FieldSave(
                text=request.form[name], version=-1 if version is None else version,
                digest=request.form.get(f"digest-{question.id}") or None)
    return fields


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _conflict_message(application, conflict_ids) -> str:
    numbers = [_("question %(num)s", num=n) for n, q in enumerate(application.cohort.questions, start=1)
               if q.id in conflict_ids]
    return _("Changed in another tab or window since this page loaded: %(questions)s. "
             "Your text there was not saved and is still in the box; the other version is shown below it. "
             "Press Save to keep yours. Your other answers are saved.", questions=", ".join(numbers))


@bp.get("/programmes/applications/<int:application_id>")
@login_required
def application(application_id: int):
    return _render_application(applications.get_own(application_id, current_user))


@bp.post("/programmes/applications/<int:application_id>")
@login_required
def save_application(application_id: int):
    """Save the draft (the Save button, or static/js/autosave.js with
    X-Requested-With: fetch, answered in JSON); action=submit then submits."""
    item = applications.get_own(application_id, current_user)
    if not ConfirmForm().validate_on_submit():
        if _wants_json():
            expired = _("The form expired: reload the page (your text stays here).")
            return jsonify({"ok": False, "message": expired}), 400
        flash(_("The form expired. Your text is below; press Save again."), "error")
        return _render_application(item, 400, posted={qid: f.text for qid, f in _posted_fields(item).items()})
    fields = _posted_fields(item)
    try:
        result = applications.save_answers(item, current_user, fields)
    except ServiceError as error:
        if _wants_json():
            return jsonify({"ok": False, "message": translate(error.message), "fields": error.fields}), error.status
        flash(translate(error.message), "error")
        return _render_application(item, error.status, posted={qid: f.text for qid, f in fields.items()})
    conflicts = {qid: result.texts[qid] for qid in result.conflicts}
    message = (
        _conflict_message(item, conflicts) if conflicts
        else _("Draft saved at %(time)s.", time=localtime(clock.utcnow(), "%H:%M"))
    )
    if _wants_json():
        return jsonify({"ok": not conflicts, "message": message, "saved": result.saved,
                        "conflicts": [{"question_id": qid, "text": text} for qid, text in conflicts.items()],
                        "versions": result.versions, "digests": result.digests, "texts": result.texts})
    if conflicts:
        flash(message, "error")
        return _render_application(item, 409, posted={qid: fields[qid].text for qid in conflicts},
                                   conflicts=conflicts)
    if request.form.get("action") == "submit":
        try:
            applications.submit(item, current_user)
        except ServiceError as error:
            flash(translate(error.message), "error")
            return _render_application(item, error.status,
                                       errors={name: translate(text) for name, text in error.fields.items()})
        flash(_("Your application is submitted. Results on %(date)s.",
                date=_("%(date)s at %(time)s", date=localtime(item.cohort.announce_at, "%d %B %Y"),
                       time=localtime(item.cohort.announce_at, "%H:%M"))), "success")
        return redirect(url_for(".application", application_id=item.id))
    flash(message, "success")
    return redirect(url_for(".application", application_id=item.id))


@bp.post("/programmes/applications/<int:application_id>/withdraw")
@login_required
def withdraw(application_id: int):
    item = applications.get_own(application_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            applications.withdraw(item, current_user)
            flash(_("Your application is withdrawn."), "info")
        except ServiceError as error:
            flash(translate(error.message), "error")
    return redirect(url_for(".application", application_id=item.id))


def _evidence_step(item, action):
    try:
        action()
    except ServiceError as error:
        if error.status == 403:
            raise
        flash(message_of(error), "error")
    else:
        flash(_("Evidence updated."), "success")
    return redirect(url_for(".application", application_id=item.id, _anchor="evidence"))


@bp.post("/programmes/applications/<int:application_id>/portfolio")
@login_required
def add_portfolio(application_id: int):
    item = applications.get_own(application_id, current_user)
    form = PortfolioForm().offer(evidence.portfolio(current_user))
    if not form.validate_on_submit():
        flash(_("Pick items from your portfolio."), "error")
        return redirect(url_for(".application", application_id=item.id, _anchor="evidence"))
    return _evidence_step(item, lambda: applications.add_portfolio_items(item, current_user, form.refs.data))


@bp.post("/programmes/applications/<int:application_id>/links")
@login_required
def add_link(application_id: int):
    item = applications.get_own(application_id, current_user)
    form = LinkEvidenceForm()
    if not form.validate_on_submit():
        flash(_("Give an http:// or https:// link."), "error")
        return redirect(url_for(".application", application_id=item.id, _anchor="evidence"))
    return _evidence_step(item, lambda: applications.add_link(item, current_user, form.url.data, form.title.data))


@bp.post("/programmes/applications/<int:application_id>/files")
@login_required
def add_file(application_id: int):
    item = applications.get_own(application_id, current_user)
    form = FileEvidenceForm()
    stream = form.file.data if form.validate_on_submit() else None
    if stream is None:
        flash(_("Choose a file."), "error")
        return redirect(url_for(".application", application_id=item.id, _anchor="evidence"))
    data = stream.read(current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024 + 1)
    return _evidence_step(item, lambda: applications.add_file(item, current_user, data, stream.filename or ""))


@bp.post("/programmes/applications/<int:application_id>/evidence/<int:evidence_id>/remove")
@login_required
def remove_evidence(application_id: int, evidence_id: int):
    item = applications.get_own(application_id, current_user)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".application", application_id=item.id, _anchor="evidence"))
    return _evidence_step(item, lambda: applications.remove_evidence(item, current_user, evidence_id))


@bp.get("/programmes/applications/<int:application_id>/evidence/<int:evidence_id>/file")
@login_required
def evidence_file(application_id: int, evidence_id: int):
    """An evidence file, for its applicant and for those who may review it."""
    try:
        item = applications.get_own(application_id, current_user)
    except ServiceError:
        item = reviews.get_for_reviewer(application_id, current_user)
    found = next((e for e in item.evidence if e.id == evidence_id and e.kind == "file"), None)
    return send_evidence(found)


# Certifications --------------------------------------------------------------------------------------

@bp.route("/programmes/certifications", methods=["GET", "POST"])
@login_required
def certifications():
    form = CertificationForm()
    status = 200
    if form.validate_on_submit():
        try:
            experts.add_certification(current_user, name=form.name.data, issuer=form.issuer.data,
                                      year=form.year.data, url=form.url.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Added to your profile, shown as self-reported."), "success")
            return redirect(url_for(".certifications"))
    elif form.is_submitted():
        status = 422
    return render_template("programmes/certifications.html", form=form, confirm_form=ConfirmForm(),
                           items=experts.certifications_of(current_user)), status


@bp.post("/programmes/certifications/<int:certification_id>/remove")
@login_required
def remove_certification(certification_id: int):
    if ConfirmForm().validate_on_submit():
        experts.remove_certification(current_user, certification_id)
        flash(_("Certification removed."), "info")
    return redirect(url_for(".certifications"))


# Early access ------------------------------------------------------------------------------------------

@bp.route("/programmes/early-access", methods=["GET", "POST"])
@login_required
def early_access():
    cohort = announcements.require_access(current_user)
    form = AnnouncementForm() if current_user.is_admin else None
    status = 200
    if form is not None and form.validate_on_submit():
        try:
            announcements.post(current_user, title=form.title.data, body=form.body.data)
        except ServiceError as error:
            attach_errors(form, error)
            status = error.status
        else:
            flash(_("Announcement posted to the current cohort."), "success")
            return redirect(url_for(".early_access"))
    elif request.method == "POST":
        if form is None:
            raise Forbidden(N_("Only programme admins can post announcements."))
        status = 422
    return render_template("programmes/early_access.html", cohort=cohort, form=form,
                           items=announcements.for_cohort(cohort)), status
