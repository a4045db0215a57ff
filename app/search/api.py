"""GET /api/v1/search: the same search as the page, as JSON."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from app.api_support import MAX_PER_PAGE, Page, exempt_from_form_csrf
from app.i18n import N_, translate
from app.search import service
from app.search.locale import INTERFACE_LANGUAGES, searcher_language
from app.vocabulary import FILE_KINDS, SUBJECTS, is_language

blp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="Full-text search")
exempt_from_form_csrf(blp)
_v = ma.validate


def _language_code(value: str) -> None:
    if not is_language(value):
        raise ma.ValidationError(N_("Use an ISO 639-1 language code such as en, es or fr."))


class SearchArgs(ma.Schema):
    q = ma.fields.String(load_default="", validate=_v.Length(max=500),
                         metadata={"description": 'words, "phrases", prefix*, AND/OR/NOT, subject:, tag:, type:'})
    type = ma.fields.String(
        validate=_v.OneOf(["resource", "thread", "post", "event", "user", "group", "announcement", *FILE_KINDS]),
        metadata={"description": "a kind of document, or a resource's file type: "
                                 + ", ".join(f"{kind} ({label})" for kind, label in FILE_KINDS.items())})
    subject = ma.fields.String(validate=_v.OneOf(list(SUBJECTS)))
    tag = ma.fields.String(validate=_v.Length(max=40))
    country = ma.fields.String(validate=_v.Length(equal=2))
    language = ma.fields.String(validate=_language_code,
                                metadata={"description": "only resources in this language (ISO 639-1 code, e.g. es)"})
    lang = ma.fields.String(validate=_v.OneOf(INTERFACE_LANGUAGES), metadata={
        "description": "the searcher's language: the words are analysed for it as well as for English "
                       "(default: the interface language, else Accept-Language, else en)"})
    sort = ma.fields.String(load_default="relevance", validate=_v.OneOf(["relevance", "newest"]))
    page = Page()
    per_page = ma.fields.Integer(load_default=20, validate=_v.Range(min=1, max=MAX_PER_PAGE))


class SearchResultSchema(ma.Schema):
    type = ma.fields.String()
    id = ma.fields.Integer()
    title = ma.fields.String()
    url = ma.fields.String()
    snippet = ma.fields.String(metadata={"description": "HTML: text escaped, matches in <mark>"})
    score = ma.fields.Float()
    file_type = ma.fields.String(allow_none=True, metadata={
        "enum": list(FILE_KINDS), "description": "resources: what the file is (link for a link); else null"})
    author = ma.fields.String(allow_none=True, metadata={"description": "resources: who shared it"})
    thumbnail_url = ma.fields.String(allow_none=True, metadata={
        "description": "resources: the preview's address (a PNG), null while it has none"})
    language = ma.fields.String(allow_none=True, metadata={
        "description": "resources: the ISO 639-1 code of the language it is in; null when not known"})


class SearchResponseSchema(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    results = ma.fields.List(ma.fields.Nested(SearchResultSchema), attribute="hits")
    facets = ma.fields.Dict(keys=ma.fields.String(),
                            values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer()),
                            metadata={"description": "type, file_type, subject, language and tag: "
                                                     "value -> matching results"})
    suggestion = ma.fields.String(allow_none=True)
    message = ma.fields.String(allow_none=True)


@blp.get("/search")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchResponseSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")  # read-only here, index not built yet
def search(args):
    """Search everything the caller may open; ranked, with snippets, facets and a suggestion."""
    found = service.search(
        args["q"], current_user, **service.type_filter(args.get("type")),
        subject=args.get("subject"), tag=args.get("tag"), country=args.get("country"),
        language=args.get("language"), query_language=searcher_language(args.get("lang")),
        page=args["page"], per_page=args["per_page"], sort=args["sort"],
    )
    found.message = translate(found.message) if found.message else found.message  # in the caller's language
    return found
