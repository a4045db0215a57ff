"""The groups pages, forms, flash messages and API errors in Spanish and
Arabic: translated text shown, the English gone, plurals real plurals,
distances and dates written for the language."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.groups import challenges, services
from app.groups.periods import local_today
from app.i18n import COOKIE

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def speaking(user, locale: str):
    """The member's own language choice (what the profile's Language saves)."""
    user.locale = locale
    db.session.commit()
    return user


def test_the_group_page_in_spanish(make_user, make_group, log_run, client_for):
    owner = speaking(make_user(display_name="Lucía Pérez"), "es")
    group = make_group(owner, weekly_goal_m=25_000, group_goal_m=1_500_000)
    log_run(owner, km=5)
    today = local_today(group.timezone)
    challenges.create_challenge(group, owner, title="100 km en noviembre", kind="days", target=5,
                                starts_on=today, ends_on=today + timedelta(days=6))
    page = client_for(owner).get(f"/groups/{group.id}").get_data(as_text=True)
    for text in ("Esta semana", "Clasificación", "Retos", "Las últimas 12 semanas del grupo", "Eres propietario",
                 "1 miembro", "de 5 días", "1.500,00 km", "Desde siempre", "Actividades"):
        assert text in page, text
    for english in ("This week", "Leaderboard", "Challenges", "You are the owner", "1 member", "Log an activity"):
        assert english not in page, english


def test_the_group_page_and_directory_in_arabic(make_user, make_group, log_run, client_for, client):
    owner = make_user()
    member = speaking(make_user(), "ar")
    group = make_group(owner)
    services.join(group, member)
    log_run(owner, km=5)
    page = client_for(member).get(f"/groups/{group.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page
    for text in ("لوحة الصدارة", "هذا الأسبوع", "أنت عضو", "عضوان", "شجّع"):
        assert text in page, text
    assert "Leaderboard" not in page and "Give kudos" not in page and "2 members" not in page
    client.set_cookie(COOKIE, "ar")
    directory = client.get("/groups").get_data(as_text=True)
    assert "نوادي الجري" in directory and "عضوان" in directory and "Running clubs" not in directory


def test_my_fitness_and_an_activity_in_spanish(make_user, log_run, client_for):
    runner = speaking(make_user(), "es")
    activity = log_run(runner, km=5, title="Vuelta al parque")
    browser = client_for(runner)
    me = browser.get("/me/fitness").get_data(as_text=True)
    for text in ("Mi actividad física", "Rachas", "Racha actual", "Mejores marcas", "5,00 km", "Distancia semanal"):
        assert text in me, text
    assert "Personal bests" not in me and "Current streak" not in me
    shown = browser.get(f"/activities/{activity.id}").get_data(as_text=True)
    for text in ("Distancia", "Ritmo", "0 ánimos", "Aún no hay comentarios.",
                 "Los miembros de sus grupos pueden verla"):
        assert text in shown, text
    assert "No comments yet." not in shown and "0 kudos" not in shown
    ride = log_run(runner, km=20.5, minutes=50, sport="ride")
    assert "24,6 km/h" in browser.get(f"/activities/{ride.id}").get_data(as_text=True)


def test_form_errors_and_flash_messages_in_spanish(make_user, make_group, client_for):
    owner = speaking(make_user(), "es")
    browser = client_for(owner)
    form = browser.get("/groups/new").get_data(as_text=True)
    assert "Crear un grupo" in form and "Objetivo semanal por miembro" in form and "Start a group" not in form
    bad = browser.submit("/groups/new", {"name": "ab", "focus": "running", "visibility": "public",
                                         "weekly_goal": "-4", "timezone": "Europe/London"}, page="/groups/new")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Ponle al grupo un nombre de al menos 3 caracteres." in text
    assert "Un objetivo es mayor que 0 y como máximo de 10.000 km por semana." in text
    assert "at least 3 characters" not in text
    group = make_group(make_user(), name="Corredores del claustro")
    joined = browser.submit(f"/groups/{group.id}/join", {}, page=f"/groups/{group.id}", follow_redirects=True)
    assert "¡Te damos la bienvenida a Corredores del claustro!" in joined.get_data(as_text=True)


def test_api_errors_in_the_requested_language(make_user, api_for):
    api = api_for(make_user())
    bad = api.post("/groups", json={"name": "x", "focus": "running", "timezone": "Europe/London", "weekly_goal_km": 0},
                   headers={"Accept-Language": "ar"})
    assert bad.status_code == 422
    fields = bad.get_json()["error"]["fields"]
    assert fields["name"] == "اكتب للمجموعة اسمًا من 3 أحرف على الأقل."
    missing = api.get("/groups/999999", headers={"Accept-Language": "es"})
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "No existe ese grupo."
    english = api.get("/groups/999999")
    assert english.get_json()["error"]["message"] == "No such group."


def test_every_groups_page_renders_in_arabic(make_user, make_group, log_run, client_for):
    owner = speaking(make_user(), "ar")
    group = make_group(owner)
    private = make_group(make_user(), name="Quiet Walkers", visibility="private", focus="walking")
    activity = log_run(owner, km=5)
    today = local_today(group.timezone)
    challenge = challenges.create_challenge(group, owner, title="Five days", kind="days", target=5,
                                            starts_on=today, ends_on=today + timedelta(days=6))
    browser = client_for(owner)
    pages = {
        f"/groups/{group.id}/edit": "احذف المجموعة",
        f"/groups/{group.id}/members": "أعضاء Staffroom Runners",
        f"/groups/{group.id}/challenges/new": "أطلق التحدي",
        f"/groups/{group.id}/challenges/{challenge.id}": "تقدّم الجميع",
        f"/groups/{private.id}": "هذه المجموعة خاصة",
        "/activities/new": "سجّل النشاط",
        f"/activities/{activity.id}/edit": "عدّل النشاط",
        f"/activities/{activity.id}/delete": "احذف النشاط",
    }
    for path, text in pages.items():
        response = browser.get(path)
        assert response.status_code == (403 if path == f"/groups/{private.id}" else 200), path
        assert text in response.get_data(as_text=True), path
    progress = browser.get(f"/groups/{group.id}/challenges/{challenge.id}").get_data(as_text=True)
    assert "20٪</progress>" in progress and "يوم واحد" in progress
    speaking(owner, "en")
    assert "20%</progress>" in browser.get(f"/groups/{group.id}/challenges/{challenge.id}").get_data(as_text=True)


def test_a_default_activity_title_is_written_in_its_members_language(make_user, log_run):
    morning = datetime(2026, 11, 20, 7, 30, tzinfo=timezone.utc)  # 07:30 in London
    evening = datetime(2026, 11, 20, 19, 0, tzinfo=timezone.utc)
    spanish = speaking(make_user(), "es")
    assert log_run(spanish, started_at=morning).title == "Carrera matutina"
    assert log_run(spanish, started_at=evening, sport="ride").title == "Salida en bici vespertina"
    assert log_run(speaking(make_user(), "ar"), started_at=morning, sport="swim").title == "سباحة صباحية"
    assert log_run(speaking(make_user(), "fr"), started_at=evening, sport="walk").title == "Marche du soir"
    english = make_user()
    assert log_run(english, started_at=morning).title == "Morning run"
    assert log_run(english, started_at=evening, title="  Club hills  ").title == "Club hills"


def test_a_private_group_and_a_kept_activity_use_their_own_gender(make_user, make_group, log_run, client_for):
    owner = speaking(make_user(), "es")
    make_group(owner, name="Corredores del norte", visibility="private")
    browser = client_for(owner)
    assert '<span class="badge badge-quiet">Privado</span>' in browser.get("/groups").get_data(as_text=True)
    activity = log_run(owner)
    delete_page = browser.get(f"/activities/{activity.id}/delete").get_data(as_text=True)
    assert ">Conservarla</a>" in delete_page
