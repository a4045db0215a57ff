"""The one module that reaches into Flask-Login's per-request state.

Flask-Login keeps the member it loaded for a request in `g._login_user`
(flask_login.utils._get_user reads it, LoginManager._load_user fills it). It
has no public way to make someone the current user of one request without
writing the session (`login_user` does), nor to ask whether it has loaded
anyone yet without loading them (reading `current_user` does). We need both:
an API bearer token signs its caller in for that request only, and the
request log names the member without costing a query. Flask-Login is pinned
exactly (requirements.txt); tests/test_library_pins.py fails if this name
goes away.
"""

from __future__ import annotations

from flask import g

_USER = "_login_user"  # Flask-Login's name for it


def use_for_this_request(user) -> None:
    """Make `user` the current user of this request only (no session, no cookie)."""
    setattr(g, _USER, user)


def loaded_user():
    """The user Flask-Login has loaded for this request, or None if it has
    not loaded one (the anonymous user included); never loads one."""
    return g.get(_USER)
