"""The JSON API's field messages from marshmallow and webargs themselves
("Missing data for required field.", a validator's "Length must be between
1 and 200.") follow Accept-Language like every other message; the codes and
the English stay as they were."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app import field_messages
from app.events.services import MAX_DURATION_MIN

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

TOO_LONG = {"title": "x" * 201, "colour": "red"}
WRONG = {"title": "A fine title", "kind": "party", "starts_at": "2030-01-01T10:00", "duration_min": "sixty",
         "capacity": 0}


def fields(api, body: dict, locale: str | None = None) -> dict:
    response = api.post("/events", json=body, headers={"Accept-Language": locale} if locale else {})
    error = response.get_json()["error"]
    assert response.status_code == 422 and error["code"] == "validation_error"
    return error["fields"]


def test_english_field_messages_are_marshmallows(api_for, make_user):
    api = api_for(make_user())
    assert fields(api, TOO_LONG) == {
        "title": "Length must be between 3 and 200.",
        "kind": "Missing data for required field.",
        "starts_at": "Missing data for required field.",
        "duration_min": "Missing data for required field.",
        "colour": "Unknown field.",
    }
    assert fields(api, WRONG) == {
        "kind": "Must be one of: connection_call, tweetmeet, meetup, webinar.",
        "starts_at": "Not a valid aware datetime.",
        "duration_min": "Not a valid integer.",
        "capacity": "Must be greater than or equal to 1 and less than or equal to 100000.",
    }


def test_field_messages_in_spanish(api_for, make_user):
    api = api_for(make_user())
    assert fields(api, TOO_LONG, "es") == {
        "title": "La longitud debe estar entre 3 y 200.",
        "kind": "Este campo es obligatorio.",
        "starts_at": "Este campo es obligatorio.",
        "duration_min": "Este campo es obligatorio.",
        "colour": "Campo desconocido.",
    }
    wrong = fields(api, WRONG, "es")
    assert wrong["kind"] == "Debe ser uno de estos: connection_call, tweetmeet, meetup, webinar."
    assert wrong["starts_at"] == "No es una fecha y hora válida con zona horaria."
    assert wrong["duration_min"] == "No es un número entero válido."


def test_field_messages_in_arabic(api_for, make_user):
    api = api_for(make_user())
    too_long = fields(api, TOO_LONG, "ar")
    assert too_long["title"] == "يجب أن يكون الطول بين 3 و200."
    assert too_long["kind"] == too_long["starts_at"] == "هذا الحقل مطلوب."
    assert fields(api, WRONG, "ar")["capacity"] == "يجب أن يكون بين 1 و100000، شاملًا الحدّين."


def test_a_range_with_both_ends_is_not_read_as_one_end(app):
    with app.test_request_context(), force_locale("fr"):
        assert field_messages.translate(f"Must be greater than or equal to 5 and less than or equal to "
                                        f"{MAX_DURATION_MIN}.") == \
            f"Doit être supérieur ou égal à 5 et inférieur ou égal à {MAX_DURATION_MIN}."
        assert field_messages.translate("Must be greater than 0.") == "Doit être supérieur à 0."
        assert field_messages.translate("An id is a whole number from 1 to 9.") == \
            "Un id est un nombre entier de 1 à 9."
        assert field_messages.translate("Something only this schema says.") == "Something only this schema says."


def test_a_body_that_is_not_json_is_said_in_the_callers_language(api_for, make_user):
    api = api_for(make_user())
    response = api.post("/events", data="{not json", content_type="application/json",
                        headers={"Accept-Language": "pt-BR"})
    assert response.status_code == 400
    assert response.get_json()["error"] == {"code": "bad_request", "message": "O corpo JSON é inválido.", "fields": {}}
