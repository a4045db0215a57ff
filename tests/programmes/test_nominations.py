"""Self-nomination: the deadline by server time, drafts saved from two tabs,
evidence from links, files and the portfolio, submitting and withdrawing."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.exceptions import Conflict, UnsupportedMedia, ValidationFailed
from app.extensions import db
from app.programmes import applications, evidence
from app.programmes.models import Answer, Application
from app.resources import services as resources
from tests.helpers import csrf_from
from tests.programmes.conftest import ANNOUNCE, CLOSES, NOW, OPENS
from tests.resources.samples import exe_bytes, pdf_bytes


def form_state(html: str) -> dict:
    """The application form as the page shows it: every field a browser would post."""
    data = {"csrf_token": csrf_from(html)}
    for name, value in re.findall(r'<input type="hidden" name="((?:version|digest)-\d+)" value="([^"]*)"', html):
        data[name] = value
    for name, text in re.findall(r'<textarea id="answer-\d+" name="(answer-\d+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = text.replace("&#39;", "'").replace("&amp;", "&")
    return data


def stored(application) -> dict[int, str]:
    rows = db.session.scalars(select(Answer).where(Answer.application_id == application.id))
    return {row.question_id: row.body for row in rows}


# The deadline --------------------------------------------------------------------------------------------

def test_submitting_one_second_after_the_deadline_is_refused(make_cohort, make_user, answered):
    cohort = make_cohort()
    late, on_time = make_user(), make_user()
    with pytest.raises(Conflict) as refused:
        applications.submit(answered(cohort, late), late, now=CLOSES + timedelta(seconds=1))
    assert "closed" in refused.value.message
    assert db.session.scalar(select(Application.status).where(Application.user_id == late.id)) == "draft"
    done = applications.submit(answered(cohort, on_time), on_time, now=CLOSES - timedelta(seconds=1))
    assert done.status == "submitted" and done.submitted_at == CLOSES - timedelta(seconds=1)


def test_the_page_refuses_a_late_submission_clearly(make_cohort, make_user, answered, client_for, clock):
    cohort = make_cohort()
    user = make_user()
    application = answered(cohort, user)
    browser = client_for(user)
    page = browser.get(f"/programmes/applications/{application.id}").get_data(as_text=True)
    clock.at(CLOSES + timedelta(seconds=1))
    response = browser.post(f"/programmes/applications/{application.id}", data={**form_state(page), "action": "submit"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "closed on" in html and "server time" in html
    assert db.session.get(Application, application.id).status == "draft"
    # the API says the same
    api_response = browser.post(f"/api/v1/applications/{application.id}/submit",
                                headers={"X-CSRFToken": csrf_from(page)})
    assert api_response.status_code == 409
    assert api_response.get_json()["error"]["code"] == "conflict"


def test_applications_start_only_while_nominations_are_open(make_cohort, make_user):
    cohort = make_cohort()
    with pytest.raises(Conflict):
        applications.start(cohort, make_user(), now=OPENS - timedelta(seconds=1))
    with pytest.raises(Conflict):
        applications.start(cohort, make_user(), now=CLOSES)
    assert applications.start(cohort, make_user(), now=OPENS).status == "draft"


def test_submitting_needs_the_required_answers_within_their_length(make_cohort, make_user):
    cohort = make_cohort()
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    first = cohort.questions[0]
    applications.save_answers(application, user, {first.id: applications.FieldSave("x" * 600, 0)}, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        applications.submit(application, user, now=NOW)
    assert (
        f"answers.{first.id}" in refused.value.fields and "at most 500" in refused.value.fields[f"answers.{first.id}"]
    )
    assert f"answers.{cohort.questions[1].id}" in refused.value.fields
    assert f"answers.{cohort.questions[3].id}" not in refused.value.fields  # optional


def test_withdraw_until_the_announcement(make_cohort, make_user, submitted, admin):
    cohort = make_cohort()
    early, late = make_user(), make_user()
    first = submitted(cohort, early, "accepted", admin)
    assert applications.withdraw(first, early, now=ANNOUNCE - timedelta(seconds=1)).status == "withdrawn"
    assert first.decision is None  # a withdrawn application carries no decision
    second = submitted(cohort, late)
    with pytest.raises(Conflict):
        applications.withdraw(second, late, now=ANNOUNCE)


# Two tabs --------------------------------------------------------------------------------------------------

def test_a_draft_survives_two_tabs_saving_in_turn(make_cohort, make_user, client_for, clock):
    cohort = make_cohort()
    q1, q2, q3 = (q.id for q in cohort.questions[:3])
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    first_tab, second_tab = client_for(user), client_for(user)
    path = f"/programmes/applications/{application.id}"
    tab_a = form_state(first_tab.get(path).get_data(as_text=True))
    tab_b = form_state(second_tab.get(path).get_data(as_text=True))

    # Each tab changes a different answer: both are kept.
    response = first_tab.post(path, data={**tab_a, f"answer-{q1}": "Typed in the first tab."})
    assert response.status_code == 302
    response = second_tab.post(path, data={**tab_b, f"answer-{q2}": "Typed in the second tab."})
    assert response.status_code == 302
    answers = stored(application)
    assert (answers[q1], answers[q2], answers[q3]) == ("Typed in the first tab.", "Typed in the second tab.", "")

    # Both change the same answer: the second save is a clear conflict, loses
    # nothing, and its other fields still save.
    tab_a = form_state(first_tab.get(path).get_data(as_text=True))
    tab_b = form_state(second_tab.get(path).get_data(as_text=True))
    first_tab.post(path, data={**tab_a, f"answer-{q3}": "Version A of answer three."})
    response = second_tab.post(path, data={**tab_b, f"answer-{q3}": "Version B of answer three.",
                                           f"answer-{q2}": "Second tab, edited again."})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Changed in another tab or window since this page loaded: question 3" in html
    assert "Version B of answer three." in html  # still in the box
    assert "Version A of answer three." in html  # the other version, shown below it
    assert stored(application)[q3] == "Version A of answer three."
    assert stored(application)[q2] == "Second tab, edited again."

    # Saving the re-shown form keeps the second tab's text: last write wins, knowingly.
    response = second_tab.post(path, data=form_state(html))
    assert response.status_code == 302
    assert stored(application)[q3] == "Version B of answer three."
    assert stored(application)[q1] == "Typed in the first tab."


def test_autosave_answers_in_json_and_reports_conflicts(make_cohort, make_user, client_for, clock):
    cohort = make_cohort()
    q1, q2 = cohort.questions[0].id, cohort.questions[1].id
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    tab_a, tab_b = client_for(user), client_for(user)
    path = f"/programmes/applications/{application.id}"
    state_a = form_state(tab_a.get(path).get_data(as_text=True))
    state_b = form_state(tab_b.get(path).get_data(as_text=True))
    fetch = {"X-Requested-With": "fetch"}
    body = tab_a.post(path, data={**state_a, f"answer-{q1}": "A\r\nwith a line break"}, headers=fetch).get_json()
    assert body["ok"] and body["saved"] == [q1]
    assert body["texts"][str(q1)] == "A\nwith a line break"  # stored with LF
    body = tab_b.post(path, data={**state_b, f"answer-{q1}": "B", f"answer-{q2}": "B two"}, headers=fetch).get_json()
    assert not body["ok"]
    assert body["conflicts"] == [{"question_id": q1, "text": "A\nwith a line break"}]
    assert body["saved"] == [q2]
    assert "question 1" in body["message"]


@pytest.mark.parametrize("version", ["2147483648", "99999999999999999999", "9" * 5000])
def test_a_version_no_answer_can_have_is_a_conflict_not_an_error(make_cohort, make_user, client_for, clock,
                                                                   version):
    cohort = make_cohort()
    q1 = cohort.questions[0].id
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    browser = client_for(user)
    path = f"/programmes/applications/{application.id}"
    state = form_state(browser.get(path).get_data(as_text=True))
    response = browser.post(path, data={**state, f"answer-{q1}": "Typed here.", f"version-{q1}": version})
    assert response.status_code == 409
    assert "Typed here." in response.get_data(as_text=True)  # still in the box
    assert stored(application)[q1] == ""


def test_autosave_after_the_deadline_is_refused_in_json(make_cohort, make_user, client_for, clock):
    cohort = make_cohort()
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    browser = client_for(user)
    path = f"/programmes/applications/{application.id}"
    state = form_state(browser.get(path).get_data(as_text=True))
    clock.at(CLOSES)
    response = browser.post(path, data={**state, f"answer-{cohort.questions[0].id}": "late"},
                            headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409
    assert "closed" in response.get_json()["message"]


def test_only_the_applicant_sees_an_application(make_cohort, make_user, client_for, api):
    cohort = make_cohort()
    owner, other = make_user(), make_user()
    application = applications.start(cohort, owner, now=NOW)
    assert client_for(other).get(f"/programmes/applications/{application.id}").status_code == 404
    api.login(other.username)
    assert api.get(f"/applications/{application.id}").status_code == 404
    api.login(owner.username)
    assert api.get(f"/applications/{application.id}").status_code == 200


# Evidence -------------------------------------------------------------------------------------------------

def test_portfolio_items_links_and_files_as_evidence(make_cohort, make_user, client_for, app, clock):
    cohort = make_cohort()
    user = make_user()
    worksheet = resources.create_resource(user, title="Fractions pizza worksheet", subject="mathematics",
                                          license="cc-by", url="https://example.org/pizza")
    resources.bookmark(make_user(), worksheet)
    items = evidence.portfolio(user)
    assert [(i.ref, i.detail) for i in items] == [(f"resource:{worksheet.id}", "0 downloads · 1 bookmark")]
    application = applications.start(cohort, user, now=NOW)
    browser = client_for(user)
    path = f"/programmes/applications/{application.id}"
    page = browser.get(path).get_data(as_text=True)
    assert "Fractions pizza worksheet" in page
    token = csrf_from(page)
    browser.post(f"{path}/portfolio", data={"csrf_token": token, "refs": [f"resource:{worksheet.id}", "resource:999"]})
    browser.post(f"{path}/links", data={"csrf_token": token, "url": "https://example.org/lesson-video",
                                        "title": "My lesson on video"})
    browser.post(
        f"{path}/files",
        data={"csrf_token": token, "file": (io.BytesIO(pdf_bytes("Lesson plan")), "plan.pdf")},
        content_type="multipart/form-data",
    )
    refused = browser.post(f"{path}/files", data={"csrf_token": token, "file": (io.BytesIO(exe_bytes()), "plan.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "not accepted" in refused.get_data(as_text=True)
    db.session.expire_all()
    kinds = [(e.kind, e.title) for e in db.session.get(Application, application.id).evidence]
    assert kinds == [("portfolio", "Fractions pizza worksheet"), ("link", "My lesson on video"), ("file", "plan.pdf")]
    stored_file = db.session.get(Application, application.id).evidence[2]
    assert stored_file.mime == "application/pdf"
    assert (Path(app.config["UPLOAD_DIR"]) / "evidence" / stored_file.storage_name).is_file()
    download = browser.get(f"{path}/evidence/{stored_file.id}/file")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")
    stranger = client_for(make_user())
    assert stranger.get(f"{path}/evidence/{stored_file.id}/file").status_code == 404  # a draft is nobody else's


def test_files_are_checked_by_content(make_cohort, make_user):
    cohort = make_cohort()
    user = make_user()
    application = applications.start(cohort, user, now=NOW)
    with pytest.raises(UnsupportedMedia):
        applications.add_file(application, user, exe_bytes(), "innocent.pdf", now=NOW)
    assert applications.add_file(application, user, pdf_bytes("ok"), "renamed.txt", now=NOW).mime == "application/pdf"
