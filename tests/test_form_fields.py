"""The long select boxes (countries, time zones) render what WTForms would,
from options rendered once; integer fields refuse numbers no column holds."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import Form, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

import app  # noqa: F401 (declares every form that integer_fields() looks through)
from app.events.forms import EventForm
from app.form_fields import IdField, LongSelectField, choices, country_field, timezone_field
from app.programmes.forms import SchoolForm
from app.template_helpers import field_attrs, plural

ODD = choices([("", "Pick one"), ("a&b", "Fish & <chips>"), ('say "hi"', "Quotes"), ("GB", "United Kingdom")])


def pair(field_choices, **field_kwargs):
    """The same field declared both ways, in one form class each."""
    ours = type("Ours", (Form,), {"pick": LongSelectField("Pick", choices=field_choices, **field_kwargs)})
    theirs = type("Theirs", (Form,), {"pick": SelectField("Pick", choices=field_choices, **field_kwargs)})
    return ours, theirs


@pytest.mark.parametrize("submitted", [None, "", "a&b", 'say "hi"', "GB", "not-a-choice"])
def test_the_html_is_the_same_as_wtforms_writes(submitted):
    ours, theirs = pair(ODD, validators=[DataRequired()])
    data = MultiDict({} if submitted is None else {"pick": submitted})
    assert str(ours(data).pick(class_="wide")) == str(theirs(data).pick(class_="wide"))


def test_the_chosen_option_is_marked_once_and_the_cache_is_not_changed():
    ours, _ = pair(ODD)
    chosen = str(ours(MultiDict({"pick": "GB"})).pick())
    assert chosen.count(" selected") == 1 and '<option selected value="GB">United Kingdom</option>' in chosen
    other = str(ours(MultiDict({"pick": "a&b"})).pick())
    assert other.count(" selected") == 1 and '<option selected value="a&amp;b">' in other
    assert " selected" not in str(ours().pick())


def test_options_with_their_own_attributes_are_left_to_wtforms():
    special = [SelectChoice("x", "X", render_kw={"disabled": True}), SelectChoice("y", "Y")]
    ours, theirs = pair(special)
    assert 'disabled value="x"' in str(ours().pick())
    assert str(ours().pick()) == str(theirs().pick())


def test_countries_and_time_zones_validate_what_they_list():
    form_class = type("Where", (Form,), {"country": country_field(blank="All countries"),
                                         "timezone": timezone_field()})
    good = form_class(MultiDict({"country": "SA", "timezone": "Asia/Riyadh"}))
    assert good.validate(), good.errors
    assert '<option selected value="Asia/Riyadh">Asia/Riyadh</option>' in str(good.timezone())
    assert '<option value="America/Argentina/Buenos_Aires">America/Argentina/Buenos Aires</option>' in str(
        good.timezone())
    assert str(good.country()).startswith('<select id="country" name="country"><option value="">All countries')
    bad = form_class(MultiDict({"country": "XX", "timezone": "Mars/Olympus"}))
    assert not bad.validate() and set(bad.errors) == {"country", "timezone"}


# Integer fields ----------------------------------------------------------------------------

def _form_classes(cls=Form):
    for sub in cls.__subclasses__():
        yield sub
        yield from _form_classes(sub)


def integer_fields() -> list[tuple[type, str]]:
    """(form class, field name) for every integer field of every form the app
    declares (importing `app` imports every feature's forms)."""
    found = []
    for form_class in _form_classes():
        if not form_class.__module__.startswith("app."):
            continue
        for name, unbound in vars(form_class).items():
            if getattr(unbound, "field_class", None) is not None and issubclass(unbound.field_class, IntegerField):
                found.append((form_class, name))
    return found


def test_every_integer_field_of_every_form_refuses_numbers_no_column_holds():
    """An integer field without a bound handed 10**20 to the database (a 500)."""
    fields = integer_fields()
    assert len(fields) >= 5  # the app's forms were found
    requests = Flask(__name__)
    Babel(requests)  # the forms' messages are lazy translations
    unbounded = []
    for form_class, name in fields:
        for bad in ("99999999999999999999", "-99999999999999999999"):
            with requests.test_request_context(method="POST"):
                form = form_class(formdata=MultiDict({name: bad}), meta={"csrf": False})
                form.validate()
                if not form[name].errors:
                    unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}={bad}")
    assert unbounded == []


def test_an_id_field_takes_ids_and_refuses_what_no_row_can_have():
    form_class = type("PickForm", (Form,), {"item": IdField("Item")})
    assert form_class(MultiDict({"item": "42"})).validate()
    for bad in ("0", "-5", "2147483648", "99999999999999999999", "abc"):
        form = form_class(MultiDict({"item": bad}))
        assert not form.validate() and form.item.errors, bad


def test_number_fields_bring_up_a_phone_keyboard_that_can_type_them(auth, client, make_user):
    make_user("runner")
    auth.login("runner")
    page = client.get("/activities/new").get_data(as_text=True)
    distance = re.search(r'<input[^>]*id="distance"[^>]*>', page).group(0)
    duration = re.search(r'<input[^>]*id="duration"[^>]*>', page).group(0)
    assert 'inputmode="decimal"' in distance
    assert 'placeholder="45:00"' in duration and "inputmode" not in duration  # no keypad has ":"
    with client.application.test_request_context():
        assert field_attrs(EventForm().capacity)["inputmode"] == "numeric"
        assert "inputmode" not in field_attrs(SchoolForm().latitude)  # below zero: a decimal keypad has no minus


def test_plural_says_one_day_and_seven_days():
    assert [plural(n, "day", "days") for n in (0, 1, 7)] == ["0 days", "1 day", "7 days"]
