"""Queueing mail: the one door every feature uses to send an email.

`queue()` renders the mail's two parts from templates/mail/<name>.txt and
.html and adds a `mail_outbox` row to the caller's transaction: a mail
exists if and only if the change that caused it commits, and the sender
thread is woken once it has.
"""

from __future__ import annotations

import json
import re
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import render_template

from app import background, i18n, links
from app.extensions import db
from app.mail import unsubscribe
from app.mail.models import MailOutbox

WORKER = "mail_worker"  # the app extension that drains the outbox
_LINE_BREAKS = re.compile(r"[\r\n]+")


def site_url() -> str:
    """SITE_URL, never the request's host: see app/links.py."""
    return links.configured_site_url()


def link_to(url: str) -> str:
    """A link for a mail: a site path (a notification's url) made absolute."""
    return site_url() + url if url.startswith("/") else url


def absolute_url(endpoint: str, **values) -> str:
    """SITE_URL joined with the endpoint's path, in workers and CLI commands too."""
    return links.url_on(site_url(), endpoint, **values)


def can_receive(user) -> bool:
    """Suspended and deleted accounts (deletion suspends, and leaves an
    address under .invalid) get no mail."""
    return (user is not None and getattr(user, "suspended_at", None) is None
            and not (user.email or "").endswith(".invalid"))


def queue(user, template: str, subject, context: dict | None = None, *, kind: str = "account",
          unsubscribe_kind: str | None = None, to_address: str | None = None) -> MailOutbox | None:
    """Queue a mail in the caller's transaction (the caller commits).

    Renders templates/mail/<template>.txt and .html with `context` plus
    `user`, `site_url` and `subject`, in the recipient's language
    (`i18n.for_member`): `subject` is a constant marked N_() or a lazy
    string (`_l`, `lazy_ngettext`), translated there too. Returns None, queueing nothing, for a
    suspended or deleted user. `to_address` overrides user.email (an email
    change's confirmation goes to the new address). `unsubscribe_kind` adds
    the List-Unsubscribe headers (RFC 8058) for that notification kind, or
    "all"; account mails have none.
    """
    if not can_receive(user):
        return None
    with i18n.for_member(user):
        return _queue(user, template, i18n.translate(subject), context or {}, kind=kind,
                      unsubscribe_kind=unsubscribe_kind, to_address=to_address)


def _queue(user, template: str, subject: str, context: dict, *, kind: str,
           unsubscribe_kind: str | None, to_address: str | None) -> MailOutbox:
    # A header with a line break would be refused at send time: never queue one.
    subject = _LINE_BREAKS.sub(" ", subject).strip()[:300]
    values = {**context, "user": user, "site_url": site_url(), "subject": subject}
    headers = {}
    if unsubscribe_kind:
        link = absolute_url("mail.unsubscribe", token=unsubscribe.make_token(user.id, unsubscribe_kind))
        headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        values["unsubscribe_url"] = link
    row = MailOutbox(
        to_address=to_address or user.email, to_user_id=user.id, kind=kind[:40], subject=subject,
        text_body=render_template(f"mail/{template}.txt", **values),
        html_body=render_template(f"mail/{template}.html", **values),
        headers=json.dumps(headers), message_id=make_msgid(domain=urlsplit(site_url()).hostname or "localhost"),
    )
    db.session.add(row)
    background.wake_after_commit(db.session(), WORKER)
    return row
