"""Private messages in Spanish and Arabic: the pages, a form error, a
flash message and the API's error messages, with no English left."""

from __future__ import annotations

import pytest

from app.messages import services
from tests.helpers import speaking

pytestmark = pytest.mark.one_database  # words in five languages, not SQL


def page_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_inbox_and_a_conversation_in_spanish(make_user, client_for):
    ana, gary = speaking(make_user, "ana", "es"), make_user("gary")
    conversation, _ = services.start_conversation(gary, [ana.username], "¡Hola!")
    browser = client_for(ana)
    inbox = page_of(browser.get("/messages"))
    assert "Nuevo mensaje" in inbox and "Miembros bloqueados" in inbox and 'aria-label="1 mensaje sin leer"' in inbox
    assert "New message" not in inbox and "Blocked members" not in inbox
    page = page_of(browser.get(f"/messages/{conversation.id}"))
    assert "Solo las 2 personas de esta conversación pueden leerla." in page and "Bloquear a Teacher 2…" in page
    assert "Only the 2 people" not in page and ">Send<" not in page and ">Enviar<" in page


def test_an_empty_message_and_an_unknown_member_answer_in_spanish(make_user, client_for):
    ana = speaking(make_user, "ana", "es")
    browser = client_for(ana)
    empty = browser.submit("/messages/new", {"to": "", "body": ""})
    assert empty.status_code == 422
    assert "Indica al menos a otro miembro." in page_of(empty) and "Escribe un mensaje." in page_of(empty)
    unknown = browser.submit("/messages/new", {"to": "nobody_here", "body": "Hola"})
    assert "Ningún miembro se llama nobody_here." in page_of(unknown)
    assert "No member is called" not in page_of(unknown)


def test_blocking_is_confirmed_in_arabic(make_user, client_for):
    layla, gary = speaking(make_user, "layla", "ar"), make_user("gary")
    browser = client_for(layla)
    ask = page_of(browser.get("/messages/block/gary"))
    assert "حظر Teacher 2؟" in ask and "Block Teacher 2?" not in ask
    done = browser.submit("/messages/block/gary", {"confirm": "yes"}, page="/messages/block/gary",
                          follow_redirects=True)
    assert "لقد حظرت Teacher 2: لم يعد بإمكانه مراسلتك." in page_of(done)
    blocked = page_of(browser.get("/messages/blocked"))
    assert "الأعضاء المحظورون" in blocked and "إلغاء الحظر" in blocked and "Unblock" not in blocked
    assert services.has_blocked(layla.id, gary.id)


def test_api_errors_follow_accept_language(make_user, api_for):
    api = api_for(make_user("ana"))
    unknown = api.post("/conversations", json={"to": ["nobody_here"], "body": "hola"},
                       headers={"Accept-Language": "es"})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["fields"]["to"] == "Ningún miembro se llama nobody_here."
    missing = api.get("/conversations/99999", headers={"Accept-Language": "ar"})
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "لا توجد محادثة كهذه."
    english = api.get("/conversations/99999")
    assert english.get_json()["error"]["message"] == "There is no such conversation."
