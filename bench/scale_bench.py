#!/usr/bin/env python3
"""Search at scale: a 1,000,000-sentence archive synthesised from the shared data, in /tmp (never the repo).

``build`` starts from the embedded archive of ``bench/retrieval_bench.py`` (the real documents of
``gov_docs/docs`` with their e5 vectors) and adds synthetic documents until the index holds ``--sentences``
sentences. A synthetic sentence joins the first clauses of one real sentence to the last clauses of another;
its vector is the normalised mix of the two real vectors plus a little noise (embedding a million sentences
would take hours on two cores; throughput is measured separately). The synthetic documents go through the
normal indexer, so the keyword index is the real thing.

``memory-build`` makes a 100,000-document archive (60 sentences each, synthetic vectors) to measure the web
server's memory with ``/usr/bin/time -v .venv/bin/drafter serve`` (see docs/benchmarks.md).

``query`` loads what a server loads (the vector cache, the model) and times the full hybrid search of every
benchmark query, query encoding included, and reports memory; run it under ``/usr/bin/time -v`` for the
peak RSS. ``agreement`` compares the sign-bit candidate search with exact search on the same rows.

    .venv/bin/python bench/scale_bench.py build --source /tmp/rb/int8.db --work /tmp/scale-bench
    /usr/bin/time -v .venv/bin/python bench/scale_bench.py query ../shared/data --work /tmp/scale-bench
    .venv/bin/python bench/scale_bench.py agreement --work /tmp/scale-bench
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DRAFTER_JOBS", "off")

import numpy as np  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from drafter.store.db import open_database  # noqa: E402
from drafter.store.models import Document  # noqa: E402
from drafter.store.search_models import SearchSentence, SentenceVector  # noqa: E402
from drafter.store.vector_store import dequantise, quantise  # noqa: E402

_ENDERS = re.compile(r"[。！？；;!?…\n]")
PER_DOC = 50


def rss_mb() -> float:
    """Resident set size of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def real_sentences(db) -> tuple[list[str], np.ndarray]:  # type: ignore[no-untyped-def]
    """Texts and float vectors of the embedded real sentences."""
    with db.session() as session:
        rows = session.execute(
            select(func.substr(Document.text, SearchSentence.start + 1, SearchSentence.end - SearchSentence.start),
                   SentenceVector.scale, SentenceVector.codes)
            .join(SearchSentence, SearchSentence.id == SentenceVector.sentence_id)
            .join(Document, Document.id == SearchSentence.document_id)).all()
    texts = [r[0] for r in rows]
    codes = np.frombuffer(b"".join(r[2] for r in rows), np.int8).reshape(len(rows), -1)
    return texts, dequantise(codes, np.array([r[1] for r in rows], np.float32))


