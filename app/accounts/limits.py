"""Rate limits on sign-in and registration, shared by the pages and the API.

One counter per client address covers both the login form and
POST /api/v1/tokens, so switching door does not reset it.
"""

from __future__ import annotations

from flask import current_app

from app.extensions import limiter


def _failed(response) -> bool:
    return response.status_code >= 400


login_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_LOGIN"], scope="login", deduct_when=_failed, methods=["POST"]
)
register_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_REGISTER"], scope="register",
                                      methods=["POST"])
