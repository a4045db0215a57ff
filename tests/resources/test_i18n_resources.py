"""The library in the reader's language: its pages, forms, flash messages,
service errors in the API, real plural forms and locale-formatted numbers.
(English stays as it was: the other library tests assert it.)"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from app.extensions import db
from app.i18n import COOKIE
from tests.resources.samples import exe_bytes, share_form

pytestmark = pytest.mark.one_database  # words in five languages, not SQL

STATIC = Path(__file__).resolve().parents[2] / "static"


def page(client, path: str, locale: str, status: int = 200) -> str:
    client.set_cookie(COOKIE, locale)
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_the_library_in_spanish_with_its_filters_cards_and_plurals(client, make_resource):
    make_resource(title="Fracciones con pizzas")
    make_resource(title="Mapa de volcanes", license="all-rights-reserved")
    html = page(client, "/library", "es")
    for text in ("<h1>Biblioteca de recursos</h1>", "2 recursos</h2>", "Todas las materias", "Todos los tipos",
                 ">Hoja de cálculo</option>", ">Todos los derechos reservados</option>", "Más recientes primero",
                 '<span class="kind kind-link">Enlace</span>', "0 veces en favoritos · 0 descargas",
                 ">Mostrar recursos</button>", "Inicia sesión</a> para compartir recursos"):
        assert text in html, text
    for english in ("Resource library", "All subjects", "2 resources", "bookmarks", "Show resources"):
        assert english not in html, english


def test_the_library_in_arabic_uses_the_dual_and_the_right_plural(client, make_resource):
    make_resource(title="Fractions")
    make_resource(title="Volcanoes")
    html = page(client, "/library", "ar")
    assert 'dir="rtl"' in html and "<h1>مكتبة الموارد</h1>" in html
    assert "موردان</h2>" in html  # two: the dual, no number
    assert "لا إشارات مرجعية · لا تنزيلات" in html  # zero
    assert "Resource library" not in html and "2 resources" not in html
    tagged = page(client, "/library?tag=starter", "ar")
    assert "موردان بالوسم #starter" in tagged


def test_counts_are_written_the_way_the_reader_writes_numbers(client, make_resource):
    resource = make_resource(title="Times tables")
    resource.bookmark_count = 12345
    db.session.commit()
    thousands = format_decimal(12345, locale="fr")
    assert f"{thousands} favoris" in page(client, "/library", "fr")
    assert f"<dt>Favoris</dt><dd>{thousands}</dd>" in page(client, f"/resources/{resource.id}", "fr")


def test_a_resource_page_and_its_flash_message_in_spanish(client, auth, make_resource):
    resource = make_resource(title="Ciclo del agua")
    auth.as_role()
    path = f"/resources/{resource.id}"
    html = page(client, path, "es")
    for text in ("Compartido por", "<h2 id=\"details-heading\">Detalles</h2>", "<dt>Licencia</dt>",
                 ">Guardar en favoritos</button>", ">Añadir a una colección</summary>", "Abrir el enlace"):
        assert text in html, text
    assert "Shared by" not in html and "Add to collection" not in html
    response = client.submit(f"{path}/bookmark", {}, page=path, follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert "Guardado en favoritos: lo encontrarás en Mis favoritos." in shown
    assert ">Quitar de favoritos</button>" in shown and "Bookmarked:" not in shown
    assert "1 vez en favoritos" in page(client, "/my/bookmarks", "es")


def test_share_form_errors_in_spanish_and_arabic(client, auth):
    auth.as_role()
    client.set_cookie(COOKIE, "es")
    response = client.submit("/resources/new", share_form(title="ab", subject="", url=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ponle al recurso un título de al menos 3 caracteres." in html
    assert "Elige una materia de la lista (u Otra)." in html
    assert '<label for="title">Título</label>' in html and "at least 3 characters" not in html

    client.set_cookie(COOKIE, "ar")
    response = client.submit("/resources/new", share_form(file=(exe_bytes(), "lesson-plan.pdf")))
    assert response.status_code == 415
    html = response.get_data(as_text=True)
    assert "ارفع ملف PDF أو Word" in html and "Upload PDF" not in html


def test_collections_pages_and_messages_in_arabic_and_spanish(client, auth):
    auth.as_role()
    html = page(client, "/collections", "ar")
    assert "<h1>مجموعات الموارد</h1>" in html and "مجموعة جديدة" in html and "New collection" not in html
    client.set_cookie(COOKIE, "es")
    response = client.submit("/collections", {"name": "Fracciones", "description": ""}, page="/collections",
                             follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "La colección «Fracciones» está lista. Añade recursos desde sus páginas." in html
    assert "Colección privada de" in html and "Aún no hay recursos aquí." in html
    collection_path = response.request.path
    response = client.submit(f"{collection_path}/editors", {"username": "nobody_here"}, page=collection_path)
    assert response.status_code == 422
    assert "No hay ningún miembro con ese nombre de usuario." in response.get_data(as_text=True)


def test_api_errors_are_translated_and_codes_stay(owner):
    headers = {"Accept-Language": "fr"}
    response = owner.get("/resources/999999", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert response.get_json()["error"]["message"] == "Cette ressource n’existe pas."
    response = owner.post("/resources", headers=headers, json={
        "title": "Les fractions", "subject": "mathematics", "license": "cc-by", "url": "ftp://example.org/x"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["url"] == "Les liens doivent commencer par http:// ou https://."
    response = owner.post("/resources", headers={"Accept-Language": "pt-BR"}, data={
        "title": "Frações", "subject": "mathematics", "license": "cc-by",
        "file": (io.BytesIO(exe_bytes()), "plano.pdf")})
    assert response.status_code == 415
    assert response.get_json()["error"]["message"].startswith("Esse tipo de arquivo não é aceito.")


def test_the_reordering_script_has_its_words_in_every_catalog():
    for locale in ("es", "fr", "pt_BR", "ar"):
        messages = json.loads((STATIC / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))["messages"]
        for msgid in ("Saving the order…", "Moved “%(title)s” to position %(position)s of %(count)s. Saved."):
            assert messages.get(msgid), (locale, msgid)


def test_a_files_size_is_written_in_the_readers_units(client, make_pdf_resource):
    small = make_pdf_resource()  # under 1,000 bytes: a plural of bytes
    assert small.file.size < 1000
    assert f"· {small.file.size} Bytes</p>" in page(client, f"/resources/{small.id}", "en")
    assert f"· {small.file.size} octets</p>" in page(client, f"/resources/{small.id}", "fr")
    large = make_pdf_resource(text="Photosynthesis " * 400)
    kilobytes = large.file.size / 1000
    assert f"· {kilobytes:.1f} kB</p>" in page(client, f"/resources/{large.id}", "en")
    assert f"· {format_decimal(kilobytes, format='#,##0.0', locale='fr')}\u202fko</p>" in page(
        client, f"/resources/{large.id}", "fr")


def test_a_licence_is_isolated_from_the_count_after_it(client, make_resource):
    """Bare, "CC BY 4.0 · 4 إشارات مرجعية" shows right to left as
    "4 · CC BY 4.0 إشارات مرجعية": the bidi algorithm runs the count into the
    licence's figures. In <bdi> the licence keeps to itself."""
    resource = make_resource(title="Volcanoes", license="cc-by")
    resource.bookmark_count = 4
    db.session.commit()
    assert '<p class="resource-stats muted"><bdi>CC BY 4.0</bdi> · 4 ' in page(client, "/library", "ar")