def synthesise_many(texts: list[str], vectors: np.ndarray, n: int, rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    """``n`` synthetic sentences with vectors: the first clauses of one real sentence and the last clauses
    of another; the vector is ``0.6 * a + 0.4 * b`` plus a little noise, normalised."""
    a = rng.integers(0, len(texts), n)
    b = rng.integers(0, len(texts), n)
    mix = 0.6 * vectors[a] + 0.4 * vectors[b] + rng.normal(0, 0.01, (n, vectors.shape[1]))
    mix = (mix / np.linalg.norm(mix, axis=1, keepdims=True)).astype(np.float32)
    out = []
    for i in range(n):
        ca = [c for c in _ENDERS.sub("，", texts[a[i]]).split("，") if c] or ["空"]
        cb = [c for c in _ENDERS.sub("，", texts[b[i]]).split("，") if c] or ["空"]
        text = "，".join(ca[:max(1, len(ca) // 2)] + (cb[len(cb) // 2:] or cb[-1:])) + "。"
        out.append((text, mix[i]))
    return out


def bulk_add(db, texts: list[str], vectors: np.ndarray, documents: int, per_doc: int,  # type: ignore[no-untyped-def]
             rng: np.random.Generator, keyword: bool, until_sentences: int | None = None) -> int:
    """Add synthetic documents in bulk (documents, paragraphs, sentences, vectors and, with ``keyword``, the
    same keyword entries the indexer writes); returns the number of sentences added."""
    from sqlalchemy import text as sql

    from drafter.analysis.terms import index_fields
    from drafter.analysis.text import paragraphs, sentences
    from drafter.store.models import Paragraph

    with db.session() as session:
        doc_id = session.scalar(select(func.max(Document.id))) or 0
        paragraph_id = session.scalar(select(func.max(Paragraph.id))) or 0
        sentence_id = session.scalar(select(func.max(SearchSentence.id))) or 0
    started, added, made = time.time(), 0, 0
    while made < documents and (until_sentences is None or added < until_sentences):
        docs, paras, sents, vecs, fts = [], [], [], [], []
        for _ in range(min(500, documents - made)):
            doc_id += 1
            made += 1
            pieces = synthesise_many(texts, vectors, per_doc, rng)
            body = f"合成文档{doc_id}\n" + "\n".join(
                "".join(t for t, _ in pieces[i:i + 5]) for i in range(0, per_doc, 5))
            by_text = dict(pieces)
            docs.append({"id": doc_id, "kind": "archive", "title": f"合成文档{doc_id}", "is_exemplar": False,
                         "content_hash": f"{doc_id:064d}", "dedupe_key": f"{doc_id:064d}", "text": body,
                         "chars": len(body), "year": 2000 + doc_id % 25})
            for para in paragraphs(body):
                paragraph_id += 1
                paras.append({"id": paragraph_id, "document_id": doc_id, "index": para.index, "start": para.start,
                              "end": para.end})
                for span in sentences(body, para.start, para.end):
                    sentence_id += 1
                    sents.append({"id": sentence_id, "document_id": doc_id, "paragraph_index": para.index,
                                  "start": span.start, "end": span.end})
                    sentence = body[span.start:span.end]
                    vecs.append(by_text.get(sentence, vectors[0]))
                    if keyword:
                        words, grams = index_fields(sentence)
                        fts.append({"id": sentence_id, "words": words, "grams": grams})
        codes, scales = quantise(np.array(vecs))
        with db.session() as session:
            session.execute(insert(Document), docs)
            session.execute(insert(Paragraph), paras)
            session.execute(insert(SearchSentence), sents)
            session.execute(insert(SentenceVector), [
                {"sentence_id": row["id"], "model": "e5-small", "scale": float(sc), "codes": c.tobytes()}
                for row, c, sc in zip(sents, codes, scales, strict=True)])
            if fts:
                session.execute(sql("INSERT INTO search_fts (rowid, words, grams) VALUES (:id, :words, :grams)"), fts)
        added += len(sents)
        print(f"\r{made} documents, {added} sentences added ({added / (time.time() - started):.0f}/s)",
              end="", flush=True)
    print(flush=True)
    return added


def build(args: argparse.Namespace) -> None:
    """Copy the embedded real archive and grow it to ``--sentences`` sentences with synthetic documents."""
    args.work.mkdir(parents=True, exist_ok=True)
    target = args.work / "scale.db"
    if not target.exists():
        shutil.copy(args.source, target)
    db = open_database(f"sqlite:///{target}")
    texts, vectors = real_sentences(db)
    with db.session() as session:
        have = session.scalar(select(func.count()).select_from(SearchSentence)) or 0
    print(f"{len(texts)} real sentences with vectors; index holds {have}; target {args.sentences}", flush=True)
    started = time.time()
    if have < args.sentences:
        bulk_add(db, texts, vectors, 10**9, PER_DOC, np.random.default_rng(args.seed + have), keyword=True,
                 until_sentences=args.sentences - have)
    db.dispose()
    print(f"built {target} ({target.stat().st_size / 1e9:.2f} GB) in {time.time() - started:.0f} s", flush=True)


def query(args: argparse.Namespace) -> None:
    """Latency of full hybrid searches (query encoding included) and memory of the loaded index."""
    from bench.retrieval_bench import load_queries
    from drafter.analysis.embedding import shared_encoder
    from drafter.services.search import SearchEngine

    queries = load_queries(args.data, ROOT / "corpora" / "bench" / "retrieval_queries.jsonl")
    target = args.work / "scale.db"
    shutil.rmtree(target.with_name(target.name + ".vectors"), ignore_errors=True)
    base = rss_mb()
    db = open_database(f"sqlite:///{target}", upgrade=False)
    engine = SearchEngine(db, args.work / "instance")
    started = time.time()
    with db.session() as session:
        engine.store.refresh(session)
        rows = session.scalar(select(func.count()).select_from(SearchSentence))
    cache_s = time.time() - started
    after_cache = rss_mb()
    started = time.time()
    shared_encoder()
    model_s = time.time() - started
    after_model = rss_mb()
    report = {"sentences": rows, "vectors": len(engine.store), "cache_build_s": round(cache_s, 1),
              "index_memory_mb": round(engine.store.memory_bytes() / 2**20, 1),
              "rss_mb": {"start": round(base), "after_cache": round(after_cache), "after_model": round(after_model)},
              "model_load_s": round(model_s, 2)}
    for q in queries[:20]:  # warm the database pages and the code paths; not timed
        engine.search(q["query"], k=20)
    for mode, methods in (("keyword", ("keyword",)), ("semantic", ("semantic",)), ("fused", ("keyword", "semantic"))):
        times, ranks = [], {"light": [], "heavy": []}
        for repeat in range(args.repeat):
            for q in queries:
                t = time.perf_counter()
                hits = engine.search(q["query"], k=20, methods=methods).hits
                times.append((time.perf_counter() - t) * 1000)
                if repeat == 0:
                    rank = next((n for n, h in enumerate(hits, 1) if q["source"] in h.paragraph), None)
                    ranks[q["level"]].append(1 / rank if rank else 0.0)
        times.sort()
        report[mode] = {"p50_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                        "max_ms": round(times[-1], 1),
                        "mrr_light": round(statistics.mean(ranks["light"]), 3),
                        "mrr_heavy": round(statistics.mean(ranks["heavy"]), 3)}
        print(mode, report[mode], flush=True)
    report["rss_mb"]["end"] = round(rss_mb())
    db.dispose()
    print(json.dumps(report, ensure_ascii=False, indent=1))


def agreement(args: argparse.Namespace) -> None:
    """How often the sign-bit candidates contain the exact top results (same rows, same queries), for
    several numbers of rescored candidates."""
    from drafter.analysis.embedding import shared_encoder
    from drafter.store.vector_store import BinaryRescoreIndex, ExactIndex, VectorStore

    target = args.work / "scale.db"
    db = open_database(f"sqlite:///{target}", upgrade=False)
    store = VectorStore(target.with_name(target.name + ".vectors"), "e5-small")
    with db.session() as session:
        store.refresh(session)
    codes = np.fromfile(store.folder / "codes.bin", dtype=np.int8).reshape(-1, store.dim)[:len(store)]
    exact = ExactIndex(codes, store.arrays["scales"])
    lines = (ROOT / "corpora" / "bench" / "retrieval_queries.jsonl").read_text(encoding="utf-8").splitlines()
    vectors = shared_encoder().queries([json.loads(line)["query"] for line in lines])
    truth = [exact.search(v, 10)[0] for v in vectors]
    report = {"rows": len(store), "queries": len(vectors)}
    for candidates in (1000, 2000, 4000):
        binary = BinaryRescoreIndex(store.bits, store.arrays["scales"], store.centre, lambda rows: codes[rows],
                                    candidates=candidates)
        found = [binary.search(v, 10)[0] for v in vectors]
        report[candidates] = {
            "top1_agreement": round(float(np.mean([f[0] == t[0] for f, t in zip(found, truth, strict=True)])), 3),
            "top10_overlap": round(float(np.mean([len(set(f) & set(t)) / 10
                                                  for f, t in zip(found, truth, strict=True)])), 3)}
    print(json.dumps(report))


def memory_build(args: argparse.Namespace) -> None:
    """A large archive for the web server's memory (``--documents`` documents of ``--per-doc`` sentences),
    inserted in bulk with synthetic vectors and no keyword entries (the keyword index lives in SQLite's
    files, not in the server's memory)."""
    target = args.work / "memory.db"
    args.work.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    source = open_database(f"sqlite:///{args.source}", upgrade=False)
    texts, vectors = real_sentences(source)
    source.dispose()
    db = open_database(f"sqlite:///{target}")
    bulk_add(db, texts, vectors, args.documents, args.per_doc, np.random.default_rng(args.seed), keyword=False)
    db.dispose()
    print(f"built {target} ({target.stat().st_size / 1e9:.2f} GB)", flush=True)


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--source", type=Path, default=Path("/tmp/retrieval-bench/int8.db"))
    b.add_argument("--work", type=Path, default=Path("/tmp/scale-bench"))
    b.add_argument("--sentences", type=int, default=1_000_000)
    b.add_argument("--seed", type=int, default=11)
    q = sub.add_parser("query")
    q.add_argument("data", type=Path)
    q.add_argument("--work", type=Path, default=Path("/tmp/scale-bench"))
    q.add_argument("--repeat", type=int, default=3)
    a = sub.add_parser("agreement")
    a.add_argument("--work", type=Path, default=Path("/tmp/scale-bench"))
    m = sub.add_parser("memory-build")
    m.add_argument("--source", type=Path, default=Path("/tmp/retrieval-bench/int8.db"))
    m.add_argument("--work", type=Path, default=Path("/tmp/scale-bench"))
    m.add_argument("--documents", type=int, default=100_000)
    m.add_argument("--per-doc", type=int, default=60)
    m.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    {"build": build, "query": query, "agreement": agreement, "memory-build": memory_build}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
