"""Self-nomination: a member's application to a cohort, from draft to submitted.

Drafts save often (every few seconds from the page's autosave, or the Save
button) and from more than one tab. Each answer carries a version; a save
sends, per field, the version and a digest of the text it started from:

- a field whose text is unchanged since the save's starting point is left
  alone (another tab may have written it meanwhile);
- a changed field whose version is still current is written, version + 1;
- a changed field that was also changed elsewhere since is NOT written: it
  is reported as a conflict, with the stored text, while the other fields
  save. Nothing typed is lost: the page keeps the member's text.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import storage
from app.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from app.extensions import db
from app.i18n import N_
from app.programmes import clock
from app.programmes import evidence as portfolio
from app.programmes.models import Answer, Application, Cohort, Evidence
from app.resources import files
from app.template_helpers import localtime
from app.template_helpers import number as figure

log = logging.getLogger(__name__)
MAX_DRAFT_CHARS = 20_000  # a draft may run over a question's limit; submitting may not
MAX_EVIDENCE = 20
EVIDENCE_AREA = "evidence"


@dataclass
class FieldSave:
    text: str
    version: int
    digest: str | None = None  # of the text the save started from


@dataclass
class SaveResult:
    saved: list[int] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)
    digests: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # the stored text of every field


def digest(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:20]


def normalize(text: str | None) -> str:
    """Browsers send CRLF line ends from text areas; store LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# Reading -------------------------------------------------------------------------------------

def get_own(application_id: int, user) -> Application:
    """The member's own application; others get NotFound (it is not theirs to know of)."""
    application = db.session.get(Application, application_id)
    if application is None or not user.is_authenticated or application.user_id != user.id:
        raise NotFound(N_("No such application."))
    return application


def mine(user) -> list[Application]:
    return list(db.session.scalars(select(Application).where(Application.user_id == user.id)
                                   .order_by(Application.created_at.desc())))


def of_user_in(cohort: Cohort, user) -> Application | None:
    if not (user and user.is_authenticated):
        return None
    return db.session.scalar(select(Application).where(Application.cohort_id == cohort.id,
                                                       Application.user_id == user.id))


def visible_decision(application: Application, now: datetime | None = None) -> str | None:
    """What the applicant may know: nothing before the announcement time."""
    if application.status != "submitted" or not application.cohort.is_announced(clock.now_or(now)):
        return None
    return application.decision or "declined"


def state(application: Application) -> dict[int, tuple[str, int, str]]:
    """question id -> (text, version, digest) of every question."""
    result = {}
    for question in application.cohort.questions:
        answer = application.answer_for(question.id)
        text = answer.body if answer else ""
        result[question.id] = (text, answer.version if answer else 0, digest(text))
    return result


# Writing --------------------------------------------------------------------------------------

def _require_open(cohort: Cohort, now: datetime, doing: str, user) -> None:
    zone = user.timezone or "UTC"
    if now < cohort.nominations_open_at:
        raise Conflict(_l("Nominations for %(year)s open on %(date)s.", year=cohort.school_year,
                          date=_when(cohort.nominations_open_at, zone)))
    if now >= cohort.nominations_close_at:
        raise Conflict(_l("Nominations for %(year)s closed on %(date)s (server time): %(doing)s is no longer "
                          "possible.", year=cohort.school_year, date=_when(cohort.nominations_close_at, zone),
                          doing=_l(doing)), {"deadline": N_("The deadline has passed.")})


def _when(value: datetime, zone: str):
    """"2 March 2026 at 12:00" in the reader's language, on `zone`'s clock."""
    return _l("%(date)s at %(time)s", date=localtime(value, "%d %B %Y", zone), time=localtime(value, "%H:%M", zone))


def _require_draft(application: Application, user) -> None:
    if application.user_id != user.id:
        raise Forbidden(N_("Only the applicant can change an application."))
    if application.status != "draft":
        raise Conflict(N_("This application is already submitted or withdrawn; it can no longer change."))


