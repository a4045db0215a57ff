"""Showing a service's ValidationFailed on a Flask-WTF form."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from app.exceptions import ServiceError
from app.i18n import translate


def attach_errors(form: FlaskForm, error: ServiceError) -> None:
    """Put each field's message under that field; the rest in a flash."""
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [translate(message)]
        else:
            unplaced.append(translate(message))
    if unplaced or not error.fields:
        flash(" ".join(unplaced) or translate(error.message), "error")
