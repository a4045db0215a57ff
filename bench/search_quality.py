"""Search quality on the CISI test collection, through the product's search.

    .venv/bin/python bench/search_quality.py [--data ../shared/data/cisi]

Indexes CISI titles + abstracts (authors as ``extra``) as "resource"
Documents with SearchIndex.rebuild in a temporary folder, runs the 76 judged
queries through SearchIndex.search (per_page=50) and prints MAP@50 (each
query's AP divided by min(relevant, 50)), MRR, P@5 and nDCG@10 next to the
reference rankers. Writes bench/results/search_quality.json.

The steps are small functions so the indexing path can later go through the
product's resource import instead of ``index_documents``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _cisi  # noqa: E402

from app.search import Document, SearchIndex, SearchQuery  # noqa: E402

TARGET_MAP = 0.20
REFERENCE = {
    "Whoosh 2.7.5 BM25F as it comes": {"map50": 0.117, "mrr": 0.545, "p5": 0.321, "ndcg10": 0.300},
    "SQLite FTS5 bm25()": {"map50": 0.168, "mrr": 0.621, "p5": 0.397, "ndcg10": 0.381},
}
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def to_documents(docs: list[_cisi.CisiDoc]) -> list[Document]:
    """CISI records as product Documents (resources)."""
    return [
        Document(
            key=f"resource:{d.id}", type="resource", id=d.id, title=d.title,
            body=d.abstract, tags=[], subject=None, country=None,
            url=f"/resources/{d.id}", access=["public"], created_at=EPOCH,
            extra=" ".join(d.authors),
        )
        for d in docs
    ]


def index_documents(ix: SearchIndex, docs: list[_cisi.CisiDoc]) -> int:
    """Indexing step (swap for the product's resource import later)."""
    return ix.rebuild(to_documents(docs))


def run_query(ix: SearchIndex, text: str, k: int = 50) -> list[int]:
    """Ranked resource ids for one query."""
    res = ix.search(SearchQuery(text=text, types=["resource"], per_page=k))
    return [h.id for h in res.hits]


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


def evaluate(ix: SearchIndex, queries, qrels) -> tuple[dict, list[dict]]:
    per_query = []
    times = []
    for q in queries:
        if q.id not in qrels:
            continue
        t0 = time.perf_counter()
        ranked = run_query(ix, q.text)
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
    ap.add_argument("--data", default="../shared/data/cisi",
                    help="CISI folder; relative paths are from the repository root")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not data.is_absolute():
        data = (ROOT / data).resolve()

    docs = _cisi.load_docs(data)
    queries = _cisi.load_queries(data)
    qrels = _cisi.load_qrels(data)
    with tempfile.TemporaryDirectory() as tmp:
        ix = SearchIndex(Path(tmp) / "ix")
        t0 = time.perf_counter()
        n = index_documents(ix, docs)
        build_s = time.perf_counter() - t0
        mean, per_query = evaluate(ix, queries, qrels)
        ix.close()

    print(f"CISI: {n} documents, {mean['queries']} judged queries "
          f"(indexed in {build_s:.1f} s, {mean['query_ms_mean']:.1f} ms/query)")
    print(f"{'ranker':<36}{'MAP@50':>8}{'MRR':>8}{'P@5':>8}{'nDCG@10':>9}")
    for name, r in REFERENCE.items():
        print(f"{name:<36}{r['map50']:>8.3f}{r['mrr']:>8.3f}{r['p5']:>8.3f}{r['ndcg10']:>9.3f}")
    print(f"{'this product (SearchIndex)':<36}{mean['map50']:>8.3f}{mean['mrr']:>8.3f}"
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
