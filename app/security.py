"""Security headers on every response, and the CSRF check of forms."""

from __future__ import annotations

from flask import Flask, current_app, request

from app.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
}


_LOWER_NAMES = {name.lower(): name for name in HEADERS}


def add_security_headers(response):
    """Each header the view did not set itself (a view may send a stricter
    one). One look at what is there, not six: `Headers.setdefault` searches
    the list for each name, about half this hook's cost on every request."""
    headers = response.headers
    own = {name.lower() for name in headers.keys()}
    for lower, name in _LOWER_NAMES.items():
        if lower not in own:
            headers.add(name, HEADERS[name])
    return response


def check_csrf() -> None:
    """Flask-WTF's CSRF check (its exemptions included) of every request
    whose method it checks. Its own hook, off (WTF_CSRF_CHECK_DEFAULT), asks
    which view will answer and whether it is exempt before it looks at the
    method, which is most of its cost on a GET."""
    config = current_app.config
    if request.method in config["WTF_CSRF_METHODS"] and config["WTF_CSRF_ENABLED"]:
        csrf.protect(apply_exemptions=True)


def register_csrf_check(app: Flask) -> None:
    """Right after `csrf.init_app`, where Flask-WTF's own hook sits: forms
    are checked before any other hook of the app may write."""
    app.before_request(check_csrf)


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
