"""The search page behind the header's search box."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import translate
from app.params import parse_page
from app.search import service
from app.search.locale import INTERFACE_LANGUAGES, searcher_language
from app.search.registry import TYPES
from app.vocabulary import FILE_KINDS, SUBJECTS, is_language, language_name

bp = Blueprint("search", __name__)
PER_PAGE = 20
MAX_QUERY = 500


@bp.get("/search")
def results():
    args = request.args
    text = (args.get("q") or "").strip()[:MAX_QUERY]
    kind = args.get("type") or None
    ignored = None
    if kind and kind not in TYPES and kind not in FILE_KINDS:
        ignored = _("There is no type “%(type)s” to filter by, so results of every type are shown.", type=kind[:40])
        kind = None
    filters = {
        "type": kind,
        "subject": args.get("subject") if args.get("subject") in SUBJECTS else None,
        "tag": (args.get("tag") or "").strip()[:40] or None,
        "country": (args.get("country") or "").strip().upper()[:2] or None,
        "language": args.get("language") if is_language(args.get("language")) else None,
    }
    lang = args.get("lang") if args.get("lang") in INTERFACE_LANGUAGES else None
    page = parse_page(args.get("page"))
    sort = "newest" if args.get("sort") == "newest" else "relevance"
    found = None
    if text or any(filters.values()):
        found = service.search(
            text, current_user, **service.type_filter(filters["type"]),
            subject=filters["subject"], tag=filters["tag"], country=filters["country"],
            language=filters["language"], query_language=searcher_language(lang),
            page=page, per_page=PER_PAGE, sort=sort,
        )

    def link(**changes):
        params = {"q": text, "sort": sort if sort != "relevance" else None, **filters, "lang": lang, "page": None}
        params.update(changes)
        return url_for("search.results", **{k: v for k, v in params.items() if v})

    pages = max(1, -(-found.total // PER_PAGE)) if found else 1
    return render_template(
        "search/results.html",
        q=text,
        found=found,
        filters=filters,
        ignored=ignored,
        sort=sort,
        page=page,
        pages=pages,
        link=link,
        page_link=lambda n: link(page=n if n > 1 else None),
        type_labels={name: translate(t.label) for name, t in TYPES.items()},
        file_kinds=FILE_KINDS,
        language_name=language_name,
        lang=lang,
    )
