"""The unsubscribe page: GET confirms, POST (the page's button or the mail
client's RFC 8058 one-click request) unsubscribes."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from app.extensions import csrf
from app.i18n import translate
from app.mail import unsubscribe

bp = Blueprint("mail", __name__)


def _refused(error: unsubscribe.BadToken):
    message = translate(error.message)
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": {"code": error.code, "message": message, "fields": {}}}), 400
    return render_template("mail/unsubscribe_bad.html", message=message, status=400), 400


@bp.get("/mail/unsubscribe/<token>", endpoint="unsubscribe")
def confirm(token: str):
    try:
        choice = unsubscribe.describe(token)
    except unsubscribe.BadToken as error:
        return _refused(error)
    return render_template("mail/unsubscribe.html", choice=choice, done=False)


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt  # the signed token is the proof; mail clients post without a session
def unsubscribe_now(token: str):
    try:
        choice = unsubscribe.apply(token)
    except unsubscribe.BadToken as error:
        return _refused(error)
    return render_template("mail/unsubscribe.html", choice=choice, done=True)
