"""The email-verification gate: until a member has followed the link mailed
at registration they may sign in, read and edit their profile, but not post
publicly, message or upload. Every service that does one of those calls
`require_verified` first, so pages, the API and the live rooms all refuse.

A module of its own, importing nothing but config: the services of every
feature import it.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from app.exceptions import Forbidden


class EmailNotVerified(Forbidden):
    code = "email_not_verified"


def gate_on() -> bool:
    return bool(current_app.config.get("REQUIRE_EMAIL_VERIFICATION", True))


def needs_verification(user) -> bool:
    """Whether the banner shows, and posting is refused, for this member.
    (Visitors and other non-members have no `email_verified_at`: never.)"""
    return gate_on() and user is not None and getattr(user, "email_verified_at", 1) is None


def require_verified(user) -> None:
    if needs_verification(user):
        # Translated now, as a plain str: live rooms send it in a JSON ack as it is.
        raise EmailNotVerified(gettext("Confirm your email address to post, message and share. "
                                       "We sent a link to %(email)s.", email=user.email))
