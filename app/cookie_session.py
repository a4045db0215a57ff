"""Flask's signed-cookie session, with its serializer made once.

Flask makes a new `URLSafeTimedSerializer` on every request, before it even
looks for a session cookie (a visitor has none), and again to save: a tenth
of the cost of a bare request, twice. The serializer keeps nothing of a
request, so one per set of keys serves every request and thread; a changed
SECRET_KEY or SECRET_KEY_FALLBACKS gets a new one. What is signed, how, and
what is accepted are Flask's own.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

_KEPT = 4  # sets of keys remembered; tests build apps with a few


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if len(self._serializers) >= _KEPT:
                self._serializers.clear()
            self._serializers[keys] = serializer
        return serializer
