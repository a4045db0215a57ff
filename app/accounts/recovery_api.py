"""The mailed-link flows in the JSON API: password resets, confirming an
address, changing it. Added to the accounts API blueprint."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import recovery
from app.accounts.api import blp
from app.api_support import api_login_required
from app.i18n import translate

_v = ma.validate


class ResetRequestSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=_v.Length(min=1, max=254))


class ResetConfirmSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=_v.Length(min=1, max=500),
                             metadata={"description": "the token from the mailed link (/password/reset/<token>)"})
    password = ma.fields.String(required=True, load_only=True, validate=_v.Length(max=128))


class TokenOnlySchema(ma.Schema):
    token = ma.fields.String(required=True, validate=_v.Length(min=1, max=500),
                             metadata={"description": "the token from the mailed link"})


class EmailChangeSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=_v.Length(min=1, max=254))
    password = ma.fields.String(required=True, load_only=True, validate=_v.Length(max=128))


class AccountNoticeSchema(ma.Schema):
    message = ma.fields.String()


def _signed_in():
    return current_user._get_current_object() if current_user.is_authenticated else None


@blp.post("/password-resets")
@blp.arguments(ResetRequestSchema)
@blp.response(202, AccountNoticeSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def request_password_reset(data):
    """Mail a link to choose a new password (valid one hour).

    The answer is the same whether or not an account uses the address.
    Limited per client address and per address asked for: 429 with
    Retry-After."""
    return {"message": translate(recovery.request_password_reset(data["email"], request.remote_addr))}


@blp.post("/password-resets/confirm")
@blp.arguments(ResetConfirmSchema)
@blp.response(200, AccountNoticeSchema)
@blp.alt_response(400, response="BAD_REQUEST")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def confirm_password_reset(data):
    """Set a new password with a reset token. Every session of the member
    ends and every API token is revoked; a notice is mailed. A token that
    expired, was used, or was tampered with is a 400 (code token_expired,
    token_used or token_invalid)."""
    recovery.reset_password(data["token"], data["password"], _signed_in())
    return {"message": _("Your new password is set. Sign in with it.")}


@blp.post("/email-verifications")
@blp.arguments(TokenOnlySchema)
@blp.response(200, AccountNoticeSchema)
@blp.alt_response(400, response="BAD_REQUEST")
def confirm_email(data):
    """Confirm an address with the token from the mail sent at registration."""
    user = recovery.verify_email(data["token"], _signed_in())
    return {"message": _("%(email)s is confirmed.", email=user.email)}


@blp.post("/me/email-verification")
@api_login_required
@blp.response(202, AccountNoticeSchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def resend_email_verification():
    """Send the confirmation link again (3 an hour)."""
    recovery.resend_verification(current_user._get_current_object())
    return {"message": _("We sent a new link to %(email)s.", email=current_user.email)}


@blp.post("/me/email")
@api_login_required
@blp.arguments(EmailChangeSchema)
@blp.response(202, AccountNoticeSchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def change_my_email(data):
    """Ask to change your address: needs your password; a link goes to the
    new address and a notice to the old one. Nothing changes until the link
    is followed (then POST /email-changes)."""
    recovery.request_email_change(current_user._get_current_object(), data["password"], data["email"])
    return {"message": _("We sent a link to %(email)s.", email=data["email"])}


@blp.post("/email-changes")
@blp.arguments(TokenOnlySchema)
@blp.response(200, AccountNoticeSchema)
@blp.alt_response(400, response="BAD_REQUEST")
@blp.alt_response(409, response="CONFLICT")
def confirm_email_change(data):
    """Confirm a new address with the token mailed to it."""
    user = recovery.confirm_email_change(data["token"], _signed_in())
    return {"message": _("Your email address is now %(email)s.", email=user.email)}
