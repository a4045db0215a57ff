"""Tests of the search engine package (app.search): a library over a folder."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest

from app.search import Document, Hit, SearchIndex, SearchQuery, SearchResults, engine

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def doc(i, title="", body="", *, type="resource", tags=(), subject=None, country=None,  # noqa: A002 (a field)
        access=("public",), extra="", days=0):
    return Document(
        key=f"{type}:{i}", type=type, id=i, title=title, body=body, tags=list(tags),
        subject=subject, country=country, url=f"/{type}s/{i}", access=list(access),
        created_at=T0 + timedelta(days=days), extra=extra,
    )


DOCS = [
    doc(1, "Teaching fractions", "A lesson plan on fractions and decimals for year 5.",
        tags=["Maths", "Year 5"], subject="Mathematics", country="GB", days=1),
    doc(2, "Photosynthesis lab", "Plants turn light into food. Photosynthesis in leaves.",
        tags=["Science"], subject="Science", country="FR", days=2),
    doc(3, "Breakout rooms", "Use breakout rooms for group work in Zoom.",
        tags=["Remote"], subject="Computing", days=3),
    doc(4, "Room planning", "Rooms for breakout sessions: planning the timetable.",
        subject="Computing", days=4),
    doc(5, "Café français", "Role play in a café: ordering drinks in French.",
        tags=["Languages"], subject="Languages", days=5),
    doc(6, "Teacher notes", "How I teach long division with worked examples.",
        type="thread", subject="Mathematics", days=6),
    doc(7, "Secret plans", "Private photosynthesis notes for the staff room.",
        access=["user:5"], subject="Science", tags=["Private"], days=7),
    doc(8, "Group resources", "Members only: photosynthesis quiz and fractions quiz.",
        access=["group:3", "members"], subject="Science", days=8),
    doc(9, "Evaluation rubric", "A rubric for assessing posters about plants.",
        subject="Science", extra="Ada Lovelace", days=9),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = SearchIndex(tmp_path_factory.mktemp("ix"))
    assert index.rebuild(DOCS) == len(DOCS)
    yield index
    index.close()


def ids(results: SearchResults) -> list[int]:
    return [h.id for h in results.hits]


def search(ix, text, **kw) -> SearchResults:
    return ix.search(SearchQuery(text=text, **kw))


# -- analysis -----------------------------------------------------------------


def test_stemming_teaching_finds_teach(ix):
    assert 6 in ids(search(ix, "teaching"))
    assert 1 in ids(search(ix, "teach"))


def test_accent_folding(ix):
    assert ids(search(ix, "cafe")) == [5]
    assert ids(search(ix, "café")) == [5]
    assert ids(search(ix, "FRANÇAIS")) == [5]


def test_phrase_exact_vs_words(ix):
    assert set(ids(search(ix, "breakout rooms"))) == {3, 4}
    assert ids(search(ix, '"breakout rooms"')) == [3]


def test_prefix(ix):
    assert set(ids(search(ix, "photo*"))) == {2}
    assert set(ids(search(ix, "fract*"))) == {1}


def test_and_not_or_parentheses(ix):
    assert ids(search(ix, "fractions AND decimals")) == [1]
    assert ids(search(ix, "breakout NOT zoom")) == [4]
    assert ids(search(ix, "breakout -zoom")) == [4]
    assert set(ids(search(ix, "(photosynthesis OR rubric) AND plants"))) == {2, 9}


def test_field_filters_in_text(ix):
    assert set(ids(search(ix, "subject:mathematics teach"))) == {1, 6}
    assert ids(search(ix, "SUBJECT:Science photosynthesis")) == [2]
    assert ids(search(ix, "type:thread teach")) == [6]
    assert ids(search(ix, "tag:maths fractions")) == [1]
    assert ids(search(ix, 'subject:"COMPUTING" rooms')) in ([3, 4], [4, 3])


def test_filters_in_query_object(ix):
    assert ids(search(ix, "teach", types=["thread"])) == [6]
    assert ids(search(ix, "photosynthesis", subject="science")) == [2]
    assert ids(search(ix, "fractions", tag="MATHS")) == [1]
    assert ids(search(ix, "photosynthesis", country="fr")) == [2]
    assert ids(search(ix, "photosynthesis", country="GB")) == []


def test_scores_descend(ix):
    r = search(ix, "rooms planning photosynthesis")
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True) and r.hits[0].id == 4


def test_title_weight_beats_body(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([
        doc(1, "General notes", "Some words about volcanoes and other things here."),
        doc(2, "Volcanoes", "Some words about other things here and there."),
    ])
    assert ids(ix.search(SearchQuery(text="volcanoes"))) == [2, 1]


def test_extra_is_searchable(ix):
    assert ids(search(ix, "lovelace")) == [9]


# -- did you mean ---------------------------------------------------------------


def test_suggestion_for_misspelt_word(ix):
    r = search(ix, "photosythesis lesson")
    assert r.suggestion == "photosynthesis lesson"
    assert search(ix, "photosynthesis lesson").suggestion is None


def test_suggestion_keeps_case_and_ignores_phrases(ix):
    assert search(ix, "Photosythesis").suggestion == "Photosynthesis"
    assert search(ix, '"photosythesis"').suggestion is None


def test_suggestion_never_uses_private_words(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([doc(1, "Zanzibar", "zanzibar archipelago", access=["user:9"]),
                doc(2, "Maths", "algebra")])
    assert ix.search(SearchQuery(text="zanzibr")).suggestion is None
    assert ix.search(SearchQuery(text="zanzibr", principals={"user:9"})).suggestion == "zanzibar"


# -- facets, access ---------------------------------------------------------------


def test_facets_count_all_matches_not_just_the_page(tmp_path):
    ix = SearchIndex(tmp_path)
    docs = [doc(i, f"Quiz {i}", "quiz about fractions", subject="Maths" if i % 3 else "Science",
                tags=["quiz", "maths"] if i % 2 else ["quiz"], type="resource" if i < 20 else "thread")
            for i in range(1, 26)]
    ix.rebuild(docs)
    r = ix.search(SearchQuery(text="quiz", per_page=5))
    assert r.total == 25 and len(r.hits) == 5
    assert r.facets["type"] == {"resource": 19, "thread": 6}
    assert r.facets["subject"] == {"Maths": 17, "Science": 8}
    assert r.facets["tag"] == {"quiz": 25, "maths": 13}


def test_private_docs_never_appear_or_count(ix):
    r = search(ix, "photosynthesis")
    assert set(ids(r)) == {2}
    assert r.total == 1
    assert r.facets["subject"] == {"Science": 1}
    assert "Private" not in r.facets["tag"]
    r = search(ix, "photosynthesis", principals={"public", "user:5"})
    assert set(ids(r)) == {2, 7} and r.total == 2
    r = search(ix, "photosynthesis", principals={"members"})
    assert ids(r) == [8]
    assert search(ix, "photosynthesis", principals=set()).total == 0


def test_access_in_query_text_cannot_bypass(ix):
    for text in ("access:user:5 photosynthesis", "access:public OR access:user:5 secret",
                 "secret access:*", "key:resource:7", "content:secret"):
        r = search(ix, text)
        assert 7 not in ids(r), text
        assert r.total <= 1


# -- writing ------------------------------------------------------------------------


def test_deletes_remove_and_update_replaces(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild(DOCS)
    assert ix.has("resource:1")
    ix.apply([], deletes=["resource:1"])
    assert not ix.has("resource:1")
    assert search(ix, "fractions decimals").total == 0
    ix.apply([doc(2, "Updated title", "Now about volcanoes.", subject="Geography")])
    assert search(ix, "photosynthesis").total == 0
    r = search(ix, "volcanoes")
    assert ids(r) == [2] and r.hits[0].title == "Updated title"
    assert r.facets["subject"] == {"Geography": 1}
    assert ix.doc_count() == len(DOCS) - 1
    assert ix.keys_by_type() == {"resource": 7, "thread": 1}


def test_rebuild_gives_same_results(tmp_path):
    a = SearchIndex(tmp_path / "a")
    a.rebuild(DOCS)
    b = SearchIndex(tmp_path / "b")
    for d in DOCS:  # built by updates instead
        b.apply([d])
    for text in ("photosynthesis", "rooms", "teach", '"breakout rooms"', "quiz OR rubric"):
        ra, rb = search(a, text), search(b, text)
        assert ids(ra) == ids(rb) and ra.total == rb.total and ra.facets == rb.facets
    a.rebuild(DOCS)  # rebuilding again replaces, never duplicates
    assert a.doc_count() == len(DOCS)
    assert search(a, "photosynthesis").total == 1


def test_missing_folder_is_created_and_flags_rebuild(tmp_path):
    ix = SearchIndex(tmp_path / "new" / "folder")
    assert ix.needs_rebuild
    assert ix.doc_count() == 0
    ix.rebuild(DOCS)
    assert not ix.needs_rebuild
    ix.close()
    again = SearchIndex(tmp_path / "new" / "folder")
    assert not again.needs_rebuild and again.doc_count() == len(DOCS)


def test_corrupt_index_is_recreated(tmp_path, caplog):
    ix = SearchIndex(tmp_path)
    ix.rebuild(DOCS)
    ix.close()
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert files
    for p in files:
        p.write_bytes(b"\x00garbage\xff" * 50)
    (tmp_path / ".gitkeep").write_text("")
    with caplog.at_level(logging.WARNING):
        broken = SearchIndex(tmp_path)
    assert broken.needs_rebuild
    assert broken.doc_count() == 0
    assert search(broken, "photosynthesis").total == 0
    assert any("search index" in r.message for r in caplog.records)
    assert (tmp_path / ".gitkeep").exists()  # only index files are removed
    broken.rebuild(DOCS)
    assert search(broken, "photosynthesis").total == 1


def test_an_index_unreadable_for_a_moment_is_opened_not_replaced(tmp_path, monkeypatch):
    # Another process's commit can swap segment files under a reader.
    ix = SearchIndex(tmp_path)
    ix.rebuild(DOCS)
    ix.close()
    check, calls = SearchIndex._check, []  # noqa: SLF001 (the index under test)

    def flaky(index):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("segment replaced while reading")
        check(index)

    monkeypatch.setattr(SearchIndex, "_check", staticmethod(flaky))
    monkeypatch.setattr("app.search.engine.OPEN_RETRY_SECONDS", 0)
    reopened = SearchIndex(tmp_path)
    assert len(calls) == 2
    assert not reopened.needs_rebuild
    assert reopened.doc_count() == len(DOCS)


# -- results ---------------------------------------------------------------------------


def test_snippet_escapes_html_and_marks_terms(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([doc(1, "XSS <b>test</b>", "Before <script>alert('x')</script> the volcano erupts & more.")])
    r = ix.search(SearchQuery(text="volcano"))
    hit = r.hits[0]
    assert isinstance(hit, Hit)
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>volcano</mark>" in hit.snippet
    assert "&amp;" in hit.snippet
    assert hit.title_html == "XSS &lt;b&gt;test&lt;/b&gt;"
    r = ix.search(SearchQuery(text="test"))
    assert r.hits[0].title_html == "XSS &lt;b&gt;<mark>test</mark>&lt;/b&gt;"
    assert "<mark>" not in r.hits[0].snippet  # no match in the body: its start
    assert r.hits[0].snippet.startswith("Before &lt;script&gt;")


def test_hit_fields(ix):
    h = search(ix, "photosynthesis").hits[0]
    assert (h.type, h.id, h.url) == ("resource", 2, "/resources/2")
    assert h.title == "Photosynthesis lab"
    assert "<mark>Photosynthesis</mark>" in h.title_html
    assert h.created_at == T0 + timedelta(days=2)
    assert h.score > 0


def test_empty_query_gives_message(ix):
    for text in ("", "   "):
        r = search(ix, text)
        assert r.total == 0 and r.hits == [] and r.message


@pytest.mark.parametrize("text", ['"unclosed', "AND OR (", "*", "((((", "NOT", ")", "a^3",
                                  "title:", ":::", "-", "+", '""', "x" * 2000, "\ue000",
                                  "NOT photosynthesis", "teach* AND (", "[a TO z]"])
def test_weird_syntax_does_not_raise(ix, text):
    r = search(ix, text)
    assert isinstance(r, SearchResults)
    assert r.total == 0 or r.hits


def test_unclosed_quote_searches_words(ix):
    assert 2 in ids(search(ix, '"photosynthesis lab'))


def test_pagination_and_newest(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([doc(i, f"Quiz {i}", "quiz " * (i % 5 + 1), days=i) for i in range(1, 31)])
    pages = [ids(ix.search(SearchQuery(text="quiz", page=p, per_page=7))) for p in (1, 2, 3, 4, 5)]
    flat = [i for p in pages for i in p]
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    assert sorted(flat) == list(range(1, 31))
    r = ix.search(SearchQuery(text="quiz", sort="newest", per_page=3))
    assert ids(r) == [30, 29, 28] and r.total == 30
    assert ix.search(SearchQuery(text="quiz", page=99)).hits == []


def test_long_query_works(ix):
    r = search(ix, "how can I use breakout rooms to support group work in a mixed ability "
                   "maths class with fractions and photosynthesis quizzes")
    assert r.total >= 3 and r.hits


def test_concurrent_searches_and_writes(tmp_path):

    ix = SearchIndex(tmp_path)
    ix.rebuild(DOCS)
    errors = []

    def reader():
        try:
            for _ in range(30):
                assert search(ix, "photosynthesis").total >= 1
        except Exception as e:  # noqa: BLE001 (pragma: no cover)
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(5):
        ix.apply([doc(100 + i, "Extra", "photosynthesis extra")])
    for t in threads:
        t.join()
    assert not errors
    assert search(ix, "photosynthesis").total == 6


def test_three_word_phrase_and_prefix_with_accent(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([
        doc(1, "Notebook", "Set up the OneNote class notebook before term."),
        doc(2, "Classes", "A class notebook for OneNote users and a OneNote class."),
        doc(3, "Cafés", "Les cafés de Paris."),
    ])
    assert ids(ix.search(SearchQuery(text='"OneNote class notebook"'))) == [1]
    assert set(ids(ix.search(SearchQuery(text="onenote class notebook")))) == {1, 2}
    assert ids(ix.search(SearchQuery(text="CAFÉ*"))) == [3]


def test_empty_index(tmp_path):
    ix = SearchIndex(tmp_path)
    assert ix.doc_count() == 0 and ix.keys_by_type() == {} and not ix.has("resource:1")
    r = ix.search(SearchQuery(text="anything"))
    assert r.total == 0 and r.hits == [] and r.suggestion is None


def test_suggestion_from_one_edit_of_the_typed_word(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild([doc(i, "Probability", "probability and statistics lessons") for i in range(1, 4)])
    # the stems differ ("probabilti" vs "probabl"): found through word edits
    assert ix.search(SearchQuery(text="probabilty lessons")).suggestion == "probability lessons"


def test_apply_times_out_when_another_writer_holds_the_index(tmp_path):
    ix = SearchIndex(tmp_path)
    ix.rebuild(DOCS[:2])
    other = ix._ix.writer()  # e.g. another process  # noqa: SLF001 (the index under test)
    try:
        with pytest.raises(Exception) as err:
            ix.apply([doc(50, "New", "words")], timeout=0.2)
        assert type(err.value).__name__ == "LockError"
    finally:
        other.cancel()
    ix.apply([doc(50, "New", "words")], timeout=1)
    assert ix.has("resource:50")


def test_pasted_paragraph_is_limited_and_works(ix):
    text = "photosynthesis rubric plants " + " ".join(f"word{i}" for i in range(200))
    r = search(ix, text)
    assert set(ids(r)) >= {2, 9}


def test_index_from_another_schema_version_is_replaced(tmp_path, monkeypatch):

    SearchIndex(tmp_path).rebuild(DOCS[:3])
    monkeypatch.setattr(engine, "VERSION_FIELD", "schema_v999")  # as after an upgrade
    ix = SearchIndex(tmp_path)
    assert ix.needs_rebuild and ix.doc_count() == 0