def start(cohort: Cohort, user, now: datetime | None = None) -> Application:
    """The member's application to `cohort` (made if needed) while nominations are open."""
    existing = of_user_in(cohort, user)
    if existing is not None:
        return existing
    _require_open(cohort, clock.now_or(now), N_("starting an application"), user)
    application = Application(cohort_id=cohort.id, user_id=user.id, country=user.country, school=user.school)
    db.session.add(application)
    try:
        db.session.commit()
    except IntegrityError:  # a second tab started it at the same moment
        db.session.rollback()
        return of_user_in(cohort, user)
    return application


def save_answers(application: Application, user, fields: dict[int, FieldSave],
                 now: datetime | None = None) -> SaveResult:
    now = clock.now_or(now)
    _require_draft(application, user)
    _require_open(application.cohort, now, N_("saving"), user)
    questions = {q.id: q for q in application.cohort.questions}
    unknown = [qid for qid in fields if qid not in questions]
    too_long = [qid for qid, f in fields.items() if qid in questions and len(normalize(f.text)) > MAX_DRAFT_CHARS]
    if unknown or too_long:
        errors = {f"answers.{qid}": N_("No such question.") for qid in unknown}
        too_long_message = _l("Use at most %(max)s characters.", max=figure(MAX_DRAFT_CHARS))
        errors.update({f"answers.{qid}": too_long_message for qid in too_long})
        raise ValidationFailed(errors)
    result = SaveResult()
    for qid, wanted in fields.items():
        text = normalize(wanted.text)
        answer = application.answer_for(qid)
        if answer is None:
            answer = Answer(application_id=application.id, question_id=qid, body="", version=0)
            application.answers.append(answer)
            db.session.flush()
        if text == answer.body:
            continue
        if wanted.digest is not None and wanted.digest == digest(text):
            continue  # untouched here since the page loaded: keep what is stored
        # A conditional update: a save from another tab in between wins the
        # race cleanly, and this field becomes a conflict instead.
        written = db.session.execute(
            update(Answer).where(Answer.id == answer.id, Answer.version == wanted.version)
            .values(body=text, version=Answer.version + 1, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if written:
            result.saved.append(qid)
        else:
            result.conflicts.append(qid)
    application.country, application.school = user.country, user.school
    application.updated_at = now
    db.session.commit()
    db.session.expire(application, ["answers"])
    for qid, (text, version, text_digest) in state(application).items():
        result.versions[qid], result.digests[qid], result.texts[qid] = version, text_digest, text
    return result


def missing_answers(application: Application) -> dict[str, str]:
    errors = {}
    for number, question in enumerate(application.cohort.questions, start=1):
        answer = application.answer_for(question.id)
        text = (answer.body if answer else "").strip()
        if question.required and not text:
            errors[f"answers.{question.id}"] = _l("Question %(num)s needs an answer.", num=number)
        elif len(text) > question.max_length:
            errors[f"answers.{question.id}"] = _l("Question %(num)s: use at most %(max)s characters (now %(now)s).",
                                                  num=number, max=figure(question.max_length),
                                                  now=figure(len(text)))
    return errors


def submit(application: Application, user, now: datetime | None = None) -> Application:
    """Submit before the deadline, by server time: at or after
    nominations_close_at it is refused, however close."""
    now = clock.now_or(now)
    _require_draft(application, user)
    _require_open(application.cohort, now, N_("submitting"), user)
    errors = missing_answers(application)
    if errors:
        raise ValidationFailed(errors, N_("Some answers need attention before you submit."))
    claimed = db.session.execute(update(Application).where(Application.id == application.id,
                                                           Application.status == "draft")
                                 .values(status="submitted", submitted_at=now, updated_at=now,
                                         country=user.country, school=user.school)).rowcount
    db.session.commit()
    if not claimed:
        raise Conflict(N_("This application was already submitted from another tab."))
    db.session.refresh(application)
    return application


def withdraw(application: Application, user, now: datetime | None = None) -> Application:
    """Withdraw until the results are announced (the decision made public;
    refusing earlier would tell the applicant a decision exists)."""
    now = clock.now_or(now)
    if application.user_id != user.id:
        raise Forbidden(N_("Only the applicant can withdraw an application."))
    if application.status == "withdrawn":
        return application
    if application.cohort.is_announced(now):
        raise Conflict(N_("The results are announced; this application can no longer be withdrawn."))
    application.status, application.withdrawn_at, application.updated_at = "withdrawn", now, now
    application.decision = application.decided_at = application.decided_by_id = None
    db.session.commit()
    return application


# Evidence ---------------------------------------------------------------------------------------

def _room_for(application: Application, adding: int) -> None:
    if len(application.evidence) + adding > MAX_EVIDENCE:
        raise ValidationFailed({"evidence": _l("Attach at most %(max)s pieces of evidence.", max=MAX_EVIDENCE)})


def _evidence_allowed(application: Application, user, now) -> None:
    _require_draft(application, user)
    _require_open(application.cohort, clock.now_or(now), N_("changing the evidence"), user)


def add_portfolio_items(application: Application, user, refs, now=None) -> list[Evidence]:
    _evidence_allowed(application, user, now)
    have = {item.ref for item in application.evidence if item.ref}
    items = [item for item in portfolio.pick(user, refs) if item.ref not in have]
    if not items and not refs:
        raise ValidationFailed({"refs": N_("Pick at least one item from your portfolio.")})
    _room_for(application, len(items))
    added = [Evidence(kind="portfolio", source=item.kind, ref=item.ref, title=item.title[:200],
                      detail=item.detail[:300], url=item.url, item_date=item.date) for item in items]
    application.evidence.extend(added)
    db.session.commit()
    return added


def add_link(application: Application, user, url: str, title: str = "", now=None) -> Evidence:
    _evidence_allowed(application, user, now)
    url = (url or "").strip()
    parts = urlsplit(url)
    errors = {}
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000 or " " in url:
        errors["url"] = N_("Links must start with http:// or https://.")
    title = " ".join((title or "").split())[:200]
    if errors:
        raise ValidationFailed(errors)
    _room_for(application, 1)
    item = Evidence(kind="link", title=title or parts.hostname, url=url, detail=parts.hostname or "")
    application.evidence.append(item)
    db.session.commit()
    return item


def add_file(application: Application, user, data: bytes, filename: str = "", now=None) -> Evidence:
    """A file, checked by its content like the library's uploads."""
    _evidence_allowed(application, user, now)
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    if not data:
        raise ValidationFailed({"file": N_("That file is empty.")})
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationFailed({"file": _l("Files can be up to %(size)s MB.", size=limit_mb)})
    mime, kind, extension = files.detect(data, filename)
    _room_for(application, 1)
    name = storage.save(EVIDENCE_AREA, data, extension)
    base = storage.without_folders(filename).strip()[:150] or f"evidence.{extension}"
    item = Evidence(kind="file", title=base, detail=files.KIND_LABELS.get(kind, kind), storage_name=name,
                    file_name=base, mime=mime, size=len(data))
    application.evidence.append(item)
    storage.commit_or_delete((EVIDENCE_AREA, name))
    return item


def remove_evidence(application: Application, user, evidence_id: int, now=None) -> None:
    _evidence_allowed(application, user, now)
    item = next((e for e in application.evidence if e.id == evidence_id), None)
    if item is None:
        raise NotFound(N_("No such evidence on this application."))
    stored = item.storage_name
    application.evidence.remove(item)
    db.session.commit()
    if stored:
        storage.delete(EVIDENCE_AREA, stored)


def evidence_path(item: Evidence):
    return storage.path_for(EVIDENCE_AREA, item.storage_name) if item.storage_name else None
