"""The forum and search in other languages: pages, plurals, form errors,
flash messages, API errors and the forum scripts' catalog (Spanish and
Arabic, through the `locale` cookie or the API's Accept-Language)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.extensions import db
from app.forum import moderation, services
from app.forum.models import AuditEntry
from app.i18n import COOKIE
from app.people import mydata

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

STATIC_I18N = Path(__file__).resolve().parents[2] / "static" / "i18n"


def page(client, path: str, locale: str) -> str:
    client.set_cookie(COOKIE, locale)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "heading", "ask", "counts"), [
    ("es", "Debates y preguntas", "Inicia sesión para preguntar", "1 hilo · 2 publicaciones"),
    ("ar", "النقاشات والأسئلة والأجوبة", "سجّل الدخول لطرح سؤال", "موضوع واحد · مشاركتان"),
])
def test_forum_index_in_spanish_and_arabic(client, make_thread, add_replies, locale, heading, ask, counts):
    add_replies(make_thread(), 1)
    text = page(client, "/discuss", locale)
    assert heading in text and ask in text and counts in text
    for english in ("Discussions and Q&amp;A", "Sign in to ask a question", "All discussions", "1 thread"):
        assert english not in text


def test_thread_page_plurals_badges_and_reply_box(client, auth, make_thread, add_replies):
    thread = make_thread(title="Breakout rooms for groups of four")
    add_replies(thread, 2)
    url = f"/t/{thread.id}-{thread.slug}"
    spanish = page(client, url, "es")
    assert "2 respuestas" in spanish and "Pregunta de" in spanish and "para responder." in spanish
    assert "2 replies" not in spanish and "started by" not in spanish
    arabic = page(client, url, "ar")
    assert "ردّان" in arabic and "سؤال طرحه" in arabic  # the dual: two replies
    auth.as_role()
    member = page(client, url, "ar")
    assert "انشر إجابتك" in member and "Post your answer" not in member


def test_new_thread_form_errors_in_spanish(client, auth, category):
    auth.as_role()
    client.set_cookie(COOKIE, "es")
    response = client.submit("/discuss/new", {"category": "", "kind": "question", "title": "Short", "body": "x"})
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "Elige una categoría." in text and "Choose a category." not in text
    response = client.submit("/discuss/new", {"category": category().slug, "kind": "question",
                                              "title": "Short", "body": "Enough words here."})
    text = response.get_data(as_text=True)
    assert "Ponle un título de al menos 8 caracteres" in text and "Give it a title" not in text


def test_flash_message_in_spanish(client, auth, make_thread):
    auth.as_role()
    thread = make_thread()
    client.set_cookie(COOKIE, "es")
    response = client.submit(f"/t/{thread.id}/subscription", {"level": "watching"},
                             page=f"/t/{thread.id}-{thread.slug}", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Sigues este hilo: te avisaremos de cada respuesta." in text
    assert "You are following this thread" not in text


def test_api_errors_in_the_callers_language(api_for, make_user, make_thread):
    client = api_for(make_user())
    spanish = client.post("/threads", json={"category_id": 999, "title": "A fine title here", "body": "text"},
                          headers={"Accept-Language": "es"})
    assert spanish.status_code == 422
    assert spanish.get_json()["error"]["fields"] == {"category_id": "Esa categoría no existe."}
    thread = make_thread()
    own = client.post(f"/threads/{thread.id}/posts", json={"body": "x"}, headers={"Accept-Language": "ar"})
    assert own.status_code == 422 and own.get_json()["error"]["fields"]["body"] == "اكتب شيئًا أولًا."
    short = client.post("/threads", json={"category_id": thread.category_id, "title": "Short", "body": "text"},
                        headers={"Accept-Language": "fr"})
    assert short.get_json()["error"]["fields"]["title"] == (
        "Donnez-lui un titre d’au moins 8 caractères qui dit de quoi il s’agit.")


def test_moderation_pages_and_messages_in_arabic(client, auth, make_thread, make_user):
    auth.as_role("moderator")
    thread = make_thread()
    post = services.reply(thread, make_user(), "I have a view on this.", enforce_limits=False)
    text = page(client, "/discuss/mod", "ar")
    assert "قائمة انتظار الإشراف" in text and "بانتظار الموافقة (0)" in text and "Moderation queue" not in text
    missing_reason = client.submit(f"/p/{post.id}/moderate/hide", {"reason": ""}, page=f"/p/{post.id}/moderate",
                                   follow_redirects=True).get_data(as_text=True)
    assert "اذكر السبب في كلمات قليلة" in missing_reason and "Say why" not in missing_reason
    hidden = client.submit(f"/p/{post.id}/moderate/hide", {"reason": "Off topic"}, page=f"/p/{post.id}/moderate",
                           follow_redirects=True).get_data(as_text=True)
    assert "أُخفيت المشاركة عن الأعضاء." in hidden and "Post hidden from members." not in hidden


def test_search_page_messages_and_results(client, make_thread, index_now):
    empty = page(client, "/search", "ar")
    assert "عمّ تبحث؟" in empty and "What are you looking for?" not in empty
    unknown = page(client, "/search?q=rooms&type=poster", "es")
    assert "No existe el tipo «poster» para filtrar" in unknown and "There is no type" not in unknown
    make_thread(title="Breakout rooms for groups of four")
    index_now()
    found = page(client, "/search?q=breakout", "es")
    assert "1 resultado." in found and "Ordenar por más recientes" in found and "1 result." not in found
    nothing = page(client, "/search?q=zzyzx", "fr")
    assert "Aucun résultat." in nothing


def test_search_api_message_in_the_callers_language(client):
    response = client.get("/api/v1/search?q=-only", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert response.get_json()["message"] == "Añade una palabra que buscar, no solo palabras que excluir."


@pytest.mark.parametrize("locale", ["es", "fr", "pt_BR", "ar"])
def test_forum_scripts_have_their_words_in_each_catalog(locale):
    messages = json.loads((STATIC_I18N / f"{locale}.json").read_text("utf-8"))["messages"]
    for msgid in ("%(num)s new reply — show", "%(num)s new thread — show", "%(num)s similar question below the title.",
                  "No members match.", "Loading the preview…", "Uploading image %(num)s…"):
        assert messages.get(msgid), (locale, msgid)
    assert len(messages["%(num)s new reply — show"]) == (6 if locale == "ar" else 3)


def test_every_forum_page_of_an_admin_in_arabic(client, auth, make_thread, add_replies):
    admin = auth.as_role("admin")
    thread = make_thread(author=admin)
    first, reply = services.first_post(thread), add_replies(thread, 1)[0]
    pages = {
        "/discuss/new": "اطرح سؤالًا أو ابدأ نقاشًا",
        f"/discuss/c/{thread.category.slug}": "ابدأ نقاشًا",
        f"/t/{thread.id}/reply": "أجب عن «",
        f"/t/{thread.id}/edit": "تعديل العنوان والوسوم",
        f"/p/{first.id}/edit": f"تعديل المشاركة رقم {first.number}",
        f"/p/{first.id}/history": "لم تُعدَّل هذه المشاركة.",
        f"/p/{first.id}/delete": "هذه هي المشاركة الافتتاحية: حذفها يحذف الموضوع كله مع ردّه الوحيد.",
        f"/p/{reply.id}/report": "أرسل إلى المشرفين",
        f"/p/{reply.id}/moderate": "الإشراف على المشاركة رقم 2",
        f"/t/{thread.id}/moderate": "أقفل: لا ردود جديدة",
        f"/t/{thread.id}/move": "نقل الموضوع",
        f"/t/{thread.id}/split": "افصلها في موضوع جديد",
        "/discuss/mod/log": "سجلّ الإشراف",
        "/discuss/admin/categories": "الفئات بترتيبها",
        "/discuss/admin/categories/new": "احفظ الفئة",
        f"/u/{admin.username}": "الإجابات",
    }
    for path, arabic in pages.items():
        text = page(client, path, "ar")
        assert arabic in text, path
        for english in ("Cancel</a>", "Goes in the moderation log.", "Breadcrumb", "Reason</label>"):
            assert english not in text, (path, english)


def test_the_moderation_log_speaks_the_readers_language_and_keeps_old_entries(
        client, auth, make_thread, add_replies, make_user):
    thread = make_thread(title="Tarea de fracciones")
    post = add_replies(thread, 1)[0]
    moderation.hide_post(post, make_user(role="moderator"), "Spam")
    moderation.set_locked(thread, make_user(role="moderator"), True)
    db.session.add(AuditEntry(action="post.hide", target_type="post", target_id=post.id,
                              summary="Hid post #9 in “Written before”", reason="Old"))
    db.session.commit()
    auth.as_role("moderator")
    spanish = page(client, "/discuss/mod/log", "es")
    assert "Publicación n.º 2 de «Tarea de fracciones» ocultada" in spanish
    assert "Hilo «Tarea de fracciones» bloqueado" in spanish
    assert "Hid post #9 in “Written before”" in spanish  # stored before summaries had keys
    assert "Hid post #2" not in spanish
    english = page(client, "/discuss/mod/log", "en")
    assert "Hid post #2 in “Tarea de fracciones”" in english and "Locked “Tarea de fracciones”" in english


def test_a_deleted_members_posts_show_the_name_in_the_readers_language(client, make_thread, make_user):
    leaving = make_user()
    thread = make_thread(author=leaving, title="Rúbricas para proyectos")
    mydata.delete_account(leaving, leaving.username)
    url = f"/t/{thread.id}-{thread.slug}"
    assert "Miembro eliminado" in page(client, url, "es")
    assert "Deleted member" not in page(client, url, "es")
    assert "عضو محذوف" in page(client, url, "ar")
    assert "Deleted member" in page(client, url, "en")


def test_status_badges_agree_with_a_post_or_a_thread(make_thread, add_replies, make_user, client_for):
    thread = make_thread(title="Hilo oculto")
    post = add_replies(thread, 1)[0]
    moderator = make_user(role="moderator")
    moderation.hide_post(post, moderator, "Spam")
    browser = client_for(moderator)
    shown = page(browser, f"/t/{thread.id}-{thread.slug}", "es")
    assert '<span class="badge status-hidden">Oculta</span>' in shown  # la publicación
    moderation.hide_thread(thread, moderator, "Off topic")
    hidden = page(browser, f"/t/{thread.id}-{thread.slug}", "es")
    assert '<span class="badge status-hidden">Oculto</span>' in hidden  # el hilo
