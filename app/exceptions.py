"""Errors that services raise. Views turn them into form messages, the API
into its JSON error format, the live room into an error ack."""

from __future__ import annotations

from app.i18n import N_

# What a ValidationFailed says when the fields' own messages say the rest.
# Plain English here (sockets send it as it is); pages and the API translate
# it on the way out (app/i18n.translate).
FIELDS_NEED_ATTENTION = N_("Some fields need attention.")


class ServiceError(Exception):
    status = 400
    code = "bad_request"
    retry_after: int | None = None  # seconds, sent as Retry-After

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(ServiceError):
    status = 422
    code = "validation_error"

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(FIELDS_NEED_ATTENTION if message is None else message, fields)
        # True when the message is only the summary above: where there is
        # room for one line only (a live-room ack), the fields' messages are it.
        self.summary_only = message is None


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class AuthenticationFailed(ServiceError):
    status = 401
    code = "unauthorized"


class UnsupportedMedia(ServiceError):
    status = 415
    code = "unsupported_media_type"


class Unavailable(ServiceError):
    """Something the request needs is down for a moment; try again soon."""

    status = 503
    code = "unavailable"
    retry_after = 30
