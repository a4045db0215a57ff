"""Parsing helpers for the CISI test collection (bench only).

Files (bench/data/cisi/, where README.md says where they come from):
- CISI.ALL: documents (.I id, .T title, .A authors, .W abstract, .X refs)
- CISI.QRY: queries (.I id, .W text; some also .T/.A/.B)
- CISI.REL: "query_id doc_id 0 0.0" lines, every listed pair relevant
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

_MARK = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")


@dataclass
class CisiDoc:
    id: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""


@dataclass
class CisiQuery:
    id: int
    text: str = ""  # the .W text
    title: str = ""  # the .T text, when present


def _records(path: Path):
    """Yield (id, {marker: [lines]}) for each ``.I`` record of a CISI file."""
    rec_id = None
    fields: dict[str, list[str]] = {}
    current = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            m = _MARK.match(line)
            if m:
                mark, rest = m.group(1), (m.group(2) or "").strip()
                if mark == "I":
                    if rec_id is not None:
                        yield rec_id, fields
                    rec_id, fields, current = int(rest), {}, None
                    continue
                current = mark
                fields.setdefault(mark, [])
                if rest:
                    fields[mark].append(rest)
                continue
            if current is not None:
                fields[current].append(line)
    if rec_id is not None:
        yield rec_id, fields


def _text(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def load_docs(data_dir: Path) -> list[CisiDoc]:
    docs = []
    for rid, f in _records(Path(data_dir) / "CISI.ALL"):
        authors = [a.strip() for a in f.get("A", []) if a.strip()]
        docs.append(CisiDoc(rid, _text(f.get("T", [])), authors, _text(f.get("W", []))))
    return docs


def load_queries(data_dir: Path) -> list[CisiQuery]:
    out = []
    for rid, f in _records(Path(data_dir) / "CISI.QRY"):
        out.append(CisiQuery(rid, _text(f.get("W", [])), _text(f.get("T", []))))
    return out


def load_qrels(data_dir: Path) -> dict[int, set[int]]:
    rels: dict[int, set[int]] = defaultdict(set)
    with open(Path(data_dir) / "CISI.REL", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                rels[int(parts[0])].add(int(parts[1]))
    return dict(rels)
