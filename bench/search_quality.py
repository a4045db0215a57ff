"""Search quality on the CISI test collection, through the product's search.

    .venv/bin/python bench/search_quality.py [--data bench/data/cisi]

Goes through the product end to end: a fresh app on a temporary SQLite
database, CISI titles + abstracts written as JSON Lines and loaded with the
same importer as `flask resources import` (each becomes a link resource whose
description is the abstract), the search index built by the product's
reindex, and the 76 judged queries run through the search service that the
search page and API use (per_page=50). Prints MAP@50 (each query's AP divided
by min(relevant, 50)), MRR, P@5 and nDCG@10 next to the reference rankers and
writes bench/results/search_quality.json.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _cisi  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.resources import importer  # noqa: E402
from app.resources.models import Resource  # noqa: E402
from app.search import service as search_service  # noqa: E402

TARGET_MAP = 0.20
REFERENCE = {
    "Whoosh 2.7.5 BM25F as it comes": {"map50": 0.117, "mrr": 0.545, "p5": 0.321, "ndcg10": 0.300},
    "SQLite FTS5 bm25()": {"map50": 0.168, "mrr": 0.621, "p5": 0.397, "ndcg10": 0.381},
}


def import_collection(docs: list[_cisi.CisiDoc], folder: Path) -> dict[int, int]:
    """Load CISI through the product's importer; returns resource id -> CISI id."""
    owner = accounts.register(email_verified=True, username="cisi_librarian", email="cisi@staffroom.example",
                              password="a-long-bench-password", display_name="CISI librarian",
                              country="GB")
    lines = [json.dumps({
        "external_id": f"cisi-{d.id}", "title": d.title[:200] or f"CISI {d.id}",
        "description": d.abstract, "subject": "other", "license": "all-rights-reserved",
        "url": f"https://cisi.example/doc/{d.id}",
    }) for d in docs]
    report = importer.import_lines(lines, files_dir=None, default_owner=owner)
    if report.errors:
        raise SystemExit(f"import failed: {report.errors[:3]}")
    rows = db.session.execute(select(Resource.id, Resource.external_id)).all()
    return {resource_id: int(external.split("-", 1)[1]) for resource_id, external in rows}


def run_query(text: str, to_cisi: dict[int, int], k: int = 50) -> list[int]:
    """Ranked CISI ids for one query, through the product's search service."""
    results = search_service.search(text, None, types=["resource"], per_page=k)
    return [to_cisi[hit.id] for hit in results.hits]


def metrics(ranked: list[int], relevant: set[int]) -> dict[str, float]:
    hits = 0
    ap = 0.0
    rr = 0.0
    for i, d in enumerate(ranked[:50], 1):
        if d in relevant:
            hits += 1
            ap += hits / i
            if not rr:
                rr = 1.0 / i
    dcg = sum(1 / math.log2(i + 1) for i, d in enumerate(ranked[:10], 1) if d in relevant)
    idcg = sum(1 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
    return {
        "map50": ap / min(len(relevant), 50),
        "mrr": rr,
        "p5": sum(1 for d in ranked[:5] if d in relevant) / 5,
        "ndcg10": dcg / idcg if idcg else 0.0,
    }


def evaluate(to_cisi: dict[int, int], queries, qrels) -> tuple[dict, list[dict]]:
    per_query = []
    times = []
    for q in queries:
        if q.id not in qrels:
            continue
        t0 = time.perf_counter()
        ranked = run_query(q.text, to_cisi)
        times.append((time.perf_counter() - t0) * 1000)
        m = metrics(ranked, qrels[q.id])
        per_query.append({"query": q.id, **{k: round(v, 4) for k, v in m.items()}})
    n = len(per_query)
    mean = {k: sum(r[k] for r in per_query) / n for k in ("map50", "mrr", "p5", "ndcg10")}
    mean["queries"] = n
    mean["query_ms_mean"] = sum(times) / n
    return mean, per_query


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="bench/data/cisi",
                    help="CISI folder; relative paths are from the repository root")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not data.is_absolute():
        data = (ROOT / data).resolve()

    docs = _cisi.load_docs(data)
    queries = _cisi.load_queries(data)
    qrels = _cisi.load_qrels(data)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'cisi.db'}", "INSTANCE_PATH": folder / "instance",
            "UPLOAD_DIR": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench", "SEARCH_WORKER": "off", "PASSWORD_HASH_PROFILE": "CHEAPEST",
        })
        with app.app_context():
            db.create_all()
            t0 = time.perf_counter()
            to_cisi = import_collection(docs, folder)
            import_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            n = search_service.reindex()
            build_s = time.perf_counter() - t0
            mean, per_query = evaluate(to_cisi, queries, qrels)
            search_service.index().close()
            db.engine.dispose()

    print(f"imported {len(to_cisi)} resources in {import_s:.1f} s")
    print(f"CISI: {n} documents, {mean['queries']} judged queries "
          f"(indexed in {build_s:.1f} s, {mean['query_ms_mean']:.1f} ms/query)")
    print(f"{'ranker':<36}{'MAP@50':>8}{'MRR':>8}{'P@5':>8}{'nDCG@10':>9}")
    for name, r in REFERENCE.items():
        print(f"{name:<36}{r['map50']:>8.3f}{r['mrr']:>8.3f}{r['p5']:>8.3f}{r['ndcg10']:>9.3f}")
    print(f"{'Staffroom (import + search service)':<36}{mean['map50']:>8.3f}{mean['mrr']:>8.3f}"
          f"{mean['p5']:>8.3f}{mean['ndcg10']:>9.3f}")
    print(f"target MAP@50 >= {TARGET_MAP}: {'met' if mean['map50'] >= TARGET_MAP else 'NOT met'}")

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "search_quality.json").write_text(json.dumps({
        "documents": n, "build_s": round(build_s, 2),
        "metrics": {k: round(v, 4) for k, v in mean.items()},
        "reference": REFERENCE, "target_map50": TARGET_MAP, "per_query": per_query,
    }, indent=2))
    print(f"wrote {out / 'search_quality.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
